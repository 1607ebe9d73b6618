import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';
import { productName } from '../format/product.js';

/** What the operation did, in so many words and with the amount, before the receipt question. */
export function OutcomeScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const o = snapshot.outcome;
  const target = o?.target ? (o.target.kind === 'service' ? o.target.label : productName(t, o.target.kind, o.target.label)) : undefined;
  const title = !o
    ? t('common.continue')
    : o.operation === 'cashIn'
      ? t('outcome.cashIn', { amount: money(o.amount), target: target ?? '' })
      : o.operation === 'withdraw'
        ? t('outcome.withdraw', { amount: money(o.amount) })
        : t('outcome.payService', { amount: money(o.amount) });
  const details: string[] = [];
  if (o && target && o.operation === 'withdraw') details.push(t('outcome.from', { target }));
  if (o && target && o.operation === 'payService') details.push(t('outcome.to', { target }));
  if (o && o.commission > 0) details.push(t('outcome.commission', { amount: money(o.commission) }));
  if (o?.atExit) details.push(t('takeCash.atExitHint'));
  return (
    <ScreenFrame
      title={title}
      tone="success"
      actions={
        <button type="button" className="btn btn-primary" onClick={() => send({ name: 'confirm' })}>
          {t('common.continue')}
        </button>
      }
    >
      <div className="outcome" role="status">
        <span className="outcome-mark" aria-hidden="true">
          ✓
        </span>
        {details.map((d) => (
          <p key={d} className="outcome-detail">
            {d}
          </p>
        ))}
      </div>
    </ScreenFrame>
  );
}
