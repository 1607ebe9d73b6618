/**
 * The simulated SMS gateway and push service: what the bank sent to which phone. It stands for the
 * mobile network, not the bank's ledger, so it lives in memory only (an OTP's text exists here and
 * on the customer's phone, never in the ledger, which keeps only a hash).
 */
export interface OutboundMessage {
  id: number;
  phone: string;
  channel: 'sms' | 'push';
  text: string;
  at: string;
}

export class SmsOutbox {
  private readonly messages: OutboundMessage[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number, private readonly keep = 1000) {}

  send(phone: string, channel: 'sms' | 'push', text: string): OutboundMessage {
    const message = { id: this.nextId++, phone, channel, text, at: new Date(this.now()).toISOString() };
    this.messages.push(message);
    if (this.messages.length > this.keep) this.messages.splice(0, this.messages.length - this.keep);
    return message;
  }

  /** newest last */
  list(phone?: string): OutboundMessage[] {
    return phone === undefined ? [...this.messages] : this.messages.filter((m) => m.phone === phone);
  }
}
