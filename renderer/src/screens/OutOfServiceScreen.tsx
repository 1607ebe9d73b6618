import { useView } from '../app/view-context.js';
import { Icon } from '../components/Icon.js';
import { LanguageSwitch } from '../components/Layout.js';
import { catalogues, locales } from '../i18n/i18n.js';

/** Out of service: said in all three languages at once, since nobody can pick one here. */
export function OutOfServiceScreen() {
  const { t } = useView();
  return (
    <div className="screen status-screen">
      <div className="big-mark big-mark-problem" aria-hidden="true">
        <Icon name="power" />
      </div>
      <h1 className="title">{t('outOfService.title')}</h1>
      <p className="hint">{t('outOfService.hint')}</p>
      <div className="other-languages">
        {locales.map((l) => (
          <p key={l} lang={l} className="hint">
            {catalogues[l]['outOfService.title']}
          </p>
        ))}
      </div>
      <LanguageSwitch />
    </div>
  );
}
