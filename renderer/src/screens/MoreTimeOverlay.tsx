import { useView } from '../app/view-context.js';
import { secondsUntil, useNow } from '../components/use-now.js';

/** The inactivity prompt over whatever screen is up, with a visible countdown. */
export function MoreTimeOverlay({ until }: { until: number }) {
  const { send, t } = useView();
  const now = useNow();
  const seconds = secondsUntil(until, now);
  return (
    <div className="overlay">
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="more-time-title" aria-describedby="more-time-countdown">
        <h2 id="more-time-title" className="title">
          {t('moreTime.title')}
        </h2>
        <p className="countdown" aria-hidden="true">
          {seconds}
        </p>
        <p id="more-time-countdown" className="hint" role="timer">
          {t('moreTime.countdown', { seconds })}
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={() => send({ name: 'finish' })}>
            {t('moreTime.no')}
          </button>
          <button type="button" className="btn btn-primary" autoFocus onClick={() => send({ name: 'moreTime' })}>
            {t('moreTime.yes')}
          </button>
        </div>
      </div>
    </div>
  );
}
