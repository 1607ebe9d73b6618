import { useView } from '../app/view-context.js';
import { LanguageSwitch } from '../components/Layout.js';
import { catalogues, locales } from '../i18n/i18n.js';

/**
 * Idle: a calm moving greeting in all three languages; any touch starts. When the palm scanner is
 * watching, a hand over it starts too, and the screen says so with the consent it implies (bank
 * rules 8.15) in all three languages, since the customer may not have chosen one yet.
 */
export function AttractScreen() {
  const { snapshot, send, t } = useView();
  const palm = snapshot.attract?.palm === true;
  return (
    <div className="screen attract" onClick={() => send({ name: 'start' })}>
      <div className="attract-glow" aria-hidden="true" />
      <div className="attract-mark" aria-hidden="true">₸</div>
      <div className="attract-greetings" aria-hidden="true">
        {locales.map((l, i) => (
          <p key={l} lang={l} className="greeting" style={{ animationDelay: `${i * 3}s` }}>
            {catalogues[l]['attract.welcome']}
          </p>
        ))}
      </div>
      <h1 className="title attract-title">{t('attract.welcome')}</h1>
      <p className="hint">{t('attract.services')}</p>
      <button type="button" className="btn btn-primary btn-huge attract-start" onClick={(e) => {
        e.stopPropagation();
        send({ name: 'start' });
      }}>
        {t('attract.touch')}
      </button>
      {palm ? <p className="hint attract-palm">{t('attract.palm')}</p> : null}
      <p className="hint">{t('attract.chooseLanguage')}</p>
      <LanguageSwitch large />
      {palm ? (
        <div className="attract-consent" role="note">
          {locales.map((l) => (
            <p key={l} lang={l}>
              {catalogues[l]['attract.palmConsent']}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
