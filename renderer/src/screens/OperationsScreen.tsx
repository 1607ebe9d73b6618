import type { Operation } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

const ICON: Record<Operation, string> = { balance: '≡', cashIn: '⬇', withdraw: '⬆', payService: '🧾', loanRepayment: '%', changePin: '🔑' };

export function OperationsScreen() {
  const { snapshot, send, t } = useView();
  const name = snapshot.customer?.maskedName;
  return (
    <ScreenFrame title={t('operations.title')} hint={name ? t('operations.hello', { name }) : undefined} cancel>
      <div className="choices choices-grid">
        {snapshot.operations.map((op) => (
          <button key={op} type="button" className="choice" onClick={() => send({ name: 'chooseOperation', payload: { operation: op } })}>
            <span className="choice-icon" aria-hidden="true">{ICON[op]}</span>
            <span className="choice-title">{t(`op.${op}`)}</span>
          </button>
        ))}
      </div>
    </ScreenFrame>
  );
}
