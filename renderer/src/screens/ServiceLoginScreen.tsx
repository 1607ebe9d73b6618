import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';

export function ServiceLoginScreen() {
  const { send, t } = useView();
  return (
    <DigitEntry
      title={t('service.loginTitle')}
      label={t('service.code')}
      maxLength={8}
      secret
      back={false}
      ready={(d) => d.length >= 4}
      submit={(code) => send({ name: 'serviceLogin', payload: { code } })}
    />
  );
}
