import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';
import { bcp47 } from '../format/money.js';
import { productName } from '../format/product.js';

export function BalanceScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const b = snapshot.balance;
  const product = snapshot.products?.find((p) => p.id === b?.productId);
  const dateFmt = new Intl.DateTimeFormat(bcp47(snapshot.locale), { day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
  return (
    <ScreenFrame
      title={t('balance.title')}
      hint={product ? productName(t, product.kind, product.label) : undefined}
      back
      actions={
        <button type="button" className="btn btn-primary" onClick={() => send({ name: 'finish' })}>
          {t('common.toStart')}
        </button>
      }
    >
      {b ? (
        <>
          <dl className="figures">
            <div className="figure figure-main">
              <dt>{t('balance.available')}</dt>
              <dd>{money(b.available)}</dd>
            </div>
            <div className="figure">
              <dt>{t('balance.balance')}</dt>
              <dd>{money(b.balance)}</dd>
            </div>
          </dl>
          <h2 className="section">{t('balance.recent')}</h2>
          {b.recent.length === 0 ? (
            <p className="hint">{t('balance.noRecent')}</p>
          ) : (
            <ul className="ledger">
              {b.recent.map((r, i) => {
                const at = new Date(r.at);
                return (
                  <li key={`${r.at}-${i}`}>
                    <span className="ledger-date">{Number.isNaN(at.getTime()) ? r.at : dateFmt.format(at)}</span>
                    <span className="ledger-text">{r.description}</span>
                    <span className={r.amount < 0 ? 'ledger-amount out' : 'ledger-amount in'}>
                      {r.amount < 0 ? '−' : '+'}
                      {money(Math.abs(r.amount))}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ) : null}
    </ScreenFrame>
  );
}
