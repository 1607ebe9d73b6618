import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';
import { useMoney } from '../components/Money.js';
import { tengeDigitsToTiyn } from '../format/money.js';
import { productName } from '../format/product.js';

/** Withdrawal (presets + keypad) or an amount to pay from an account. */
export function AmountEntryScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const w = snapshot.withdrawal;
  // a service paid from an account: the service's limits, and no more than the product holds
  const pay = snapshot.payment;
  const multipleOf = w?.multipleOf ?? 100;
  const max = w?.max ?? pay?.max;
  const min = pay?.min;
  const problem = (digits: string): string | null => {
    if (digits === '') return null;
    const tiyn = tengeDigitsToTiyn(digits);
    if (tiyn === null) return t('amount.max', { amount: money(max ?? 0) });
    if (max !== undefined && tiyn > max) return t('amount.max', { amount: money(max) });
    if (min !== undefined && tiyn < min) return t('amount.min', { amount: money(min) });
    if (multipleOf > 0 && tiyn % multipleOf !== 0) return t('amount.multipleOf', { amount: money(multipleOf) });
    return null;
  };
  const presets = w?.presets ?? [];
  return (
    <DigitEntry
      title={pay ? t('amount.payTitle') : t('amount.title')}
      hint={pay ? t('amount.payFrom', { label: productName(t, pay.source.kind, pay.source.label), amount: money(pay.source.available ?? pay.max) }) : undefined}
      label={t('amount.field')}
      maxLength={9}
      format={(d) => (d === '' ? '' : money(tengeDigitsToTiyn(d) ?? 0))}
      placeholder="0 ₸"
      problem={problem}
      ready={(d) => d !== '' && Number(d) > 0 && problem(d) === null}
      submit={(d) => {
        const amount = tengeDigitsToTiyn(d);
        if (amount !== null) send({ name: 'selectAmount', payload: { amount } });
      }}
      above={
        presets.length > 0 ? (
          <div className="presets">
            {presets.map((p) => (
              <button key={p} type="button" className="btn btn-secondary preset" onClick={() => send({ name: 'selectAmount', payload: { amount: p } })}>
                {money(p)}
              </button>
            ))}
          </div>
        ) : null
      }
    />
  );
}
