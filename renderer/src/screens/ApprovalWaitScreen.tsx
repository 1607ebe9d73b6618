import { useView } from '../app/view-context.js';
import { ScreenFrame } from '../components/Layout.js';
import { secondsUntil, useNow } from '../components/use-now.js';

/** The operation waits for the client's trusted person (bank rules 8.15-1). */
export function ApprovalWaitScreen() {
  const { snapshot, t } = useView();
  const now = useNow();
  const deadline = snapshot.approval?.deadline;
  const seconds = deadline !== undefined ? secondsUntil(deadline, now) : null;
  return (
    <ScreenFrame title={t('approval.title')} hint={t('approval.hint')} cancel>
      <div className="spinner" aria-hidden="true" />
      {seconds !== null ? (
        <p className="countdown" role="timer">
          {Math.floor(seconds / 60)}:{String(seconds % 60).padStart(2, '0')}
        </p>
      ) : null}
      {seconds !== null ? <p className="hint">{t('app.timeLeft', { seconds })}</p> : null}
    </ScreenFrame>
  );
}
