/**
 * What the intent settler reads of the live session: which cash-in it holds and whether it is still
 * waiting for the acceptor's word, from the tags the session machine's states carry. The steps are
 * resolved on the real machines (the parent in its cash-in state, the cash-in flow machine it runs
 * at `children.flow`), so a state that loses its tag fails here.
 */
import { describe, expect, it } from 'vitest';
import { createActor, type AnyMachineSnapshot } from 'xstate';
import { sessionNoteView } from '../../../kiosk/runtime/session-note-view.js';
import { createCashInMachine } from '../../../kiosk/session/cash-in-machine.js';
import { createSessionMachine } from '../../../kiosk/session/machine.js';
import { FLOW_ID } from '../../../kiosk/session/machine-kit.js';
import { testConfig } from '../session/world.js';

const machine = createSessionMachine({ config: testConfig, now: () => 0, newSessionId: () => 's-1' });
const cashInFlow = createCashInMachine({ config: testConfig });
const initial = createActor(machine).getSnapshot().context;
const target = { kind: 'account', customerId: 'c-1', productId: 'p-1', label: 'Current' } as const;

const at = (step: string | undefined, cashInId?: string) => {
  const cashIn = { target, notes: [], total: 0, commission: 0, max: 0, min: 0, offline: false, acceptor: 'accepting' as const, ...(cashInId ? { cashInId } : {}) };
  if (step === undefined) {
    const snapshot = machine.resolveState({ value: { session: { flow: 'operations', inactivity: 'paused' } }, context: { ...initial, cashIn } });
    return sessionNoteView(() => snapshot);
  }
  const host = machine.resolveState({ value: { session: { flow: 'cashIn', inactivity: 'paused' } }, context: initial });
  const flow = cashInFlow.resolveState({ value: step, context: { sessionId: 's-1', target, operation: 'cashIn', cashIn } });
  // the parent as it is while it runs the flow: the flow's snapshot under the one flow id
  const snapshot = { ...host, children: { [FLOW_ID]: { getSnapshot: () => flow } } } as unknown as AnyMachineSnapshot;
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
