/**
 * A service payment in scenario tests: the way from the operations menu to the mobile operator
 * Kcell with the reference 701 123 45 67, and the approval request a trusted person is sent.
 */
import type { Snapshot } from '../../../kiosk/bridge/schema.js';
import { eventually, http, type BridgeClient } from './bridge-client.js';

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
