/**
 * What the intent settler reads of the live session: which cash-in it holds and whether it is still
 * waiting for the acceptor's word, from the tags the session machine's states carry. The steps are
 * resolved on the real machine, so a state that loses its tag fails here.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { sessionNoteView } from '../../../kiosk/runtime/session-note-view.js';
import { createSessionMachine } from '../../../kiosk/session/machine.js';
import { testConfig } from '../session/world.js';

const machine = createSessionMachine({ config: testConfig, now: () => 0, newSessionId: () => 's-1' });
const initial = createActor(machine).getSnapshot().context;

const at = (step: string | undefined, cashInId?: string) => {
  const value = step === undefined ? { session: { flow: 'operations', inactivity: 'paused' } } : { session: { flow: { cashIn: step }, inactivity: 'paused' } };
  const snapshot = machine.resolveState({ value, context: { ...initial, cashIn: cashInId ? ({ cashInId } as never) : undefined } });
  return sessionNoteView(() => snapshot);
};

describe('the session as the intent settler sees it', () => {
  it('a cash-in the session is stacking is the session\'s to settle', () => {
    for (const step of ['recordingIntent', 'stacking', 'recordingStacked', 'recordingReturned']) {
      const view = at(step, 'ci-1');
      expect(view.holder('ci-1')).toBe('settling');
      expect(view.holder('ci-2')).toBe('none');
      expect(view.awaitsDeviceWord()).toBe(true);
    }
  });

  it('handing a note back waits for the device\'s word too, on no intent', () => {
    const view = at('returning', 'ci-1');
    expect(view.awaitsDeviceWord()).toBe(true);
    expect(view.holder('ci-1')).toBe('open');
  });

  it('closing or confirming: the session still holds the cash-in but waits for no note', () => {
    for (const step of ['closing', 'quoting', 'confirming', 'finishing', 'accepting']) {
      const view = at(step, 'ci-1');
      expect(view.holder('ci-1')).toBe('open');
      expect(view.awaitsDeviceWord()).toBe(false);
      expect(view.inCashIn()).toBe(true);
    }
  });

  it('outside the cash-in (a leftover cash-in in the context included) no cash-in is held', () => {
    const view = at(undefined, 'ci-1');
    expect(view.holder('ci-1')).toBe('none');
    expect(view.inCashIn()).toBe(false);
    expect(view.awaitsDeviceWord()).toBe(false);
  });
});
