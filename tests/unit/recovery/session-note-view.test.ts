/**
 * What the intent settler reads of the live session: which cash-in it holds and whether it is still
 * waiting for the acceptor's word, from the session machine's own state value.
 */
import { describe, expect, it } from 'vitest';
import { sessionNoteView } from '../../../kiosk/runtime/session-note-view.js';

const at = (step: string | undefined, cashInId?: string) =>
  sessionNoteView(() => ({
    value: step === undefined ? { session: { flow: 'operations' } } : { session: { flow: { cashIn: step } } },
    context: { cashIn: cashInId ? { cashInId } : undefined },
  }));

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
