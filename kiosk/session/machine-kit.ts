/**
 * What the session's parent machine and its flow machines share: the placeholder for actor logic
 * provided at start, the screen a state shows, the one id every flow is invoked under, and the
 * mapping of a bank's refusal reason to the error code the customer sees.
 */
import { fromPromise } from 'xstate';
import type { ErrorCode, Screen } from '../bridge/schema.js';

/** placeholder logic: the real one is provided from the ports before the actor starts */
export function unprovided<TOut, TIn>(name: string) {
  return fromPromise<TOut, TIn>(async () => {
    throw new Error(`session actor '${name}' was not provided`);
  });
}

/** the screen a state shows (its meta); the deepest state naming one wins */
export const screen = (s: Screen) => ({ meta: { screen: s } });

/**
 * The id of the flow machine the parent runs now (service mode, a PIN change, ...): one at a
 * time, so the bridge snapshot finds it at `snapshot.children.flow`.
 */
export const FLOW_ID = 'flow';

/**
 * A customer flow's screens drive the parent's inactivity timer (its `inactivity` region): a
 * screen waiting for the customer sends it `ACTIVITY` (the timer counts), a screen waiting for a
 * device or the bank sends it `BUSY` (the timer rests).
 */
export const ACTIVITY = { type: 'session.activity' } as const;
export const BUSY = { type: 'session.busy' } as const;

/**
 * Where a customer flow hands the session back to the parent: the receipt step (with the
 * receipt number the store gave the operation), the refusal screen (with its error; `bankOffline`
 * when the bank did not answer), the menu (the operations for a signed-in customer, else
 * goodbye) or goodbye.
 */
export type FlowEnd =
  | { to: 'receipt'; receiptNumber: string }
  | { to: 'refusal'; error: ShownError; bankOffline?: boolean }
  | { to: 'menu' }
  | { to: 'ending' };

/** an error the customer (or technician) is shown */
export interface ShownError {
  code: ErrorCode;
  params?: Record<string, string | number>;
}

const KNOWN_REFUSALS: readonly string[] = [
  'notIdentified', 'notFound', 'ambiguous', 'blocked', 'restricted', 'insufficientFunds', 'aboveMaxTopUp', 'belowMinimum',
  'limitExceeded', 'notAuthorised', 'currencyMismatch', 'amlRefused', 'approvalRefused', 'approvalTimeout', 'invalidReference',
  'otpWrong', 'otpLocked', 'otpExpired', 'consentWithdrawn', 'palmNotRecognised', 'palmLiveness', 'palmTimeout', 'walletNoCash',
  'deviceFailure', 'cashNotTaken', 'bankOffline', 'offlineCapExceeded', 'noteReturned', 'timeout',
  'pinChangeNotAllowed', 'pinChangeFailed', 'pinChangeTimeout',
];

export function refusalCode(reason: string): ErrorCode {
  return (KNOWN_REFUSALS.includes(reason) ? reason : 'internal') as ErrorCode;
}

/** pick the named actor implementations out of a full set (each machine is provided its own) */
export function pickActors<T extends object>(all: Partial<Record<string, unknown>> | undefined, names: T): Partial<T> | undefined {
  if (!all) return undefined;
  return Object.fromEntries(Object.keys(names).filter((k) => all[k] !== undefined).map((k) => [k, all[k]])) as Partial<T>;
}
