/**
 * A customer's visit, driven through the bridge as the renderer drives it, with the cycle's kill
 * point armed: each visit waits, watching from outside (the emulators' state, the core's SQLite
 * file, the bridge), for the window its point names and fires the kill inside it. A visit whose
 * core was killed ends there; the harness then starts everything again and checks the money.
 */
import { sleep } from '../../../domain/async.js';
import { KZT_BANKNOTES_TENGE } from '../../../domain/money.js';
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import type { BridgeClient } from '../../../tests/integration/session/bridge-client.js';
import { eventually, http, signIn } from '../../../tests/integration/session/bridge-client.js';
import type { KillPoint, Visit } from './points.js';
import type { Rng } from './rng.js';
import type { ChaosRig } from './rig.js';

/** the middle of the banknote range: notes the cash box takes in numbers without a long run filling it */
const NOTES_TENGE = KZT_BANKNOTES_TENGE.filter((d) => d >= 1000 && d <= 5000);
/** tiyn: what the cassettes (5 000 and 10 000 tenge) can pay out, few notes each so a long run keeps cash */
const WITHDRAWAL_TIYN = [500_000, 1_000_000, 1_500_000, 2_000_000] as const;
const PAYMENT_TIYN = [10_000, 100_000, 250_000, 500_000] as const;
export const WITHDRAWAL_BALANCE = 100_000_000;
export const PAYMENT_BALANCE = 10_000_000;

/** polls fast enough to land inside a window of a few seconds */
const watch = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => eventually(what, probe, timeoutMs, 25);

/**
 * The cycle's kill: what it kills depends on the point. `coreDown` tells the visit the core is gone
 * (the visit ends); the bank and device-simulator points leave the core running and the visit goes on.
 */
export class Killer {
  hit = false;
  coreDown = false;

  constructor(private readonly rig: ChaosRig, readonly point: KillPoint) {}

  async fire(): Promise<void> {
    if (this.hit) return;
    this.hit = true;
    switch (this.point) {
      case 'bank':
        await this.rig.killBank();
        return;
      case 'devices':
        // the whole simulator loses power mid-stack and comes back; the core keeps running
        await this.rig.killDevices();
        await this.rig.startDevices();
        return;
      case 'powerCut':
        this.coreDown = true;
        await Promise.all([this.rig.killCore(), this.rig.killDevices()]);
        return;
      default:
        this.coreDown = true;
        await this.rig.killCore();
    }
  }
}

export interface VisitContext {
  rig: ChaosRig;
  r: Rng;
  point: KillPoint;
  killer: Killer;
  ui: BridgeClient;
  phone: string;
  accountId: string;
}

export interface VisitResult {
  /** the kill point's window never opened (e.g. a refused withdrawal) */
  note?: string;
}

/** the cash-in is past "finish": on the confirm screen, ending, or done */
const pastClosing = (s: Snapshot): boolean =>
  s.state === 'session.cashIn.confirming' || s.state === 'session.cashIn.finishing' || !s.state.startsWith('session.cashIn');

async function signInByPhone(v: VisitContext): Promise<void> {
  await v.ui.screen('attract', 90_000);
  await signIn(v.ui, v.rig.system.bankUrl, { method: 'phone', typed: v.phone.replace('+7', '8'), otpTo: v.phone });
  await v.ui.screen('operations', 30_000);
}

/**
 * From the menu: `operation` chosen once the core offers it with the bank online (a bank or device
 * simulator just restarted is seen by the core on its own schedule; a choice made before that is
 * refused as `restricted`, and asked again here).
 */
async function choose(v: VisitContext, operation: 'cashIn' | 'withdraw' | 'payService'): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await v.ui.waitFor(`${operation} on the menu, the bank online`, (s) => s.screen === 'operations' && s.operations.includes(operation) && s.devices.bank === 'online', 90_000);
    const before = v.ui.snapshots.length;
    v.ui.send('chooseOperation', { operation });
    const next = await v.ui.waitFor(`${operation} chosen`, (s) => v.ui.snapshots.indexOf(s) >= before && (s.screen !== 'operations' || s.error !== undefined), 30_000);
    if (next.screen !== 'operations' || attempt === 3) return;
    await sleep(1_000);
  }
}

/** the cash-in's open stack intent, once the acceptor is in `state` */
const intentWhile = (v: VisitContext, state: string): Promise<true> =>
  watch(`stack intent committed while the acceptor is ${state}`, async () => {
    const intent = v.rig.readDb((db) => db.prepare("SELECT 1 FROM cash_in_notes WHERE state = 'intent'").get());
    return intent && (await v.rig.acceptor()).state === state ? true : undefined;
  });

export async function cashIn(v: VisitContext): Promise<VisitResult> {
  const { rig, r, point, killer, ui } = v;
  await signInByPhone(v);
  await choose(v, 'cashIn');
  await ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting', 30_000);
  const notes = Array.from({ length: 1 + r.below(3) }, () => r.pick(NOTES_TENGE));
  const killAt = r.below(notes.length);
  let total = 0;
  for (const [i, tenge] of notes.entries()) {
    if (killer.coreDown) return {};
    const here = i === killAt;
    const midStack = here && (point === 'stack' || point === 'devices' || point === 'powerCut');
    // long enough for the kill to land while the note moves, even on a loaded machine
    if (midStack) await rig.deviceFault('cashAcceptor', 'slowStack', { ms: point === 'stack' ? 3_000 : 20_000 });
    // the validator takes a note only once it is idle again: the session counts the last one
    // as soon as the device says "stacked", a poll before the device is back to idling (and after a
    // power cut, before the driver has enabled the inhibited types again)
    await watch('the acceptor idle', async () => ((await rig.acceptor()).state === 'idling' ? true : undefined), 30_000);
    await rig.system.devices.insertNote(tenge);
    if (here && point === 'escrow') {
      await watch('the note in escrow', async () => ((await rig.acceptor()).state === 'escrow' ? true : undefined));
      await killer.fire();
    } else if (midStack) {
      await intentWhile(v, 'stacking');
      await killer.fire();
      if (point === 'devices') {
        // power is back: the note left in the stacker is stored by the RESET and the session counts it
        total += tenge * 100;
        await ui.waitFor(`${tenge} counted after the power cut`, (s) => s.cashIn?.total === total && s.cashIn.acceptor === 'accepting', 90_000);
      }
    } else {
      total += tenge * 100;
      await ui.waitFor(`${tenge} stacked`, (s) => s.cashIn?.total === total && s.cashIn.acceptor === 'accepting', 30_000);
      if (here && point === 'record') await killer.fire();
    }
  }
  if (killer.coreDown) return {};
  if (point === 'sync') await http('POST', `${rig.system.bankUrl}/admin/faults`, { mode: 'down' });
  if (point === 'bank') await killer.fire();
  ui.send('finishCashIn', {});
  // "finish and credit" is the consent when the bank's commission is the one it showed; a
  // different one asks on the confirm screen first
  const consent = await ui.waitFor('the confirm screen or the outcome', pastClosing, 60_000);
  if (consent.state === 'session.cashIn.confirming') ui.send('confirm', {});
  if (point === 'confirm') {
    await sleep(r.below(400));
    await killer.fire();
    return {};
  }
  if (point === 'sync') {
    await watch('the credit queued', async () => (rig.readDb((db) => db.prepare("SELECT 1 FROM outbox WHERE state = 'pending' AND kind = 'cashInCredit'").get()) ? true : undefined), 60_000);
    await killer.fire();
    return {};
  }
  await ui.waitFor('the outcome', (s) => s.screen === 'outcome' || s.screen === 'receiptChoice', 90_000);
  await receiptAndLeave(v);
  return {};
}

export async function withdrawal(v: VisitContext): Promise<VisitResult> {
  const { rig, r, point, killer, ui } = v;
  await signInByPhone(v);
  const amount = r.pick(WITHDRAWAL_TIYN);
  await choose(v, 'withdraw');
  await ui.screen('amountEntry');
  ui.send('selectAmount', { amount });
  const quoted = await ui.waitFor('the quote or a refusal', (s) => s.screen === 'confirm' || s.screen === 'refusal' || (s.screen === 'amountEntry' && s.error !== undefined), 60_000);
  if (quoted.screen !== 'confirm') {
    await leave(v);
    return { note: `withdrawal refused before the consent (${quoted.screen}${quoted.error ? `: ${quoted.error.code}` : ''})` };
  }
  if (point === 'dispense') {
    // the presenter: the notes counted and waiting behind a shutter whose motor starts late; a
    // stock module: the notes out, the reply lost, the core waiting for it
    if (rig.presenter) await rig.deviceFault('dispenser', 'slowPresent', { ms: 4_000 });
    else await rig.deviceFault('dispenser', 'lostReply');
  }
  // the hold asked of a slow bank: the kill lands while the request is in flight
  if (point === 'authorise') await http('POST', `${rig.system.bankUrl}/admin/faults`, { mode: 'slow', delayMs: 2_000 });
  ui.send('confirm', {});
  if (point === 'authorise') {
    await sleep(200 + r.below(1_500));
    await killer.fire();
    return {};
  }
  if (point === 'dispense') {
    await watch('notes counted, not yet presented', async () => {
      const w = rig.readDb((db) => db.prepare("SELECT state FROM withdrawals WHERE state IN ('dispensing', 'dispensed') AND present_state != 'presented'").get() as { state: string } | undefined);
      if (!w) return undefined;
      const d = await rig.dispenser();
      return rig.presenter ? (d.presenter && d.presenter.notes > 0 && d.presenter.opening && !d.presenter.shutterOpen ? true : undefined) : (d.exitSlot && d.exitSlot.notes > 0 ? true : undefined);
    }, 40_000);
    await killer.fire();
    return {};
  }
  const at = await ui.waitFor('the cash to take or a refusal', (s) => s.screen === 'takeCash' || s.screen === 'refusal' || s.screen === 'outcome', 90_000);
  if (at.screen !== 'takeCash') {
    await leave(v);
    return { note: `withdrawal not paid out (${at.screen}${at.error ? `: ${at.error.code}` : ''})` };
  }
  if (point === 'present') {
    if (rig.presenter) await watch('the shutter open', async () => ((await rig.dispenser()).presenter?.shutterOpen ? true : undefined));
    await killer.fire();
    // while the core is down the customer takes the notes, or walks away (a stock slot's notes are always taken)
    if (!rig.presenter || r.next() < 0.5) await rig.system.devices.takeCash().catch(() => undefined);
    return {};
  }
  await rig.system.devices.takeCash();
  if (!rig.presenter) ui.send('confirm', {});
  await ui.waitFor('the outcome', (s) => s.screen === 'outcome' || s.screen === 'receiptChoice', 60_000);
  await receiptAndLeave(v);
  return {};
}

export async function payment(v: VisitContext): Promise<VisitResult> {
  const { r, point, killer, ui } = v;
  await signInByPhone(v);
  await choose(v, 'payService');
  await ui.screen('serviceCatalogue');
  ui.send('selectService', { serviceId: 'kcell' });
  await ui.screen('serviceReference');
  ui.send('submitReference', { reference: '7011234567' });
  await ui.screen('paymentSource');
  ui.send('selectPaymentSource', { source: 'product', productId: v.accountId });
  await ui.screen('amountEntry');
  ui.send('selectAmount', { amount: r.pick(PAYMENT_TIYN) });
  await ui.screen('confirm');
  ui.send('confirm', {});
  if (point === 'payment') {
    await sleep(r.below(400));
    await killer.fire();
    return {};
  }
  const at = await ui.waitFor('the outcome or a refusal', (s) => s.screen === 'outcome' || s.screen === 'refusal', 60_000);
  if (at.screen === 'refusal') {
    await leave(v);
    return { note: `payment refused (${at.error?.code ?? 'no code'})` };
  }
  await receiptAndLeave(v);
  return {};
}

/** back to the menu from wherever the visit stopped, and out */
async function leave(v: VisitContext): Promise<void> {
  for (let step = 0; step < 4 && v.ui.last?.screen !== 'operations' && v.ui.last?.screen !== 'attract'; step++) {
    const at = v.ui.last;
    v.ui.send(at?.screen === 'outcome' || at?.screen === 'receiptChoice' ? 'chooseReceipt' : 'back', at?.screen === 'outcome' || at?.screen === 'receiptChoice' ? { choice: 'none' } : {});
    await v.ui.waitFor('the next screen', (x) => x !== at, 30_000).catch(() => undefined);
  }
  if (v.ui.last?.screen === 'operations') {
    v.ui.send('finish', {});
    await v.ui.waitFor('the visit ended', (s) => s.screen !== 'operations', 60_000);
  }
}

/** the receipt (printed now and then, always at the `print` point), then the customer leaves */
async function receiptAndLeave(v: VisitContext): Promise<void> {
  const { rig, r, point, killer, ui } = v;
  const print = point === 'print' || r.next() < 0.3;
  if (point === 'print') await rig.deviceFault('printer', 'slowPrint', { ms: 250 });
  // the outcome screen takes the receipt choice at once
  ui.send('chooseReceipt', { choice: print ? 'print' : 'none' });
  if (point === 'print') {
    await ui.waitFor('the receipt printing', (s) => s.receipt?.status === 'printing', 30_000);
    await sleep(r.below(1_500));
    await killer.fire();
    return;
  }
  for (let step = 0; step < 4; step++) {
    const s = await ui.waitFor('the menu, "take your receipt" or the receipt question again', (x) =>
      x.screen === 'operations' || (x.screen === 'printing' && x.receipt?.status === 'printed') || (x.screen === 'receiptChoice' && x.receipt?.status === 'failed'), 60_000);
    if (s.screen === 'operations') break;
    // "take your receipt" until the customer says so; a failed print asks again: no receipt then
    if (s.screen === 'printing') ui.send('confirm', {});
    else ui.send('chooseReceipt', { choice: 'none' });
    await ui.waitFor('the next screen', (x) => x !== s && x.screen !== s.screen, 60_000);
  }
  await ui.screen('operations', 60_000);
  ui.send('finish', {});
  await ui.waitFor('the visit ended', (s) => s.screen !== 'operations', 60_000);
}

export const VISITS: Record<Visit, (v: VisitContext) => Promise<VisitResult>> = { cashIn, withdrawal, payment };

/** a new customer at the bank with one current account, as the visit needs it */
export async function newCustomer(rig: ChaosRig, visit: Visit, id: string, phone: string, accountId: string): Promise<number> {
  const balance = visit === 'withdrawal' ? WITHDRAWAL_BALANCE : visit === 'payment' ? PAYMENT_BALANCE : 0;
  await http('POST', `${rig.system.bankUrl}/admin/customers`, {
    id, name: 'Chaos Test', phone, birthDate: '1990-06-15', hasApp: true,
    products: [{ id: accountId, kind: 'current', balance }],
  });
  return balance;
}
