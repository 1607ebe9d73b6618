/**
 * Sending STACK for the note in escrow when the line may lose frames. A STACK without an answer
 * says nothing about the note: the device may have heard it (the note is on its way to the box) or
 * not (the note still waits in escrow). Only the device's own report settles the note, so:
 * - the device left escrow -> done; its "stacked" (or "returned") event settles the note;
 * - still in escrow with the link up -> STACK again, a bounded number of times;
 * - never heard -> RETURN, so the customer gets the note back and its "returned" settles it,
 *   rather than leaving it in escrow until the device's own timeout hands it back unrecorded.
 * With the link down the error goes up as before: start-up reconciliation settles the note.
 */
import type { CashAcceptor } from '../../drivers/cash-acceptor/cash-acceptor.js';
import { sleep, withTimeout } from '../../domain/async.js';

export interface StackNoteOptions {
  /** STACK commands sent at most, the first included */
  attempts?: number;
  /** bound on each command */
  commandTimeoutMs: number;
  /** after an unanswered command, how long the driver's polls get to show where the note went */
  settleMs?: number;
}

/** `sent`: STACK answered; `leftEscrow`: unanswered, but the device moved the note; `handedBack`: RETURN answered */
export type StackNoteOutcome = 'sent' | 'leftEscrow' | 'handedBack';

const inEscrow = (acceptor: CashAcceptor): boolean => {
  const s = acceptor.status();
  return s.state === 'escrow' || s.state === 'holding';
};

export async function stackNote(acceptor: CashAcceptor, options: StackNoteOptions): Promise<StackNoteOutcome> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const settleMs = options.settleMs ?? 600;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await withTimeout(acceptor.stack(), options.commandTimeoutMs, 'cash acceptor stack');
      return 'sent';
    } catch (err) {
      lastError = err;
      if (acceptor.status().link !== 'online') throw err;
      await sleep(settleMs);
      // the device moved the note: it heard STACK and its answer was lost
      if (!inEscrow(acceptor)) return 'leftEscrow';
    }
  }
  try {
    await withTimeout(acceptor.return(), options.commandTimeoutMs, 'cash acceptor return');
    return 'handedBack';
  } catch {
    await sleep(settleMs);
    if (acceptor.status().link === 'online' && !inEscrow(acceptor)) return 'leftEscrow';
    throw lastError;
  }
}
