/**
 * What the live session holds of the cash-in, read from the tags its states carry (never from
 * their names): which cash-in it is working on and whether it is itself waiting for the
 * acceptor's word on a note. The intent settler leaves those notes to the session, so a device
 * report is never settled twice.
 */
import type { SessionTag } from '../session/types.js';

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

interface SnapshotLike {
  hasTag(tag: SessionTag): boolean;
  context: { cashIn?: { cashInId?: string | undefined } | undefined };
}

export function sessionNoteView(read: () => SnapshotLike): SessionNoteView {
  return {
    holder(cashInId) {
      const snap = read();
      if (!snap.hasTag('inCashIn') || snap.context.cashIn?.cashInId !== cashInId) return 'none';
      return snap.hasTag('holdsNote') ? 'settling' : 'open';
    },
    inCashIn: () => read().hasTag('inCashIn'),
    awaitsDeviceWord: () => read().hasTag('awaitsNoteWord'),
  };
}
