/**
 * The session machine's invoked actors, built from the ports. Each does one step of I/O and
 * answers with plain data; the machine decides what happens next. Ordering that protects money
 * lives here too: a note is recorded before it is stacked, a dispense is recorded before the
 * dispenser moves, a withdrawal is reversed unless the notes were presented.
 */
import { fromPromise } from 'xstate';
import { BankUnavailableError, type IdentifyOutcome } from '../bank/bank-api.js';
import type { SessionActors } from './machine.js';
import type { CashInTarget, SessionPorts } from './ports.js';
import type { AccountPaymentAuthoriseInput, AccountPaymentAuthoriseOutcome, PalmOutcome, PrecheckOutcome } from './types.js';
import { stackNote } from './stack-note.js';
import { withTimeout } from '../../domain/async.js';

export class DeviceMissingError extends Error {
  override readonly name = 'DeviceMissingError';
}

const DEVICE_COMMAND_MS = 15_000;

/** waits `ms`, or less if the signal aborts */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function need<T>(device: T | undefined, name: string): T {
  if (!device) throw new DeviceMissingError(`${name} is not configured on this terminal`);
  return device;
}

/**
 * Notes behind the shutter before a dispense belong to an earlier withdrawal (one start-up
 * reconciliation left for the technician: a crash mid-DISPENSE, a retract that did not match). A
 * new dispense would present them together with this customer's notes, so none is started.
 */
function presenterHoldsNotes(dispenser: SessionPorts['devices']['dispenser'] | undefined): boolean {
  if (!dispenser) return false;
  const s = dispenser.status();
  return s.hasPresenter && (s.notesInPresenter ?? 0) > 0;
}

export function createSessionActors(ports: SessionPorts): SessionActors {
  const { bank, store, devices, planner, receipts, service, config } = ports;
  let cachedServices: Awaited<ReturnType<typeof bank.services>> | undefined;

  return {
    identify: fromPromise(async ({ input }) => bank.identify(input.sessionId, input.method, input.query, input.narrowing)),

    palmIdentify: fromPromise<PalmOutcome, { sessionId: string }>(async ({ input, signal }) => {
      const palm = need(devices.palm, 'palm scanner');
      const result = await palm.capture({ timeoutMs: config.timeouts.palmCaptureMs, signal });
      if (result.kind === 'liveness') return { ok: false, reason: 'palmLiveness' };
      if (result.kind === 'timeout' || result.kind === 'cancelled') return { ok: false, reason: 'palmTimeout' };
      if (result.kind === 'error') return { ok: false, reason: 'deviceFailure' };
      try {
        const outcome: IdentifyOutcome = await bank.identify(input.sessionId, 'palm', { by: 'palm', template: result.template });
        if (!outcome.ok && outcome.reason === 'notFound') return { ok: false, reason: 'palmNotRecognised' };
        return outcome;
      } finally {
        // the template is the customer's biometric: gone as soon as the bank has answered
        result.template.fill(0);
      }
    }),

    createQr: fromPromise(async ({ input }) => bank.createQrLogin(input.sessionId)),
    pollQr: fromPromise(async ({ input }) => bank.pollQrLogin(input.token)),
    requestOtp: fromPromise(async ({ input }) => bank.requestOtp(input.sessionId, input.customerId)),
    verifyOtp: fromPromise(async ({ input }) => bank.verifyOtp(input.sessionId, input.customerId, input.code)),
    loadProducts: fromPromise(async ({ input }) => bank.products(input.accessToken)),
    loadHistory: fromPromise(async ({ input }) => bank.history(input.accessToken, input.productId)),

    loadServices: fromPromise(async () => {
      try {
        cachedServices = await bank.services();
      } catch (err) {
        // the catalogue changes rarely: offline, the last one fetched still serves cash payments
        if (!(err instanceof BankUnavailableError) || !cachedServices) throw err;
      }
      return cachedServices;
    }),

    checkReference: fromPromise(async ({ input }) => {
      try {
        return await bank.checkReference(input.serviceId, input.reference);
      } catch (err) {
        // offline, the local format check stands; the bank settles the payment on delivery
        if (err instanceof BankUnavailableError) return { ok: true as const, beneficiary: '' };
        throw err;
      }
    }),

    precheckCashIn: fromPromise<PrecheckOutcome, { target: CashInTarget; accessToken?: string }>(
      async ({ input }) => {
        const t = input.target;
        const query =
          t.kind === 'service'
            ? { serviceId: t.serviceId, reference: t.reference }
            : { productId: t.productId, ...(input.accessToken ? { accessToken: input.accessToken } : {}) };
        try {
          const r = await bank.precheckCashIn(query);
          return r.ok ? { ok: true, maxAmount: r.maxAmount, minAmount: r.minAmount, offline: false } : r;
        } catch (err) {
          if (!(err instanceof BankUnavailableError)) throw err;
          // only walk-up payments are queued offline, within both caps
          if (t.kind !== 'service') throw err;
          const queued = await store.offlineQueuedTotal();
          const room = Math.max(0, config.offlineCaps.total - queued);
          const service = cachedServices?.find((s) => s.id === t.serviceId);
          const max = Math.min(config.offlineCaps.perPayment, room, service?.max ?? config.offlineCaps.perPayment);
          if (max <= 0) return { ok: false, reason: 'limitExceeded', params: { offline: 1 } };
          return { ok: true, maxAmount: max, minAmount: service?.min ?? 0, offline: true };
        }
      },
    ),

    beginCashIn: fromPromise(async ({ input }) => store.beginCashIn(input)),
    enableAcceptor: fromPromise(async ({ input }) => {
      await withTimeout(need(devices.cashAcceptor, 'cash acceptor').enable(input.denominations), DEVICE_COMMAND_MS, 'cash acceptor enable');
    }),
    disableAcceptor: fromPromise(async () => {
      if (devices.cashAcceptor) await withTimeout(devices.cashAcceptor.disable(), DEVICE_COMMAND_MS, 'cash acceptor disable');
    }),
    recordStackIntent: fromPromise(async ({ input }) => store.recordStackIntent(input.cashInId, input.denomination)),
    stackNote: fromPromise(async () => {
      // an unanswered STACK is asked again, then the note handed back: the device's event settles it
      await stackNote(need(devices.cashAcceptor, 'cash acceptor'), { commandTimeoutMs: DEVICE_COMMAND_MS });
    }),
    recordStacked: fromPromise(async ({ input }) => {
      await store.recordStacked(input.cashInId, { noteId: input.noteId });
    }),
    returnNote: fromPromise(async () => {
      await withTimeout(need(devices.cashAcceptor, 'cash acceptor').return(), DEVICE_COMMAND_MS, 'cash acceptor return');
    }),
    recordReturned: fromPromise(async ({ input }) => {
      await store.recordReturned(input.cashInId, { noteId: input.noteId }, input.reason);
    }),
    quote: fromPromise(async ({ input }) =>
      input.serviceId !== undefined ? bank.quote(input.operation, input.amount, input.productId, input.serviceId) : bank.quote(input.operation, input.amount, input.productId)),
    endCashIn: fromPromise(async ({ input }) => store.endCashIn(input.cashInId, { commission: input.commission })),

    checkDispensable: fromPromise(async ({ input }) => {
      // before the bank holds anything: the session shows a device failure instead of the quote
      if (presenterHoldsNotes(devices.dispenser)) throw new Error('the presenter holds notes of an earlier withdrawal');
      return { ok: planner.plan(input.amount) !== undefined };
    }),
    authoriseWithdrawal: fromPromise(async ({ input }) => bank.authoriseWithdrawal(input)),
    recordWithdrawalAuthorised: fromPromise(async ({ input }) => store.recordWithdrawalAuthorised(input)),
    approvalStatus: fromPromise(async ({ input }) => bank.approvalStatus(input.approvalId)),

    dispense: fromPromise(async ({ input }) => {
      const dispenser = need(devices.dispenser, 'cash dispenser');
      const plan = planner.plan(input.amount);
      if (!plan) return { ok: false as const, reason: 'cannotMakeAmount', anyDispensed: false };
      // the same guard as checkDispensable, in case the notes arrived after it: nothing moves, the hold is reversed
      if (presenterHoldsNotes(dispenser)) return { ok: false as const, reason: 'presenterNotEmpty', anyDispensed: false };
      // recorded before the dispenser moves, so a crash mid-dispense is visible at start-up
      await store.recordDispensing(input.withdrawalId, plan);
      const result = await withTimeout(dispenser.dispense(plan), 60_000, 'cash dispenser dispense');
      await store.recordDispensed(input.withdrawalId, result);
      if (result.ok) return { ok: true as const };
      return { ok: false as const, reason: result.error ?? 'failure', anyDispensed: result.perCassette.some((c) => c.dispensed > 0) };
    }),

    present: fromPromise(async ({ input }) => {
      const dispenser = need(devices.dispenser, 'cash dispenser');
      if (!dispenser.status().hasPresenter) {
        // no shutter: the notes the DISPENSE reply counted at the exit are in the customer's hands
        await store.recordPresented(input.withdrawalId, 'presented');
        return 'atExit' as const;
      }
      let state: Awaited<ReturnType<typeof dispenser.present>>;
      try {
        state = await withTimeout(dispenser.present(), 30_000, 'cash dispenser present');
      } catch {
        state = 'unknown';
      }
      await store.recordPresented(input.withdrawalId, state);
      return state;
    }),

    completeWithdrawal: fromPromise(async ({ input }) => store.recordTaken(input.withdrawalId)),

    retractAndReverse: fromPromise(async ({ input }) => {
      const dispenser = need(devices.dispenser, 'cash dispenser');
      await withTimeout(dispenser.retract(), 30_000, 'cash dispenser retract');
      await store.recordRetracted(input.withdrawalId);
      return store.reverseWithdrawal(input.withdrawalId, 'cashNotTaken');
    }),

    reverseWithdrawal: fromPromise(async ({ input }) => {
      if (!input.withdrawalId) return {};
      return store.reverseWithdrawal(input.withdrawalId, input.reason);
    }),

    /*
     * Service payment from an account. The record goes to the store before the bank is asked, so
     * whatever happens to the answer there is something to complete or reverse; an answer that
     * never came is voided by the authorisation key through the outbox, never retried blind.
     */
    authoriseAccountPayment: fromPromise<AccountPaymentAuthoriseOutcome, AccountPaymentAuthoriseInput>(async ({ input }) => {
      const authorise = bank.authoriseServicePayment?.bind(bank);
      const begin = store.beginAccountPayment?.bind(store);
      if (!authorise || !begin || !store.recordAccountPaymentAuthorised || !store.recordAccountPaymentRefused || !store.reverseAccountPayment) {
        throw new Error('payments from an account are not supported by this bank client or store');
      }
      const { paymentId } = await begin({
        sessionId: input.sessionId, customerId: input.customerId, productId: input.productId, label: input.label.slice(0, 80),
        serviceId: input.serviceId, serviceName: input.serviceName.slice(0, 80), reference: input.reference, amount: input.amount,
        commission: input.commission, authorisationKey: input.idempotencyKey,
      });
      let answer: Awaited<ReturnType<typeof authorise>>;
      try {
        answer = await authorise({
          accessToken: input.accessToken, productId: input.productId, serviceId: input.serviceId, reference: input.reference,
          amount: input.amount, commission: input.commission, idempotencyKey: input.idempotencyKey,
        });
      } catch (err) {
        if (!(err instanceof BankUnavailableError)) throw err;
        await store.reverseAccountPayment(paymentId, 'noAnswer');
        return { ok: false, reason: 'bankOffline' };
      }
      if (!answer.ok) {
        await store.recordAccountPaymentRefused(paymentId, answer.reason);
        return { ok: false, reason: answer.reason, ...(answer.params ? { params: answer.params } : {}) };
      }
      try {
        await store.recordAccountPaymentAuthorised(paymentId, { holdId: answer.holdId, commission: answer.commission });
      } catch (err) {
        // held at the bank but not recorded as such here: release it by the key
        await store.reverseAccountPayment(paymentId, 'notRecorded');
        throw err;
      }
      return { ok: true, paymentId, commission: answer.commission, status: answer.status, ...(answer.approvalId ? { approvalId: answer.approvalId } : {}) };
    }),

    completeAccountPayment: fromPromise(async ({ input }) => {
      if (!store.completeAccountPayment) throw new Error('the store cannot complete payments from an account');
      return store.completeAccountPayment(input.paymentId);
    }),

    reverseAccountPayment: fromPromise(async ({ input }) => {
      if (!input.paymentId || !store.reverseAccountPayment) return {};
      return store.reverseAccountPayment(input.paymentId, input.reason);
    }),

    printReceipt: fromPromise(async ({ input }) => receipts.print(input.receiptNumber, input.locale, input.phone ? { phone: input.phone } : {})),
    smsReceipt: fromPromise(async ({ input }) => receipts.sms(input.receiptNumber, input.phone, input.locale)),
    pushReceipt: fromPromise(async ({ input }) => (receipts.push ? receipts.push(input.receiptNumber, input.customerId, input.locale) : { ok: false })),

    ejectCard: fromPromise(async () => {
      await withTimeout(need(devices.cardReader, 'card reader').eject(), DEVICE_COMMAND_MS, 'card reader eject');
    }),
    captureCard: fromPromise(async () => {
      if (devices.cardReader) await withTimeout(devices.cardReader.capture(), DEVICE_COMMAND_MS, 'card reader capture');
    }),

    watchPalm: fromPromise<{ present: true }, Record<string, never>>(async ({ signal }) => {
      const palm = need(devices.palm, 'palm scanner');
      const pollMs = config.timeouts.palmPresencePollMs ?? 300;
      // a scanner that cannot tell presence simply never starts a session from the attract screen
      const present = palm.handPresent?.bind(palm);
      while (!signal.aborted) {
        if (present) {
          try {
            if (await withTimeout(present(), DEVICE_COMMAND_MS, 'palm scanner presence')) return { present: true };
          } catch {
            // reconnecting or busy: keep watching; health events disarm a scanner that stays away
          }
        }
        await pause(present ? pollMs : 60_000, signal);
      }
      throw new Error('palm watch stopped');
    }),

    startPinChange: fromPromise(async ({ input }) => {
      if (!bank.startPinChange) return { ok: false as const, reason: 'pinChangeNotAllowed' as const };
      return bank.startPinChange(input);
    }),
    pinChangeStatus: fromPromise(async ({ input }) => {
      if (!bank.pinChangeStatus) throw new Error('the bank gateway offers no PIN change status');
      return bank.pinChangeStatus(input.accessToken, input.pinChangeId);
    }),
    cancelPinChange: fromPromise(async ({ input }) => {
      if (!bank.cancelPinChange) throw new Error('the bank gateway offers no PIN change cancel');
      return bank.cancelPinChange(input.accessToken, input.pinChangeId);
    }),
    recordPinChange: fromPromise(async ({ input }) => {
      if (!store.recordPinChange) throw new Error('the store cannot journal a PIN change');
      return store.recordPinChange(input);
    }),

    serviceLogin: fromPromise(async ({ input }) => service.login(input.code, input.userId)),
    serviceAction: fromPromise(async ({ input }) => service.perform(input.technician, input.action, input.params)),
  };
}
