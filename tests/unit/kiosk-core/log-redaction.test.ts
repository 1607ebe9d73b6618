import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskDigitRuns, REDACTED } from '../../../kiosk/log/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'trace', destination }) };
}

const PAN = '4400430012345678';
const secrets = {
  pan: PAN,
  track: '%B4400430012345678^DOE/JOHN^2912101000000000000?',
  otp: '482913',
  pin: '7391',
  template: 'cGFsbS12ZWluLXRlbXBsYXRl',
  code: '55667788',
  cvv: '737',
};

describe('log redaction', () => {
  it('never writes a secret field at any depth the core logs', async () => {
    const { lines, logger } = capture();
    logger.info(secrets, 'top level');
    logger.info({ card: secrets }, 'one level');
    logger.warn({ session: { customer: secrets } }, 'two levels');
    logger.error({ a: { b: { c: secrets } } }, 'three levels');
    logger.debug({ a: { b: { c: { d: secrets } } } }, 'four levels');
    logger.flush();
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(lines).toHaveLength(5);
    for (const value of Object.values(secrets)) expect(out).not.toContain(value);
    expect(out.split(REDACTED).length - 1).toBe(5 * Object.keys(secrets).length);
  });

  it('keeps ordinary fields', async () => {
    const { lines, logger } = capture();
    logger.info({ amount: 500_000, screen: 'cashIn' }, 'note stacked');
    await new Promise((r) => setImmediate(r));
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ amount: 500_000, screen: 'cashIn', msg: 'note stacked' });
  });

  it('masks a card number written into a message string', async () => {
    const { lines, logger } = capture();
    logger.warn(`card ${PAN} was not recognised`);
    logger.info({ n: 1 }, `again ${PAN}`);
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(out).not.toContain(PAN);
    expect(out).toContain('440043******5678');
  });

  it('masks 13 to 19 digit runs only', () => {
    expect(maskDigitRuns('receipt 000123, amount 150000')).toBe('receipt 000123, amount 150000');
    expect(maskDigitRuns('4400430012345')).toBe('440043***2345');
    expect(maskDigitRuns('4400430012345678901')).toBe('440043*********8901');
    expect(maskDigitRuns('iin 900101300123')).toBe('iin 900101300123');
  });
});
