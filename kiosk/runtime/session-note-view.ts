/**
 * What the live session holds of the cash-in, read from the tags its states carry (never from
 * their names): which cash-in it is working on and whether it is itself waiting for the
 * acceptor's word on a note. The intent settler leaves those notes to the session, so a device
 * report is never settled twice.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { sessionContext, sessionHasTag } from '../session/flow-view.js';

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

/** `read` gives the session's parent snapshot: the cash-in runs as its flow machine (flow-view.ts reads both) */
export function sessionNoteView(read: () => AnyMachineSnapshot): SessionNoteView {
  return {
    holder(cashInId) {
      const snap = read();
      if (!sessionHasTag(snap, 'inCashIn') || sessionContext(snap).cashIn?.cashInId !== cashInId) return 'none';
      return sessionHasTag(snap, 'holdsNote') ? 'settling' : 'open';
    },
    inCashIn: () => sessionHasTag(read(), 'inCashIn'),
    awaitsDeviceWord: () => sessionHasTag(read(), 'awaitsNoteWord'),
  };
}
