import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';
import { secondsUntil, useNow } from '../components/use-now.js';

export function OtpEntryScreen() {
  const { snapshot, send, t } = useView();
  const now = useNow();
  const input = snapshot.input;
  const length = input?.maxLength ?? 6;
  const wait = input?.resendAt !== undefined ? secondsUntil(input.resendAt, now) : 0;
  return (
    <DigitEntry
      title={t('otp.title')}
      hint={input?.channel === 'push' ? t('otp.sentToApp') : input?.sentTo ? t('otp.sentTo', { phone: input.sentTo }) : undefined}
      label={t('otp.field')}
      maxLength={length}
      secret
      placeholder={'○'.repeat(length)}
      ready={(d) => d.length === length}
      submit={(code) => send({ name: 'submitOtp', payload: { code } })}
      below={
        <div className="row">
          {input?.attemptsLeft !== undefined ? <p className="hint">{t('otp.attemptsLeft', { count: input.attemptsLeft })}</p> : null}
          <button type="button" className="btn btn-secondary" disabled={wait > 0} onClick={() => send({ name: 'resendOtp' })}>
            {wait > 0 ? t('otp.resendIn', { seconds: wait }) : t('otp.resend')}
          </button>
        </div>
      }
    />
  );
}
