import { useState } from 'react';
import { ServiceLoginView, ServiceModeView } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { ServiceCollectScreen } from './ServiceCollectScreen.js';
import { ServiceReceiptLookupScreen } from './ServiceReceiptLookupScreen.js';
import { ServiceLostReceiptsScreen } from './ServiceLostReceiptsScreen.js';
import { ServiceOpenWithdrawalsScreen } from './ServiceOpenWithdrawalsScreen.js';
import { ServiceReplenishScreen } from './ServiceReplenishScreen.js';
import { DeadLettersView, ServiceDeadLettersScreen } from './ServiceDeadLettersScreen.js';

const ACTIONS = [
  'diagnostics', 'cashUnits', 'collect', 'replenish', 'testAcceptor', 'testDispense', 'testCardRead', 'testPalm', 'testPresenter', 'testPrint',
  'resetDevice', 'deadLetters', 'openWithdrawals', 'lookupReceipt', 'lostReceipts', 'verifyJournal', 'outOfService', 'inService', 'configuration', 'exportLogs', 'exit',
] as const;
type MenuAction = (typeof ACTIONS)[number];
/** the two buttons of the out-of-service toggle are one core action with `on` */
const TOGGLE: Partial<Record<MenuAction, { on: number }>> = { outOfService: { on: 1 }, inService: { on: 0 } };
/** device tests and the like answer with an outcome the screen says in words (the details follow below) */
const OUTCOMES = [
  'returned', 'noNote', 'rejected', 'notReturned', 'notInBillTable', 'openIntent', 'rejectBin', 'deviceError', 'unsupported', 'unknownCassette',
  'read', 'noCard', 'readError', 'captured', 'timeout', 'liveness', 'cancelled', 'error', 'cycled', 'noPresenter', 'presenterNotEmpty',
  'written', 'noLogFile', 'writeFailed', 'leakFound', 'failure',
] as const;
const outcomeOf = (view: unknown): (typeof OUTCOMES)[number] | undefined => {
  const o = (view as { outcome?: unknown } | undefined)?.outcome;
  return OUTCOMES.find((x) => x === o);
};
const DEVICES = ['cashAcceptor', 'dispenser', 'printer', 'cardReader', 'palm'] as const;

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** actions whose answer is an entry screen of its own; they open it by asking the core for its form */
const ENTRY_ACTIONS = new Set<string>(['lookupReceipt', 'lostReceipts', 'openWithdrawals', 'collect', 'replenish', 'deadLetters', 'resolveDeadLetter', 'printDeadLetter']);

/**
 * The technician's menu: device health, the core's service view, and the audited actions. An
 * action that needs input (receipt look-up, collection, replenishment) answers with its entry
 * screen, shown in place of the menu until the technician goes back to it.
 */
export function ServiceMenuScreen() {
  const { snapshot, send, t } = useView();
  const d = snapshot.devices;
  // The last action's answer (`view`) reads best as a block; other service facts as a list.
  const { view: result, loggedIn: _loggedIn, person: login, ...rest } = snapshot.service ?? {};
  // the core's login answer: who is in, and the actions their role allows (the core checks again)
  const who = ServiceLoginView.safeParse(login);
  const actions = who.success ? ACTIONS.filter((a) => who.data.permitted.includes(TOGGLE[a] ? 'outOfService' : a)) : ACTIONS;
  const facts = Object.entries(rest);
  // Answers are told apart by content (every snapshot is a new object). `hidden` is an answer not
  // to show again: the one left with "back to menu", or the one on screen when another action was
  // asked for, which is stale until the core answers.
  const key = result === undefined ? undefined : JSON.stringify(result);
  const [hidden, setHidden] = useState<string | undefined>(undefined);
  // an action asked for from the menu: 'sent', then 'taken' once the core is performing it
  const [asked, setAsked] = useState<'sent' | 'taken' | undefined>(undefined);
  const performing = snapshot.state === 'service.performing';
  if (asked === 'sent' && performing) setAsked('taken');
  else if (asked === 'taken' && !performing) {
    // the core has answered: this answer is new even if it reads the same as the hidden one
    setAsked(undefined);
    setHidden(undefined);
  } else if (asked === 'sent' && key !== hidden) setAsked(undefined); // answered before a performing snapshot was seen
  const fresh = key !== undefined && key !== hidden;
  const parsed = fresh ? ServiceModeView.safeParse(result) : undefined;
  const entry = parsed?.success ? parsed.data : undefined;
  const back = (): void => setHidden(key);
  if (entry?.action === 'lookupReceipt' && 'stage' in entry) return <ServiceReceiptLookupScreen view={entry} onBack={back} />;
  if (entry?.action === 'lostReceipts' && 'receipts' in entry) return <ServiceLostReceiptsScreen view={entry} onBack={back} />;
  if (entry?.action === 'openWithdrawals' && 'withdrawals' in entry) return <ServiceOpenWithdrawalsScreen view={entry} onBack={back} />;
  if (entry?.action === 'collect' && 'stage' in entry) return <ServiceCollectScreen view={entry} onBack={back} />;
  if (entry?.action === 'replenish' && 'stage' in entry) return <ServiceReplenishScreen view={entry} onBack={back} />;
  const letters = fresh ? DeadLettersView.safeParse(result) : undefined;
  if (letters?.success) return <ServiceDeadLettersScreen view={letters.data} onBack={back} />;
  const open = (a: MenuAction): void => {
    setHidden(key);
    setAsked('sent');
    const toggle = TOGGLE[a];
    if (toggle) send({ name: 'serviceAction', payload: { action: 'outOfService', params: toggle } });
    else if (a !== 'inService') send({ name: 'serviceAction', payload: ENTRY_ACTIONS.has(a) ? { action: a, params: { locale: snapshot.locale } } : { action: a } });
  };
  const shown = !fresh || (parsed?.success && ENTRY_ACTIONS.has(parsed.data.action)) ? undefined : result;
  const outcome = outcomeOf(shown);
  const waiting = asked !== undefined;
  return (
    <ScreenFrame title={t('service.menuTitle')}>
      {who.success ? (
        <p className="service-person" data-person={who.data.person.id}>
          {t('service.person', { id: who.data.person.id, role: who.data.person.roles.map((r) => t(`service.role.${r}`)).join(', ') })}
        </p>
      ) : null}
      <h2 className="section">{t('service.devices')}</h2>
      <dl className="summary compact">
        {DEVICES.map((k) => (
          <div key={k}>
            <dt>{t(`device.${k}`)}</dt>
            <dd className={`health health-${d[k]}`}>{t(`health.${d[k]}`)}</dd>
          </div>
        ))}
        <div>
          <dt>{t('service.bank')}</dt>
          <dd className={`health health-${d.bank}`}>{t(`health.${d.bank}`)}</dd>
        </div>
      </dl>
      {facts.length > 0 ? (
        <dl className="summary compact service-view">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{show(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {waiting ? (
        <p className="service-working" role="status">
          {t('service.working')}
        </p>
      ) : entry !== undefined && 'denied' in entry ? (
        <p className="service-denied" role="alert" data-action={entry.action}>
          {t('service.refusal.notPermitted')}
        </p>
      ) : shown !== undefined ? (
        <>
          {outcome ? (
            <p className={`service-outcome ${(shown as { ok?: unknown }).ok === false ? 'service-notice-problem' : 'service-notice-ok'}`} role="status" data-outcome={outcome}>
              {t(`service.outcome.${outcome}`)}
            </p>
          ) : null}
          {(shown as { action?: unknown }).action === 'outOfService' ? (
            <p className="service-outcome" role="status" data-out-of-service={String((shown as { on?: unknown }).on === true)}>
              {t((shown as { on?: unknown }).on === true ? 'service.outOfService.on' : 'service.outOfService.off')}
            </p>
          ) : null}
          <pre className="service-result" aria-live="polite">
            {JSON.stringify(shown, null, 2)}
          </pre>
        </>
      ) : null}
      <div className="choices choices-grid">
        {actions.map((a) => (
          <button key={a} type="button" className={a === 'exit' ? 'choice choice-exit' : 'choice'} onClick={() => open(a)}>
            <span className="choice-title">{t(`service.action.${a}`)}</span>
          </button>
        ))}
      </div>
    </ScreenFrame>
  );
}
