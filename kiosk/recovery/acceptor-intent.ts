/**
 * One rule for "settle this acceptor stack intent given what the device says", used both by
 * start-up reconciliation and, while the core runs, by the runtime's intent settler. The device is
 * the only witness: a note still in escrow was never stacked (it is handed back), a note the device
 * says it handed back is never credited, and an empty escrow on a device that answers means the
 * STACK went through. Where the device cannot say, nothing is decided.
 */
import type { Tiyn } from '../../domain/money.js';
import type { CashAcceptorStatus } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { MoneyStore } from '../store/money-store.js';

/** what the acceptor says about the note of one stack intent */
export type AcceptorWitness =
  /** the link is down: the device cannot say */
  | { kind: 'silent' }
  /** a note is in escrow that cannot be matched to the intent (unknown value, or not ours to take) */
  | { kind: 'undecided'; reason: string }
  /** a note of the intent's value waits in escrow: the STACK never reached the device */
  | { kind: 'inEscrow' }
  /** the device said it handed a note of this value back (CCNET 82, live or at open) */
  | { kind: 'returned' }
  /** the device said it stacked a note of this value (CCNET 81, live or at open) */
  | { kind: 'stacked' }
  /** the device answers and its escrow is empty, with no word on the note: the STACK went through */
  | { kind: 'escrowEmpty' };

export const inEscrow = (s: Pick<CashAcceptorStatus, 'state'>): boolean => s.state === 'escrow' || s.state === 'holding';

export interface WitnessClaims {
  /**
   * May a note in escrow be taken for this intent's note? `claim`: yes (nobody else holds it);
   * `spent`: the escrow note was already handed back for another intent, ignore escrow;
   * `busy`: a customer may be feeding that note now, so a note in escrow leaves the intent undecided.
   */
  escrow: 'claim' | 'spent' | 'busy';
  /** the device's "handed back" word not yet claimed by another intent */
  handedBack?: { denomination?: Tiyn } | undefined;
}

/** reads the acceptor's status as a witness for an intent of `denomination` */
export function acceptorWitness(s: CashAcceptorStatus, denomination: Tiyn, claims: WitnessClaims): AcceptorWitness {
  if (s.link !== 'online') return { kind: 'silent' };
  if (claims.escrow !== 'spent' && inEscrow(s)) {
    if (claims.escrow === 'busy') return { kind: 'undecided', reason: 'a note is in escrow while a customer is inserting cash' };
    if (s.escrow === undefined) return { kind: 'undecided', reason: 'a note of unknown value is in escrow; the stack intent cannot be matched' };
    if (s.escrow === denomination) return { kind: 'inEscrow' };
  }
  if (claims.handedBack && claims.handedBack.denomination === denomination) return { kind: 'returned' };
  const settled = s.noteSettledAtOpen;
  if (claims.handedBack && settled?.outcome === 'returned' && settled.billType === undefined && settled.denomination === undefined) {
    // ID003 41 (power-up, bill in the acceptor; its RESET hands the note back) names no note: it may be
    // this intent's note or another, so neither "stacked" nor "returned" is known
    return { kind: 'undecided', reason: 'the acceptor handed back a note of unknown value at power-up; the stack intent cannot be matched' };
  }
  return { kind: 'escrowEmpty' };
}

export type IntentSettlement =
  | { settled: true; outcome: 'stacked' | 'returned'; escrowReturned: boolean }
  | { settled: false; reason: string };

/**
 * Settles the oldest open intent of `denomination` on the cash-in from the witness, through the
 * store's `resolveStackIntent` (one transaction: note state, cash-box counter, journal entry).
 * `returnEscrow` hands the escrowed note back and resolves true once the device says it left escrow.
 */
export async function settleAcceptorIntent(
  store: Pick<MoneyStore, 'resolveStackIntent'>,
  cashInId: string,
  denomination: Tiyn,
  witness: AcceptorWitness,
  returnEscrow: () => Promise<boolean>,
): Promise<IntentSettlement> {
  switch (witness.kind) {
    case 'silent':
      return { settled: false, reason: 'the acceptor is not online: its stack intent cannot be settled' };
    case 'undecided':
      return { settled: false, reason: witness.reason };
    case 'inEscrow':
      if (!(await returnEscrow())) return { settled: false, reason: 'the note in escrow could not be returned' };
      store.resolveStackIntent(cashInId, denomination, 'returned');
      return { settled: true, outcome: 'returned', escrowReturned: true };
    case 'returned':
      store.resolveStackIntent(cashInId, denomination, 'returned');
      return { settled: true, outcome: 'returned', escrowReturned: false };
    case 'stacked':
    case 'escrowEmpty':
      store.resolveStackIntent(cashInId, denomination, 'stacked');
      return { settled: true, outcome: 'stacked', escrowReturned: false };
  }
}
