import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';

export function TakeCashScreen() {
  const { snapshot, send, t } = useView();
  // a dispenser without a presenter: the notes are already out and nothing retracts them
  const atExit = snapshot.withdrawal?.atExit === true;
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
      <div className="illustration presenter" aria-hidden="true">
        <div className="slot" />
        <div className="bills-out">
          <div className="bill" />
          <div className="bill" />
        </div>
        <div className="arrow-down">▼</div>
      </div>
    </ScreenFrame>
  );
}
