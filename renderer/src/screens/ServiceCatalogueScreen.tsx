import { useMemo, useState } from 'react';
import { useView } from '../app/view-context.js';
import { Icon } from '../components/Icon.js';
import { ScreenFrame } from '../components/Layout.js';
import { useMoney } from '../components/Money.js';

const CYRILLIC = 'АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ';
const LATIN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** Services by category, with a search typed on an on-screen letter keyboard. */
export function ServiceCatalogueScreen() {
  const { snapshot, send, t } = useView();
  const money = useMoney();
  const services = useMemo(() => snapshot.services ?? [], [snapshot.services]);
  const categories = useMemo(() => [...new Set(services.map((s) => s.category))], [services]);
  const [category, setCategory] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [latin, setLatin] = useState(snapshot.locale === 'en');
  const q = query.toLocaleLowerCase();
  const shown = services.filter((s) => (category === null || s.category === category) && (q === '' || s.name.toLocaleLowerCase().includes(q)));
  const letters = latin ? LATIN : CYRILLIC;
  return (
    <ScreenFrame title={t('catalogue.title')} back cancel>
      <div className="tabs" role="group" aria-label={t('catalogue.title')}>
        <button type="button" className={category === null ? 'tab active' : 'tab'} aria-pressed={category === null} onClick={() => setCategory(null)}>
          {t('catalogue.all')}
        </button>
        {categories.map((c) => (
          <button key={c} type="button" className={c === category ? 'tab active' : 'tab'} aria-pressed={c === category} onClick={() => setCategory(c)}>
            {c}
          </button>
        ))}
      </div>
      <output className="field field-search" aria-label={t('catalogue.search')} aria-live="polite">
        {query ? query : <span className="placeholder">
            <Icon name="search" className="icon-inline" /> {t('catalogue.search')}
          </span>}
      </output>
      <div className="letters" role="group" aria-label={t('keypad.label')}>
        {[...letters, ...DIGITS].map((ch) => (
          <button key={ch} type="button" className="letter" onClick={() => setQuery((cur) => (cur.length < 30 ? cur + ch : cur))}>
            {ch}
          </button>
        ))}
        <button type="button" className="letter letter-wide" onClick={() => setLatin((v) => !v)}>
          {latin ? 'АӘБ' : 'ABC'}
        </button>
        <button type="button" className="letter letter-wide" aria-label={t('keypad.space')} onClick={() => setQuery((cur) => cur + ' ')}>
          ␣
        </button>
        <button type="button" className="letter letter-wide" aria-label={t('keypad.delete')} onClick={() => setQuery((cur) => cur.slice(0, -1))}>
          ⌫
        </button>
        <button type="button" className="letter letter-wide" onClick={() => setQuery('')}>
          {t('keypad.clear')}
        </button>
      </div>
      <ul className="service-list">
        {shown.map((s) => (
          <li key={s.id}>
            <button type="button" className="choice" onClick={() => send({ name: 'selectService', payload: { serviceId: s.id } })}>
              <span className="choice-text">
                <span className="choice-title">{s.name}</span>
                <span className="choice-hint">
                  {s.category} · {t('catalogue.limits', { min: money(s.min), max: money(s.max) })}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {shown.length === 0 ? <p className="hint" role="status">{t('catalogue.none')}</p> : null}
    </ScreenFrame>
  );
}
