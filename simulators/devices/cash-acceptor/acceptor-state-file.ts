/**
 * What of a bill acceptor outlives a power cut: the notes in its cash box, and a note caught in its
 * transport (where it was, and which one if the head had identified it). A real validator's cash box
 * survives a power cut and its sensors see a note left in the path at power-up (CCNET 11 / 12,
 * ID003 41 / 42). The emulator keeps these in a small JSON file in the simulator's run folder, written
 * on every change (a simulator killed with SIGKILL runs no exit hook), and reads it at start.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export interface AcceptorMechanics {
  /** tiyn (as a string key) -> notes in the box */
  cashBox: Record<string, number>;
  /** a note in the transport: in the head (`validator`) or past the point of no return (`stacker`) */
  noteInPath?: { where: 'validator' | 'stacker'; billType?: number } | undefined;
}

const Mechanics = z.object({
  cashBox: z.record(z.string().regex(/^[1-9][0-9]*$/), z.number().int().min(0)),
  noteInPath: z.object({ where: z.enum(['validator', 'stacker']), billType: z.number().int().min(0).max(23).optional() }).optional(),
}).strict();

/** the default file name in the run folder */
export const ACCEPTOR_STATE_FILE = 'cash-acceptor.state.json';

export class AcceptorStateFile {
  #last: string | undefined;

  constructor(readonly path: string) {}

  /** the saved mechanics, or undefined when there is no file yet; a damaged file is an error, not an empty box */
  load(): AcceptorMechanics | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = Mechanics.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new Error(`cash acceptor state file ${this.path} is not valid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    this.#last = raw;
    return parsed.data;
  }

  /** writes when something changed; write-then-rename so a kill mid-write leaves the old file whole */
  save(m: AcceptorMechanics): void {
    const text = JSON.stringify({ cashBox: m.cashBox, ...(m.noteInPath ? { noteInPath: m.noteInPath } : {}) });
    if (text === this.#last) return;
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.path);
    this.#last = text;
  }
}

export interface KeepsMechanics {
  onMechanics: (() => void) | undefined;
  mechanics(): AcceptorMechanics;
  restore(m: AcceptorMechanics): void;
}

/** power comes back on what the file holds, and every later change is written to it */
export function keepAcrossRestarts(device: KeepsMechanics, file: AcceptorStateFile): void {
  const saved = file.load();
  if (saved) device.restore(saved);
  file.save(device.mechanics());
  device.onMechanics = () => file.save(device.mechanics());
}
