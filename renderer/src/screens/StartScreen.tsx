import { useView } from '../app/view-context.js';
import { Icon } from '../components/Icon.js';
import { ScreenFrame } from '../components/Layout.js';
import { MethodChoices } from './identification.js';

/** Sign in (each method) or pay a service in cash without signing in (bank rules ch.2 item 1.1). */
export function StartScreen() {
  const { send, t } = useView();
  return (
    <ScreenFrame title={t('start.title')} cancel>
      <h2 className="section">{t('start.identify')}</h2>
      <p className="hint">{t('start.identifyHint')}</p>
      <MethodChoices />
      <h2 className="section">{t('start.payCash')}</h2>
      <button type="button" className="choice choice-wide" onClick={() => send({ name: 'payWithoutIdentification' })}>
        <span className="choice-icon">
          <Icon name="receipt" />
        </span>
        <span className="choice-text">
          <span className="choice-title">{t('start.payCash')}</span>
          <span className="choice-hint">{t('start.payCashHint')}</span>
        </span>
      </button>
    </ScreenFrame>
  );
}
