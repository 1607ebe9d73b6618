/**
 * What a bank answer means, once HTTP has delivered it: a value that passed its route's wire
 * schema, or a BankUnavailableError (TransientBankError for a 5xx, worth another attempt). Kept
 * apart from the transport so every route's parsing can be exercised without a network.
 */
import type { z } from 'zod';
import { BankUnavailableError } from './bank-api.js';
import type { HttpAnswer } from './http-transport.js';
import { ErrorBody } from './wire.js';

/** a failure worth another attempt (no answer, or a 5xx) */
export class TransientBankError extends BankUnavailableError {}

export function readAnswer<S extends z.ZodType>(schema: S, method: string, path: string, answer: HttpAnswer): z.infer<S> {
  if (answer.status >= 500) throw new TransientBankError(`bank answered ${answer.status} to ${method} ${path}${errorText(answer.text)}`);
  if (answer.status < 200 || answer.status >= 300) {
    // a 4xx means the two ends disagree on the contract: repeating it cannot help
    throw new BankUnavailableError(`bank refused the request ${method} ${path} with ${answer.status}${errorText(answer.text)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    throw new BankUnavailableError(`bank answered ${method} ${path} with something that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BankUnavailableError(`bank answer to ${method} ${path} breaks the contract at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

function errorText(text: string): string {
  try {
    const body = ErrorBody.safeParse(JSON.parse(text));
    // the gateway's words, never more than a line of them
    return body.success ? `: ${body.data.error.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
