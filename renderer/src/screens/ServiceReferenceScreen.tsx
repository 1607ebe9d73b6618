import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';
import { checkPhoneDigits, formatPhoneDigits, PHONE_DIGITS } from '../format/phone.js';

const ACCOUNT_MAX = 20;

/** The customer's reference for the chosen service: a phone number to top up or an account number. */
export function ServiceReferenceScreen() {
  const { snapshot, send, t } = useView();
  const selected = snapshot.selectedService;
  const kind = selected?.referenceKind ?? snapshot.services?.find((s) => s.id === selected?.id)?.referenceKind;
  const hint = selected ? t('reference.service', { name: selected.name }) : undefined;
  if (kind === 'phone') {
    return (
      <DigitEntry
        title={t('reference.phoneTitle')}
        hint={hint}
        label={t('phone.field')}
        maxLength={PHONE_DIGITS}
        format={formatPhoneDigits}
        placeholder="+7 7__ ___ __ __"
        problem={(d) => (checkPhoneDigits(d) === 'notMobile' ? t('phone.notMobile') : null)}
        ready={(d) => checkPhoneDigits(d) === null}
        submit={(d) => send({ name: 'submitReference', payload: { reference: `+7${d}` } })}
      />
    );
  }
  return (
    <DigitEntry
      title={t('reference.accountTitle')}
      hint={hint}
      label={t('reference.field')}
      maxLength={ACCOUNT_MAX}
      ready={(d) => d.length >= 4}
      submit={(reference) => send({ name: 'submitReference', payload: { reference } })}
    />
  );
}
