/**
 * Narrowing several matches (bank rules ch.2 item 4.2) belongs to one lookup: after a refusal the
 * customer may try again in the same session, and the bank must then be asked afresh, not with
 * the birth date typed for the lookup that failed.
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import type { IdentifyOutcome } from '../../../kiosk/bank/bank-api.js';
import { createSessionMachine } from '../../../kiosk/session/machine.js';
import { screenOf } from '../../../kiosk/session/snapshot.js';
import { sessionContext } from '../../../kiosk/session/flow-view.js';
import type { IdentifyInput, OtpRequestOutcome } from '../../../kiosk/session/types.js';
import { testConfig } from './world.js';

const SHARED_PHONE = '+77017654321';
const SERGEY = '2001-02-03';

/** a bank where two customers share a phone and only Sergey's birth date narrows it to one */
function sharedPhoneSession() {
  const asked: IdentifyInput[] = [];
  const machine = createSessionMachine({ config: testConfig, now: () => Date.UTC(2026, 10, 25, 10, 0), newSessionId: () => 'sess-1',
    actors: {
      identify: fromPromise<IdentifyOutcome, IdentifyInput>(async ({ input }) => {
        asked.push(input);
        const birthDate = input.narrowing?.birthDate;
        if (birthDate === undefined) return { ok: true, status: 'ambiguous', askFor: ['birthDate', 'personalCode'] };
        if (birthDate === SERGEY) return { ok: true, status: 'identified', customerId: 'c-sergey', maskedName: 'Sergey I.' };
        return { ok: false, reason: 'notIdentified' };
      }),
      requestOtp: fromPromise<OtpRequestOutcome, { sessionId: string; customerId: string }>(async () => ({ ok: true, sentTo: '+7701***4321', expiresAt: Date.UTC(2026, 10, 25, 10, 15), resendAt: Date.UTC(2026, 10, 25, 10, 1) })),
    },
  });
  const actor = createActor(machine).start();
  actor.send({ type: 'device.health', devices: { cashAcceptor: 'ok', dispenser: 'ok', printer: 'ok', cardReader: 'ok', palm: 'ok', bank: 'online' } });
  const screen = async (want: string): Promise<void> => {
    try {
      await waitFor(actor, (s) => screenOf(s) === want, { timeout: 2_000 });
    } catch {
      throw new Error(`expected the ${want} screen, the session shows ${screenOf(actor.getSnapshot())}`);
    }
  };
  return { actor, asked, screen };
}

describe('narrowing several matches', () => {
  it('a wrong birth date refuses; trying again in the same session asks for the birth date afresh', async () => {
    const { actor, asked, screen } = sharedPhoneSession();
    try {
      actor.send({ type: 'start' });
      actor.send({ type: 'chooseIdentification', method: 'phone' });
      actor.send({ type: 'submitPhone', phone: '87017654321' });
      await screen('disambiguate');
      actor.send({ type: 'submitBirthDate', birthDate: '1990-01-01' });
      await screen('refusal');
      expect(actor.getSnapshot().context.error?.code).toBe('notIdentified');

      actor.send({ type: 'back' });
      await screen('start');
      actor.send({ type: 'chooseIdentification', method: 'phone' });
      actor.send({ type: 'submitPhone', phone: '87017654321' });
      await screen('disambiguate');
      actor.send({ type: 'submitBirthDate', birthDate: SERGEY });
      await screen('otpEntry');
      expect(sessionContext(actor.getSnapshot()).customer).toEqual({ id: 'c-sergey', maskedName: 'Sergey I.' });

      expect(asked.map((a) => [a.query, a.narrowing])).toEqual([
        [{ by: 'phone', phone: SHARED_PHONE }, undefined],
        [{ by: 'phone', phone: SHARED_PHONE }, { birthDate: '1990-01-01' }],
        [{ by: 'phone', phone: SHARED_PHONE }, undefined],
        [{ by: 'phone', phone: SHARED_PHONE }, { birthDate: SERGEY }],
      ]);
    } finally {
      actor.stop();
    }
  });
});
