/** STACK on a line that may lose frames: the device's state decides, never the missing answer. */
import { describe, expect, it } from 'vitest';
import type { CashAcceptorStatus } from '../../../drivers/cash-acceptor/cash-acceptor.js';
import { stackNote } from '../../../kiosk/session/stack-note.js';
import { FakeAcceptor } from './fakes.js';

const lost = (): Error => new Error('no valid reply to command 0x35 after 3 attempts');

/** an acceptor whose commands are answered (or not) as scripted; state follows what the device did */
class LossyAcceptor extends FakeAcceptor {
  readonly sent: string[] = [];
  state: CashAcceptorStatus['state'] = 'escrow';
  override link: 'online' | 'offline' = 'online';
  constructor(private readonly script: { stack: Array<'ok' | 'lost' | 'heardButLost'>; ret?: 'ok' | 'lost' }) {
    super([]);
  }
  override status(): CashAcceptorStatus {
    return { link: this.link, state: this.state, billTable: [500_000], ...(this.state === 'escrow' ? { escrow: 500_000 } : {}) };
  }
  override async stack(): Promise<void> {
    this.sent.push('stack');
    const next = this.script.stack.shift() ?? 'lost';
    if (next === 'ok' || next === 'heardButLost') this.state = 'stacking';
    if (next !== 'ok') throw lost();
  }
  override async return(): Promise<void> {
    this.sent.push('return');
    if (this.script.ret === 'lost') throw new Error('no valid reply to command 0x36 after 3 attempts');
    this.state = 'returning';
  }
}

const run = (a: LossyAcceptor) => stackNote(a, { commandTimeoutMs: 1_000, settleMs: 1 });

describe('stackNote', () => {
  it('an answered STACK is sent once', async () => {
    const a = new LossyAcceptor({ stack: ['ok'] });
    expect(await run(a)).toBe('sent');
    expect(a.sent).toEqual(['stack']);
  });

  it('an unanswered STACK the device heard is not sent again: the note left escrow', async () => {
    const a = new LossyAcceptor({ stack: ['heardButLost'] });
    expect(await run(a)).toBe('leftEscrow');
    expect(a.sent).toEqual(['stack']);
  });

  it('a STACK the device never heard is asked again', async () => {
    const a = new LossyAcceptor({ stack: ['lost', 'ok'] });
    expect(await run(a)).toBe('sent');
    expect(a.sent).toEqual(['stack', 'stack']);
  });

  it('never heard at all: the note is handed back', async () => {
    const a = new LossyAcceptor({ stack: ['lost', 'lost', 'lost'] });
    expect(await run(a)).toBe('handedBack');
    expect(a.sent).toEqual(['stack', 'stack', 'stack', 'return']);
  });

  it('RETURN unanswered too: the STACK error goes up while the note is still in escrow', async () => {
    const a = new LossyAcceptor({ stack: ['lost', 'lost', 'lost'], ret: 'lost' });
    await expect(run(a)).rejects.toThrow(/0x35/);
  });

  it('with the link down nothing is sent again: reconciliation settles the note', async () => {
    const a = new LossyAcceptor({ stack: ['lost'] });
    a.link = 'offline';
    await expect(run(a)).rejects.toThrow(/0x35/);
    expect(a.sent).toEqual(['stack']);
  });
});
