import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';
import { checkIinDigits, formatIinDigits, IIN_DIGITS } from '../format/iin.js';

export function IinEntryScreen() {
  const { send, t } = useView();
  return (
    <DigitEntry
      title={t('iin.title')}
      hint={t('iin.hint')}
      label={t('iin.field')}
      maxLength={IIN_DIGITS}
      format={formatIinDigits}
      placeholder="______ ______"
      problem={(d) => {
        const p = checkIinDigits(d);
        return p === null || p === 'incomplete' ? null : t(`iin.${p}`);
      }}
      ready={(d) => checkIinDigits(d) === null}
      submit={(iin) => send({ name: 'submitIin', payload: { iin } })}
    />
  );
}
