/**
 * Machine snapshot -> bridge Snapshot: the only view of a session the UI ever gets. Pure; what is
 * not copied here cannot leak: phone numbers, IINs, access tokens, PAN tokens and card data stay
 * in the core. The OTP never reaches the context in the first place (see types.ts).
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { Screen, Snapshot } from '../bridge/schema.js';
import { customerOperations, eligibleProducts, usable } from './operations.js';
import { maskPhone } from './phone.js';
import type { CashInTarget, SessionConfig } from './ports.js';
import { activeFlow, flowContext, sessionContext, sessionValue } from './flow-view.js';
import type { ServiceContext } from './service-machine.js';
import type { IdentificationContext } from './identification-machine.js';
import type { SessionContext } from './types.js';

/** dotted state of the screens, without the parallel regions' plumbing */
export function stateName(value: unknown): string {
  const parts: string[] = [];
  let v: unknown = value;
  while (v !== undefined) {
    if (typeof v === 'string') {
      parts.push(v);
      break;
    }
    if (typeof v !== 'object' || v === null) break;
    const obj = v as Record<string, unknown>;
    if ('flow' in obj) {
      v = obj.flow;
      continue;
    }
    const [key] = Object.keys(obj);
    if (key === undefined) break;
    parts.push(key);
    v = obj[key];
  }
  return parts.join('.');
}

/** the screen of the deepest active state of one machine that names one */
function ownScreen(snapshot: AnyMachineSnapshot): Screen | undefined {
  const meta = snapshot.getMeta() as Record<string, { screen?: Screen } | undefined>;
  let best: { depth: number; screen: Screen } | undefined;
  for (const [id, m] of Object.entries(meta)) {
    if (!m?.screen) continue;
    const depth = id.split('.').length;
    if (!best || depth > best.depth) best = { depth, screen: m.screen };
  }
  return best?.screen;
}

/** the screen of the deepest active state that names one: the running flow's states are deeper than the parent's */
export function screenOf(snapshot: AnyMachineSnapshot): Screen {
  const flow = activeFlow(snapshot);
  return (flow ? screenOf(flow) : undefined) ?? ownScreen(snapshot) ?? 'pleaseWait';
}

const INPUT_BY_SCREEN: Partial<Record<Screen, NonNullable<Snapshot['input']>['kind']>> = {
  phoneEntry: 'phone',
  iinEntry: 'iin',
  otpEntry: 'otp',
  amountEntry: 'amount',
  serviceReference: 'reference',
  receiptPhone: 'receiptPhone',
};

export function toBridgeSnapshot(snapshot: AnyMachineSnapshot, config: SessionConfig): Snapshot {
  const c = sessionContext(snapshot);
  const service = flowContext<ServiceContext>(snapshot, 'service');
  const ident = flowContext<IdentificationContext>(snapshot, 'identification');
  const error = c.error;
  const screen = screenOf(snapshot);
  const out: Snapshot = {
    state: stateName(sessionValue(snapshot)),
    screen,
    locale: c.locale,
    operations: screen === 'operations' ? customerOperations(c.products, c.devices, c.card) : [],
    devices: { ...c.devices },
  };
  if (c.deadline !== undefined) out.deadline = c.deadline;
  if (c.moreTimeUntil !== undefined) out.moreTimeUntil = c.moreTimeUntil;
  if (c.customer) out.customer = { maskedName: c.customer.maskedName };
  if (screen === 'start' || screen === 'identifyMethod') out.identificationMethods = [...c.identificationMethods];

  const inputKind = INPUT_BY_SCREEN[screen];
  if (screen === 'otpEntry' && ident?.otp) {
    const otp = ident.otp;
    out.input = {
      kind: 'otp',
      resendAt: otp.resendAt,
      sentTo: otp.sentTo,
      ...(otp.channel ? { channel: otp.channel } : {}),
      maxLength: config.otpLength,
      ...(otp.attemptsLeft !== undefined ? { attemptsLeft: otp.attemptsLeft } : {}),
    };
  } else if (screen === 'disambiguate') {
    out.input = { kind: ident?.askFor?.[0] ?? 'birthDate' };
    out.disambiguateBy = [...(ident?.askFor ?? ['birthDate'])];
  } else if (inputKind) {
    out.input = { kind: inputKind, ...(inputKind === 'iin' ? { maxLength: 12 } : {}) };
  }

  if (ident?.qr && screen === 'qrLogin') out.qr = { payload: ident.qr.payload, expiresAt: ident.qr.expiresAt };
  if (screen === 'palmScan') out.palm = { guidance: ident?.palmGuidance ?? 'placeHand' };
  if (c.products && (screen === 'operations' || screen === 'productSelect' || screen === 'balance')) {
    out.products = c.products.map((p) => ({
      id: p.id,
      kind: p.kind,
      label: p.label,
      currency: p.currency,
      balance: p.balance,
      available: p.available,
      ...(p.dueAmount !== undefined ? { dueAmount: p.dueAmount } : {}),
    }));
  }
  if (c.balance && screen === 'balance') {
    const p = c.products?.find((x) => x.id === c.balance?.productId);
    out.balance = { productId: c.balance.productId, balance: p?.balance ?? 0, available: p?.available ?? 0, recent: c.balance.recent.slice(0, 10) };
  }
  if (c.services && screen === 'serviceCatalogue') {
    out.services = c.services.map((s) => ({ id: s.id, category: s.category, name: s.name, referenceKind: s.referenceKind, min: s.min, max: s.max }));
  }
  if (screen === 'paymentSource') {
    const products = c.access && c.devices.bank === 'online' ? eligibleProducts('payService', c.products ?? []) : [];
    out.paymentSources = {
      cash: usable(c.devices.cashAcceptor),
      products: products.map((p) => ({ id: p.id, kind: p.kind, label: p.label, currency: p.currency, balance: p.balance, available: p.available })),
    };
  }
  if (c.accountPayment && (screen === 'amountEntry' || screen === 'confirm')) {
    const p = c.products?.find((x) => x.id === c.accountPayment?.productId);
    const s = c.services?.find((x) => x.id === c.service?.id);
    out.payment = {
      source: { kind: p?.kind ?? 'current', label: c.accountPayment.label, ...(p ? { available: p.available } : {}) },
      min: s?.min ?? 0,
      max: Math.min(s?.max ?? Number.MAX_SAFE_INTEGER, p?.available ?? Number.MAX_SAFE_INTEGER),
    };
  }
  if (c.accountPayment?.approvalDeadline !== undefined && screen === 'approvalWait') out.approval = { deadline: c.accountPayment.approvalDeadline };
  if (c.service) {
    const reference = c.service.reference;
    const kind = c.services?.find((s) => s.id === c.service?.id)?.referenceKind;
    out.selectedService = {
      id: c.service.id,
      name: c.service.name,
      ...(kind ? { referenceKind: kind } : {}),
      ...(reference ? { reference: kind === 'phone' ? maskPhone(reference) : reference } : {}),
    };
  }
  if (c.cashIn) {
    out.cashIn = {
      target: { kind: c.cashIn.target.kind, label: c.cashIn.target.label, ...productKindOf(c, c.cashIn.target) },
      notes: c.cashIn.notes.map((n) => ({ ...n })),
      total: c.cashIn.total,
      commission: c.cashIn.commission,
      max: c.cashIn.max,
      acceptedDenominations: [...config.acceptedDenominations],
      acceptor: c.cashIn.acceptor,
      ...(c.cashIn.offline ? { offline: true } : {}),
    };
  }
  if (c.withdrawal) {
    out.withdrawal = {
      presets: [...config.withdrawal.presets], multipleOf: config.withdrawal.multipleOf, max: config.withdrawal.max, stage: c.withdrawal.stage,
      ...(c.withdrawal.atExit ? { atExit: true } : {}),
      ...(c.withdrawal.amount !== undefined ? { amount: c.withdrawal.amount } : {}),
      ...(c.withdrawal.takeBy !== undefined && screen === 'takeCash' ? { takeBy: c.withdrawal.takeBy } : {}),
    };
    if (c.withdrawal.approvalDeadline !== undefined && screen === 'approvalWait') out.approval = { deadline: c.withdrawal.approvalDeadline };
  }
  if (c.quote && (screen === 'confirm' || screen === 'approvalWait')) {
    out.quote = { operation: c.quote.operation, amount: c.quote.amount, commission: c.quote.commission, total: c.quote.total };
  }
  if (c.receipt) {
    out.receipt = {
      options: [...c.receipt.options],
      status: c.receipt.status,
      ...(c.receipt.number ? { number: c.receipt.number } : {}),
      ...(c.receipt.smsTo ? { smsTo: maskPhone(c.receipt.smsTo) } : {}),
      ...(c.receipt.channel ? { channel: c.receipt.channel } : {}),
    };
    const o = c.receipt.outcome;
    if (o && screen === 'outcome') {
      out.outcome = {
        operation: o.operation, amount: o.amount, commission: o.commission,
        ...(o.target ? { target: { ...o.target } } : {}), ...(o.atExit ? { atExit: true as const } : {}),
      };
    }
  }
  if (screen === 'cardInsert') out.cardReader = config.cardReader ?? 'swipe';
  if (c.pinChange && (screen === 'pinChangeWait' || (screen === 'receiptChoice' && c.pinChange.status === 'done'))) {
    out.pinChange = { channel: c.pinChange.channel, deadline: c.pinChange.deadline, status: c.pinChange.status === 'done' ? 'done' : 'waiting' };
  }
  if (screen === 'attract') out.attract = { palm: snapshot.matches({ idle: 'palmArmed' } as never) };
  if (error) out.error = { code: error.code, ...(error.params ? { params: { ...error.params } } : {}) };
  if (service && (screen === 'serviceMenu' || screen === 'serviceLogin')) {
    out.service = { loggedIn: service.technician !== undefined, ...(service.person ? { person: service.person } : {}), ...(service.view ? { view: service.view } : {}) };
  }
  return out;
}

/** the product kind of an account a cash-in goes to, so the screen names it in its own language */
function productKindOf(c: SessionContext, target: CashInTarget): { productKind?: 'current' | 'savings' | 'loan' | 'wallet' } {
  if (target.kind === 'service') return {};
  const kind = c.products?.find((p) => p.id === target.productId)?.kind;
  return kind ? { productKind: kind } : {};
}
