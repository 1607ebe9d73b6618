import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';
import { productName } from '../format/product.js';

export function ProductSelectScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  return (
    <ScreenFrame title={t('product.title')} back cancel>
      <div className="choices">
        {(snapshot.products ?? []).map((p) => (
          <button key={p.id} type="button" className="choice" onClick={() => send({ name: 'selectProduct', payload: { productId: p.id } })}>
            <span className="choice-text">
              <span className="choice-title">{productName(t, p.kind, p.label)}</span>
              <span className="choice-hint">
                {p.kind === 'loan' && p.dueAmount !== undefined
                  ? t('product.due', { amount: money(p.dueAmount) })
                  : p.balance !== undefined
                    ? t('product.balance', { amount: money(p.balance) })
                    : ''}
              </span>
            </span>
          </button>
        ))}
      </div>
    </ScreenFrame>
  );
}
