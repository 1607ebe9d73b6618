/**
 * What the live session holds of the cash-in, read from its state: which cash-in it is working on
 * and whether it is itself waiting for the acceptor's word on a note. The intent settler leaves
 * those notes to the session, so a device report is never settled twice.
 */

export type NoteHolder =
  /** the session records, stacks or settles this cash-in's note itself */
  | 'settling'
  /** the session still holds the cash-in (it may end it) but no longer waits for the device */
  | 'open'
  /** no session holds the cash-in */
  | 'none';

export interface SessionNoteView {
  holder(cashInId: string): NoteHolder;
  /** the session is in a cash-in: a note in escrow may be its customer's */
  inCashIn(): boolean;
  /** the session waits for the acceptor's stacked / returned word: the next one is the session's */
  awaitsDeviceWord(): boolean;
}

/** steps of the session's cash-in in which the note of a stack intent is the session's to settle */
const SETTLING = new Set(['recordingIntent', 'stacking', 'recordingStacked', 'recordingReturned']);
/** steps that wait for the acceptor's stacked / returned event */
const AWAITING = new Set(['stacking', 'returning']);

interface SnapshotLike {
  value: unknown;
  context: { cashIn?: { cashInId?: string | undefined } | undefined };
}

/** the step inside the session's `cashIn` state, or undefined when the session is elsewhere */
function cashInStep(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'cashIn') return typeof child === 'string' ? child : Object.keys((child ?? {}) as object)[0] ?? '';
    const found = cashInStep(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function sessionNoteView(read: () => SnapshotLike): SessionNoteView {
  return {
    holder(cashInId) {
      const snap = read();
      const step = cashInStep(snap.value);
      if (step === undefined || snap.context.cashIn?.cashInId !== cashInId) return 'none';
      return SETTLING.has(step) ? 'settling' : 'open';
    },
    inCashIn: () => cashInStep(read().value) !== undefined,
    awaitsDeviceWord() {
      const step = cashInStep(read().value);
      return step !== undefined && (AWAITING.has(step) || SETTLING.has(step));
    },
  };
}
