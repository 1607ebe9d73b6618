import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';
import { secondsUntil, useNow } from '../components/use-now.js';

/** The notes are out: how much, and how long the customer has before they are retracted (or the kiosk moves on). */
export function TakeCashScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const w = snapshot.withdrawal;
  const now = useNow(w?.takeBy !== undefined);
  // a dispenser without a presenter: the notes are already out and nothing retracts them
  const atExit = w?.atExit === true;
  const seconds = w?.takeBy !== undefined ? secondsUntil(w.takeBy, now) : undefined;
  return (
    <ScreenFrame
      title={t('takeCash.title')}
      hint={t(atExit ? 'takeCash.atExitHint' : 'takeCash.hint')}
      tone="success"
      actions={
        atExit ? (
          <button type="button" className="btn btn-primary" onClick={() => send({ name: 'confirm' })}>
            {t('common.continue')}
          </button>
        ) : undefined
      }
    >
      {w?.amount !== undefined ? (
        <dl className="figures">
          <div className="figure figure-main">
            <dt>{t('takeCash.amount')}</dt>
            <dd>{money(w.amount)}</dd>
          </div>
        </dl>
      ) : null}
      <div className="illustration presenter" aria-hidden="true">
        <div className="slot" />
        <div className="bills-out">
          <div className="bill" />
          <div className="bill" />
        </div>
        <div className="arrow-down">▼</div>
      </div>
      {seconds !== undefined ? (
        <p className="guidance" role="timer" aria-live="off">
          {t(atExit ? 'takeCash.continueIn' : 'takeCash.retractIn', { seconds })}
        </p>
      ) : null}
    </ScreenFrame>
  );
}
