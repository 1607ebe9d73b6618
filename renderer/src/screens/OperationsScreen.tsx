import type { Operation } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { Icon, type IconName } from '../components/Icon.js';
import { ScreenFrame } from '../components/Layout.js';

const ICON: Record<Operation, IconName> = { balance: 'list', cashIn: 'cashIn', withdraw: 'cashOut', payService: 'receipt', loanRepayment: 'percent', changePin: 'key' };

export function OperationsScreen() {
  const { snapshot, send, t } = useView();
  const name = snapshot.customer?.maskedName;
  return (
    <ScreenFrame title={t('operations.title')} hint={name ? t('operations.hello', { name }) : undefined} cancel>
      <div className="choices choices-grid">
        {snapshot.operations.map((op) => (
          <button key={op} type="button" className="choice" onClick={() => send({ name: 'chooseOperation', payload: { operation: op } })}>
            <span className="choice-icon">
              <Icon name={ICON[op]} />
            </span>
            <span className="choice-title">{t(`op.${op}`)}</span>
          </button>
        ))}
      </div>
    </ScreenFrame>
  );
}
