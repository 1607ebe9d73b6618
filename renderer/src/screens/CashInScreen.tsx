import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';
import { productName } from '../format/product.js';

/** Cash-in: the live running total and every note, accepted or returned, as it happens. */
export function CashInScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const c = snapshot.cashIn;
  if (!c) return <ScreenFrame title={t('cashIn.title')} cancel />;
  const busy = c.acceptor === 'escrow' || c.acceptor === 'stacking';
  const credited = Math.max(0, c.total - c.commission);
  // a service's commission comes from the bank's quote when the customer finishes: this screen shows
  // no figure it cannot know, and the confirm screen that shows it is the consent (5.5)
  const service = c.target.kind === 'service';
  const notes = [...c.notes].reverse();
  return (
    <ScreenFrame
      title={t('cashIn.title')}
      hint={t('cashIn.to', { label: c.target.kind === 'service' ? c.target.label : productName(t, c.target.productKind ?? (c.target.kind === 'account' ? 'current' : c.target.kind), c.target.label) })}
      cancel
      actions={
        <button type="button" className="btn btn-primary" disabled={c.total === 0 || busy} onClick={() => send({ name: 'finishCashIn' })}>
          {service ? t('cashIn.finishInserting') : t('cashIn.finish', { amount: money(credited) })}
        </button>
      }
    >
      {c.offline ? (
        <p className="notice" role="status">
          {t('cashIn.offline')}
        </p>
      ) : null}
      <div className="split">
        <div className="split-side">
          <div className={`acceptor acceptor-${c.acceptor}`} aria-hidden="true">
            <div className="acceptor-slot" />
            <div className="acceptor-note" />
          </div>
          <p className="guidance" role="status" aria-live="polite">
            {t(`cashIn.acceptor.${c.acceptor}`)}
          </p>
          <dl className="figures">
            <div className="figure figure-main">
              <dt>{t('cashIn.total')}</dt>
              <dd aria-live="polite">{money(c.total)}</dd>
            </div>
            <div className="figure">
              <dt>{t('cashIn.commission')}</dt>
              <dd>{service ? t('cashIn.commissionByTariff') : money(c.commission)}</dd>
            </div>
            {service ? null : (
              <div className="figure">
                <dt>{t('cashIn.credited')}</dt>
                <dd>{money(credited)}</dd>
              </div>
            )}
          </dl>
        </div>
        <div className="split-side">
          <p className="hint">{t('cashIn.max', { amount: money(c.max) })}</p>
          <p className="hint">{t('cashIn.accepts', { list: c.acceptedDenominations.map((d) => money(d)).join(', ') })}</p>
          {notes.length > 0 ? (
            <>
              <h2 className="section">{t('cashIn.notes')}</h2>
              <ul className="notes" aria-live="polite">
                {notes.map((n, i) => (
                  <li key={notes.length - i} className={`note note-${n.status}`}>
                    {n.status === 'rejected' ? t('cashIn.note.rejected') : t(`cashIn.note.${n.status}`, { amount: money(n.denomination) })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      </div>
    </ScreenFrame>
  );
}
