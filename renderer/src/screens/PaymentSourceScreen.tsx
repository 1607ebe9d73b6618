import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';
import { productName } from '../format/product.js';

/** How to pay a service: in cash (while the acceptor works) or from one of the customer's products. */
export function PaymentSourceScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const sources = snapshot.paymentSources;
  const service = snapshot.selectedService;
  return (
    <ScreenFrame title={t('source.title')} hint={service ? t('reference.service', { name: service.name }) : undefined} back cancel>
      <div className="choices">
        {(sources?.products ?? []).map((p) => (
          <button key={p.id} type="button" className="choice" onClick={() => send({ name: 'selectPaymentSource', payload: { source: 'product', productId: p.id } })}>
            <span className="choice-text">
              <span className="choice-title">{productName(t, p.kind, p.label)}</span>
              <span className="choice-hint">
                {p.available !== undefined ? t('source.available', { amount: money(p.available) }) : ''}
              </span>
            </span>
          </button>
        ))}
        <button
          type="button"
          className="choice"
          disabled={!sources?.cash}
          onClick={() => send({ name: 'selectPaymentSource', payload: { source: 'cash' } })}
        >
          <span className="choice-text">
            <span className="choice-title">{t('source.cash')}</span>
            <span className="choice-hint">{sources?.cash ? t('source.cashHint') : t('source.cashUnavailable')}</span>
          </span>
        </button>
      </div>
    </ScreenFrame>
  );
}
