/**
 * Stretches of a customer's visit that several scenario tests walk, each from the operations menu:
 * into a cash-in, up to a withdrawal's consent, up to the way to pay the mobile operator Kcell
 * (reference 701 123 45 67); and the approval request a trusted person is sent.
 */
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import { eventually, http, type BridgeClient } from './bridge-client.js';

/** from the operations menu: cash-in into `productId`, the acceptor taking notes */
export async function cashInTo(ui: BridgeClient, productId: string): Promise<Snapshot> {
  await ui.waitFor('cash-in on the menu', (s) => s.screen === 'operations' && s.operations.includes('cashIn'));
  ui.send('chooseOperation', { operation: 'cashIn' });
  await ui.screen('productSelect');
  ui.send('selectProduct', { productId });
  return ui.waitFor('acceptor accepting', (s) => s.cashIn?.acceptor === 'accepting');
}

/** from the operations menu: a withdrawal of `amount` (tiyn) up to the confirm screen and its quote */
export async function toWithdrawalConfirm(ui: BridgeClient, amount: number): Promise<Snapshot> {
  await ui.waitFor('withdraw on the menu', (s) => s.screen === 'operations' && s.operations.includes('withdraw'));
  ui.send('chooseOperation', { operation: 'withdraw' });
  await ui.screen('amountEntry');
  ui.send('selectAmount', { amount });
  return ui.screen('confirm');
}

/** from the operations menu up to the "how to pay" screen */
export async function toPaymentSource(ui: BridgeClient): Promise<Snapshot> {
  await ui.waitFor('pay a service on the menu', (s) => s.screen === 'operations' && s.operations.includes('payService'));
  ui.send('chooseOperation', { operation: 'payService' });
  await ui.screen('serviceCatalogue');
  ui.send('selectService', { serviceId: 'kcell' });
  await ui.screen('serviceReference');
  ui.send('submitReference', { reference: '7011234567' });
  return ui.screen('paymentSource');
}

/** the id in the newest approval request the bank sent by SMS to the trusted person's `phone` */
export function approvalRequest(bankUrl: string, phone: string): Promise<string> {
  return eventually('the approval request', async () => {
    const { messages } = await http<{ messages: Array<{ text: string }> }>('GET', `${bankUrl}/admin/sms?phone=${encodeURIComponent(phone)}`);
    return /request (ap-[\w-]+)/.exec(messages.at(-1)?.text ?? '')?.[1];
  });
}
