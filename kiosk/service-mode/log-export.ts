/**
 * Log export to removable media: the core's log file (config `log.file`, already redacted when
 * written) is copied to the export folder (config `service.exportDir`, the medium's mount point),
 * then the copy is read back and checked for what must never leave the terminal, by shape, the way
 * the data-folder leak scan looks: card numbers (13-19 digits passing Luhn), magnetic-track data
 * (`%B<pan>^`, `;<pan>=`) and one-time codes or PINs under their own key. A copy with a finding is
 * deleted at once and the answer says which kinds were found on which lines, never the data.
 */
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { looksLikePan } from '../store/secrets-guard.js';

export type LeakKind = 'pan' | 'track' | 'otp';

const TRACK = /%B\d{12,19}\^|;\d{12,19}=/;
/** a code or PIN logged under its key with its digits still in it (redaction writes "[redacted]") */
const CODE_FIELD = /"(otp|otpCode|code|pin|pinBlock|technicianCode)"\s*:\s*"?\d{4,12}/i;

export function findLeaks(text: string): Array<{ line: number; kind: LeakKind }> {
  const out: Array<{ line: number; kind: LeakKind }> = [];
  text.split('\n').forEach((raw, i) => {
    // pino's epoch-millisecond `time` is 13 digits, and one in ten of those passes Luhn: not a card
    const line = raw.replace(/"time":\d+/g, '"time":0');
    if (TRACK.test(line)) out.push({ line: i + 1, kind: 'track' });
    else if (looksLikePan(line)) out.push({ line: i + 1, kind: 'pan' });
    if (CODE_FIELD.test(line)) out.push({ line: i + 1, kind: 'otp' });
  });
  return out;
}

export async function exportLogs(input: { logFile?: string; exportDir: string; terminalId: string; now: Date }): Promise<Record<string, unknown>> {
  const action = 'exportLogs';
  if (input.logFile === undefined) return { action, ok: false, outcome: 'noLogFile', refusal: { code: 'noLogFile' } };
  const source = await stat(input.logFile).catch(() => undefined);
  if (!source?.isFile()) return { action, ok: false, outcome: 'noLogFile', refusal: { code: 'noLogFile' } };
  const stamp = input.now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const file = join(input.exportDir, `${input.terminalId}-${stamp}-${basename(input.logFile)}`);
  try {
    await mkdir(input.exportDir, { recursive: true });
    await copyFile(input.logFile, file);
  } catch (err) {
    return { action, ok: false, outcome: 'writeFailed', failure: (err instanceof Error ? err.message : String(err)).slice(0, 120) };
  }
  const text = await readFile(file, 'utf8');
  const leaks = findLeaks(text);
  if (leaks.length > 0) {
    await rm(file, { force: true });
    return { action, ok: false, outcome: 'leakFound', leaks: leaks.slice(0, 20), refusal: { code: 'leakFound' } };
  }
  return { action, ok: true, outcome: 'written', file, bytes: Buffer.byteLength(text), lines: text.split('\n').filter((l) => l.length > 0).length };
}
