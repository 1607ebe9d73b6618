import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';
import { productName } from '../format/product.js';

/** Amount, commission and total before the customer consents (bank rules 5.5). */
export function ConfirmScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const q = snapshot.quote;
  // Notes already stacked cannot be handed back: a cash-in is confirmed or topped up, never cancelled here.
  const cashAlreadyIn = (snapshot.cashIn?.total ?? 0) > 0;
  return (
    <ScreenFrame
      title={t('confirm.title')}
      back
      cancel={!cashAlreadyIn}
      actions={
        <button type="button" className="btn btn-primary" disabled={!q} onClick={() => send({ name: 'confirm' })}>
          {t('common.confirm')}
        </button>
      }
    >
      {q ? (
        <dl className="summary">
          <div>
            <dt>{t('confirm.operation')}</dt>
            <dd>{t(`op.${q.operation}`)}</dd>
          </div>
          {snapshot.selectedService ? (
            <div>
              <dt>{t('reference.field')}</dt>
              <dd>
                {snapshot.selectedService.name}
                {snapshot.selectedService.reference ? ` · ${snapshot.selectedService.reference}` : ''}
              </dd>
            </div>
          ) : null}
          {snapshot.payment ? (
            <div>
              <dt>{t('confirm.from')}</dt>
              <dd>{productName(t, snapshot.payment.source.kind, snapshot.payment.source.label)}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('confirm.amount')}</dt>
            <dd>{money(q.amount)}</dd>
          </div>
          <div>
            <dt>{t('confirm.commission')}</dt>
            <dd>{money(q.commission)}</dd>
          </div>
          <div className="summary-total">
            <dt>{t('confirm.total')}</dt>
            <dd>{money(q.total)}</dd>
          </div>
        </dl>
      ) : null}
      <p className="hint">{t('confirm.consent')}</p>
    </ScreenFrame>
  );
}
