import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';
import { useMoney } from '../components/Money.js';
import { tengeDigitsToTiyn } from '../format/money.js';

/** Withdrawal (presets + keypad) or an amount to pay from an account. */
export function AmountEntryScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const w = snapshot.withdrawal;
  const multipleOf = w?.multipleOf ?? 100;
  const max = w?.max;
  const problem = (digits: string): string | null => {
    if (digits === '') return null;
    const tiyn = tengeDigitsToTiyn(digits);
    if (tiyn === null) return t('amount.max', { amount: money(max ?? 0) });
    if (max !== undefined && tiyn > max) return t('amount.max', { amount: money(max) });
    if (multipleOf > 0 && tiyn % multipleOf !== 0) return t('amount.multipleOf', { amount: money(multipleOf) });
    return null;
  };
  const presets = w?.presets ?? [];
  return (
    <DigitEntry
      title={t('amount.title')}
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
