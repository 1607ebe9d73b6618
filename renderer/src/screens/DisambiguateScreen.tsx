import { useState } from 'react';
import { useView } from '../app/view-context.js';
import { DigitEntry } from '../components/DigitEntry.js';
import { BIRTH_DATE_DIGITS, birthDateIso, checkBirthDateDigits, formatBirthDateDigits } from '../format/date.js';

type By = 'birthDate' | 'personalCode';

/** Several clients match (bank rules ch.2 item 4.2): narrow by birth date or personal code. */
export function DisambiguateScreen() {
  const { snapshot, send, t } = useView();
  const offered: By[] = snapshot.disambiguateBy?.length ? snapshot.disambiguateBy : ['birthDate'];
  const [by, setBy] = useState<By>(offered[0] ?? 'birthDate');
  const tabs =
    offered.length > 1 ? (
      <div className="tabs" role="group" aria-label={t('disambiguate.title')}>
        {offered.map((o) => (
          <button key={o} type="button" className={o === by ? 'tab active' : 'tab'} aria-pressed={o === by} onClick={() => setBy(o)}>
            {t(o === 'birthDate' ? 'disambiguate.byBirthDate' : 'disambiguate.byPersonalCode')}
          </button>
        ))}
      </div>
    ) : null;
  if (by === 'birthDate') {
    return (
      <DigitEntry
        key="birthDate"
        title={t('disambiguate.title')}
        hint={t('birthDate.title')}
        label={t('birthDate.field')}
        maxLength={BIRTH_DATE_DIGITS}
        format={formatBirthDateDigits}
        placeholder="__.__.____"
        above={tabs}
        problem={(d) => (checkBirthDateDigits(d) === 'date' ? t('birthDate.invalid') : null)}
        ready={(d) => checkBirthDateDigits(d) === null}
        submit={(d) => send({ name: 'submitBirthDate', payload: { birthDate: birthDateIso(d) } })}
      />
    );
  }
  const max = snapshot.input?.maxLength ?? 8;
  return (
    <DigitEntry
      key="personalCode"
      title={t('disambiguate.title')}
      hint={t('personalCode.title')}
      label={t('personalCode.field')}
      maxLength={max}
      secret
      above={tabs}
      ready={(d) => d.length >= 4}
      submit={(code) => send({ name: 'submitPersonalCode', payload: { code } })}
    />
  );
}
