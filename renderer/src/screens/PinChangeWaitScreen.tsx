import { useView } from '../app/view-context.js';
import { Icon } from '../components/Icon.js';
import { ScreenFrame } from '../components/Layout.js';
import { secondsUntil, useNow } from '../components/use-now.js';

/**
 * The new PIN is set on the customer's phone (bank app or secure SMS link): the terminal has no
 * PIN pad, and a PIN never goes through a touch screen. This screen only counts down and offers
 * cancel.
 */
export function PinChangeWaitScreen() {
  const { snapshot, t } = useView();
  const now = useNow();
  const p = snapshot.pinChange;
  const seconds = p ? secondsUntil(p.deadline, now) : null;
  return (
    <ScreenFrame title={t('pinChange.title')} hint={t(p?.channel === 'sms' ? 'pinChange.hintSms' : 'pinChange.hintPush')} cancel>
      <div className="illustration" aria-hidden="true">
        <Icon name="phone" className="pin-change-phone" />
      </div>
      {seconds !== null ? (
        <p className="countdown" role="timer">
          {Math.floor(seconds / 60)}:{String(seconds % 60).padStart(2, '0')}
        </p>
      ) : null}
      {seconds !== null ? <p className="hint">{t('app.timeLeft', { seconds })}</p> : null}
      <p className="notice" role="note">
        {t('pinChange.safety')}
      </p>
    </ScreenFrame>
  );
}
