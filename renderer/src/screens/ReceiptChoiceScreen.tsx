import type { ReceiptChoice } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { Icon, type IconName } from '../components/Icon.js';
import { ScreenFrame } from '../components/Layout.js';

const ICON: Record<ReceiptChoice, IconName> = { print: 'printer', sms: 'envelope', push: 'phone', none: 'cross' };

export function ReceiptChoiceScreen() {
  const { snapshot, send, t } = useView();
  const r = snapshot.receipt;
  const options = r?.options ?? ['print', 'sms', 'none'];
  return (
    <ScreenFrame title={t('receipt.title')} hint={r?.number ? t('receipt.number', { number: r.number }) : undefined}>
      {snapshot.pinChange?.status === 'done' ? (
        <p className="banner banner-success" role="status">
          <strong>{t('pinChange.done')}</strong>
        </p>
      ) : null}
      <div className="choices">
        {options.map((o) => (
          <button key={o} type="button" className="choice" onClick={() => send({ name: 'chooseReceipt', payload: { choice: o } })}>
            <span className="choice-icon">
              <Icon name={ICON[o]} />
            </span>
            <span className="choice-title">{t(`receipt.${o}`)}</span>
          </button>
        ))}
      </div>
    </ScreenFrame>
  );
}
