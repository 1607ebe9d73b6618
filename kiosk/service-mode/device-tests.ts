/**
 * Device tests a technician runs from service mode: each one moves the hardware through its real
 * driver and answers with what the device did. None of them touches customer money:
 *
 * - acceptor: one denomination enabled, the note the technician inserts is held in escrow and
 *   handed back (RETURN), never stacked; the acceptor is disabled again whatever happens;
 * - dispenser: the LCDM's own TEST DISPENSE (76 upper / 77 lower, reference section 4: one note
 *   straight to the reject tray, EXIT "00"); the note moves from its cassette's counter to the
 *   reject bin's in one `testDispense` journal entry, never as a withdrawal;
 * - card: the next swipe or insertion, shown masked (first 6, last 4); the PAN token is dropped;
 * - palm: one capture, answered with the template's length only; the bytes are zeroed at once;
 * - presenter: PRESENT then RETRACT on an empty presenter (where `devices.dispenser.presenter`).
 */
import type { CashAcceptor } from '../../drivers/cash-acceptor/cash-acceptor.js';
import type { CashDispenser } from '../../drivers/dispenser/cash-dispenser.js';
import type { CardInfo, CardReadError, CardReader } from '../../drivers/card-reader/card-reader.js';
import type { PalmScanner } from '../../drivers/palm/palm-scanner.js';
import type { Tiyn } from '../../domain/money.js';
import type { Db } from '../store/db.js';
import { appendJournal } from '../store/journal.js';
import { applyCounterDeltas, cassetteUnit, REJECT_BIN } from '../store/counters.js';

export interface DeviceTestDeps {
  db: Db;
  /** how long a test waits for the technician (a note, a card, a palm) */
  waitMs: number;
  now: () => Date;
}

type View = Record<string, unknown>;

/** resolves with the first of the emitter's event, or undefined once `ms` have passed */
function nextEvent<T>(on: (listener: (payload: T) => void) => () => void, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const off = on((payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
    const timer = setTimeout(() => {
      off();
      resolve(undefined);
    }, ms);
  });
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 120);

/** a cash-in note whose fate the device has not told yet: a `returned` word now could be taken for it */
function openNoteIntents(db: Db): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM cash_in_notes WHERE state = 'intent'").get() as { n: number }).n;
}

export async function testAcceptor(deps: DeviceTestDeps, acceptor: CashAcceptor, denomination: Tiyn): Promise<View> {
  const action = 'testAcceptor';
  if (openNoteIntents(deps.db) > 0) return { action, ok: false, outcome: 'openIntent', refusal: { code: 'openIntent' } };
  const table = acceptor.status().billTable;
  if (table.length > 0 && !table.includes(denomination)) return { action, ok: false, outcome: 'notInBillTable', denomination, refusal: { code: 'badDenomination' } };
  let escrowed: Tiyn | undefined;
  let rejected: string | undefined;
  const onReject = (p: { reason: string }): void => {
    rejected = p.reason;
  };
  acceptor.on('rejected', onReject);
  try {
    const escrow = nextEvent<{ denomination: Tiyn }>((l) => {
      acceptor.on('escrow', l);
      return () => acceptor.off('escrow', l);
    }, deps.waitMs);
    await acceptor.enable([denomination]);
    const note = await escrow;
    if (!note) return { action, ok: false, outcome: rejected ? 'rejected' : 'noNote', denomination, ...(rejected ? { rejectReason: rejected } : {}) };
    escrowed = note.denomination;
    const returned = nextEvent<{ denomination: Tiyn }>((l) => {
      acceptor.on('returned', l);
      return () => acceptor.off('returned', l);
    }, deps.waitMs);
    await acceptor.return();
    const back = await returned;
    return back
      ? { action, ok: true, outcome: 'returned', denomination, escrow: escrowed }
      : { action, ok: false, outcome: 'notReturned', denomination, escrow: escrowed };
  } catch (err) {
    return { action, ok: false, outcome: 'failure', denomination, ...(escrowed !== undefined ? { escrow: escrowed } : {}), failure: message(err) };
  } finally {
    acceptor.off('rejected', onReject);
    // never left accepting: a note inserted after the test would have no session to belong to
    await acceptor.disable().catch(() => undefined);
  }
}

export async function testDispense(deps: DeviceTestDeps, dispenser: CashDispenser, cassette: number, denominations: readonly Tiyn[], who: string): Promise<View> {
  const action = 'testDispense';
  const denomination = denominations[cassette];
  if ((cassette !== 0 && cassette !== 1) || denomination === undefined) return { action, ok: false, outcome: 'unknownCassette', refusal: { code: 'unknownCassette' } };
  if (!dispenser.testDispense) return { action, ok: false, outcome: 'unsupported', cassette };
  let r: { ok: boolean; rejected: number; message: string };
  try {
    r = await dispenser.testDispense(cassette);
  } catch (err) {
    return { action, ok: false, outcome: 'failure', cassette, failure: message(err) };
  }
  // whatever the device says reached the reject tray left the cassette, error or not
  const moved = Math.max(0, r.rejected);
  let journalSeq: number | undefined;
  if (moved > 0) {
    const at = deps.now();
    journalSeq = deps.db.transaction(() => {
      const counterDeltas = [
        { unit: cassetteUnit(cassette), denomination, delta: -moved },
        { unit: REJECT_BIN, denomination, delta: moved },
      ];
      const entry = appendJournal(deps.db, 'testDispense', { who, cassette, denomination, notes: moved, test: true, counterDeltas }, at);
      applyCounterDeltas(deps.db, counterDeltas);
      return entry.seq;
    }).immediate();
  }
  return {
    action, ok: r.ok && moved === 1, outcome: r.ok ? 'rejectBin' : 'deviceError', cassette, denomination, notes: moved,
    ...(journalSeq !== undefined ? { journalSeq } : {}), ...(r.ok ? {} : { failure: r.message.slice(0, 120) }),
  };
}

export async function testCardRead(deps: DeviceTestDeps, reader: CardReader): Promise<View> {
  const action = 'testCardRead';
  const read = await nextEvent<{ card: CardInfo } | { error: CardReadError }>((l) => {
    reader.on('cardInserted', l);
    return () => reader.off('cardInserted', l);
  }, deps.waitMs);
  if (!read) return { action, ok: false, outcome: 'noCard' };
  if (reader.status().motorised) await reader.eject().catch(() => undefined);
  if ('error' in read) return { action, ok: false, outcome: 'readError', readError: read.error };
  // the masked number and expiry only: the token is for the bank's look-up, not for a screen
  return { action, ok: true, outcome: 'read', maskedPan: maskedOnly(read.card.maskedPan), expiry: read.card.expiry };
}

/** the driver masks already; this keeps the screen safe even from a driver that did not */
function maskedOnly(masked: string): string {
  const digits = masked.replace(/[^0-9*]/g, '');
  return digits.length < 10 ? '*'.repeat(digits.length) : `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}

export async function testPalm(deps: DeviceTestDeps, palm: PalmScanner): Promise<View> {
  const action = 'testPalm';
  let r: Awaited<ReturnType<PalmScanner['capture']>>;
  try {
    r = await palm.capture({ timeoutMs: deps.waitMs });
  } catch (err) {
    return { action, ok: false, outcome: 'error', failure: message(err) };
  }
  if (r.kind !== 'template') return { action, ok: false, outcome: r.kind, ...(r.kind === 'error' ? { failure: r.message.slice(0, 120) } : {}) };
  const templateBytes = r.template.length;
  r.template.fill(0);
  return { action, ok: templateBytes > 0, outcome: 'captured', templateBytes };
}

export async function testPresenter(dispenser: CashDispenser): Promise<View> {
  const action = 'testPresenter';
  if (!dispenser.status().hasPresenter) return { action, ok: false, outcome: 'noPresenter', refusal: { code: 'noPresenter' } };
  try {
    const before = await dispenser.refreshStatus();
    // notes behind the shutter may be a customer's: the test never opens it on them
    if ((before.notesInPresenter ?? 0) > 0) return { action, ok: false, outcome: 'presenterNotEmpty', notes: before.notesInPresenter, refusal: { code: 'presenterNotEmpty' } };
    const presented = await dispenser.present();
    const { retracted } = await dispenser.retract();
    const after = await dispenser.refreshStatus();
    const fault = after.fault?.code.startsWith('presenter.') ? after.fault : undefined;
    const ok = presented !== 'unknown' && fault === undefined && retracted === 0 && (after.notesInPresenter ?? 0) === 0;
    return { action, ok, outcome: ok ? 'cycled' : 'deviceError', present: presented, retracted, ...(fault ? { failure: fault.message.slice(0, 120) } : {}) };
  } catch (err) {
    return { action, ok: false, outcome: 'failure', failure: message(err) };
  }
}
