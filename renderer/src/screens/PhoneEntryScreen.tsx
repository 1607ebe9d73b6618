import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';
import { checkPhoneDigits, formatPhoneDigits, PHONE_DIGITS, phoneE164 } from '../format/phone.js';

/** Used for sign-in and, with `receipt`, for the SMS receipt's number. */
export function PhoneEntryScreen({ receipt = false }: { receipt?: boolean }) {
  const { send, t } = useView();
  return (
    <DigitEntry
      title={receipt ? t('receiptPhone.title') : t('phone.title')}
      hint={receipt ? undefined : t('phone.hint')}
      label={t('phone.field')}
      maxLength={PHONE_DIGITS}
      format={formatPhoneDigits}
      placeholder="+7 7__ ___ __ __"
      problem={(d) => (checkPhoneDigits(d) === 'notMobile' ? t('phone.notMobile') : null)}
      ready={(d) => checkPhoneDigits(d) === null}
      submit={(d) =>
        send(receipt ? { name: 'submitReceiptPhone', payload: { phone: phoneE164(d) } } : { name: 'submitPhone', payload: { phone: phoneE164(d) } })
      }
    />
  );
}

export function ReceiptPhoneScreen() {
  return <PhoneEntryScreen receipt />;
}
