import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

const ACTIONS = ['diagnostics', 'cashUnits', 'collect', 'replenish', 'testPrint', 'resetDevice', 'deadLetters', 'lookupReceipt', 'verifyJournal', 'exit'] as const;
const DEVICES = ['cashAcceptor', 'dispenser', 'printer', 'cardReader', 'palm'] as const;

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The technician's menu: device health, the core's service view, and the audited actions. */
export function ServiceMenuScreen() {
  const { snapshot, send, t } = useView();
  const d = snapshot.devices;
  // The last action's answer (`view`) reads best as a block; other service facts as a list.
  const { view: result, loggedIn: _loggedIn, ...rest } = snapshot.service ?? {};
  const facts = Object.entries(rest);
  return (
    <ScreenFrame title={t('service.menuTitle')}>
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
      {result !== undefined ? (
        <pre className="service-result" aria-live="polite">
          {JSON.stringify(result, null, 2)}
        </pre>
      ) : null}
      <div className="choices choices-grid">
        {ACTIONS.map((a) => (
          <button key={a} type="button" className={a === 'exit' ? 'choice choice-exit' : 'choice'} onClick={() => send({ name: 'serviceAction', payload: { action: a } })}>
            <span className="choice-title">{t(`service.action.${a}`)}</span>
          </button>
        ))}
      </div>
    </ScreenFrame>
  );
}
