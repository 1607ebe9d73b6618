import type { ReactNode } from 'react';
import type { Locale } from '../../../kiosk/bridge/schema.js';
import { useView } from '../app/view-context.js';
import { locales } from '../i18n/i18n.js';
import { secondsUntil, useNow } from './use-now.js';

export function LanguageSwitch({ large = false }: { large?: boolean }) {
  const { snapshot, send, t } = useView();
  const choose = (locale: Locale) => send({ name: 'setLocale', payload: { locale } });
  return (
    <nav className={large ? 'languages languages-large' : 'languages'} aria-label={t('app.language')}>
      {locales.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          className={l === snapshot.locale ? 'lang active' : 'lang'}
          aria-pressed={l === snapshot.locale}
          onClick={(e) => {
            e.stopPropagation();
            choose(l);
          }}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </nav>
  );
}

function TimeLeft({ deadline }: { deadline: number }) {
  const { t } = useView();
  const now = useNow();
  const seconds = secondsUntil(deadline, now);
  return (
    <span className={seconds <= 15 ? 'time-left urgent' : 'time-left'} role="timer">
      {t('app.timeLeft', { seconds })}
    </span>
  );
}

/**
 * The core may answer an intent by staying on the same screen with `error` set (a wrong code, a
 * reference that does not match, a receipt option gone): say why and what to do, right there.
 */
function ProblemBanner() {
  const { snapshot, t } = useView();
  const code = snapshot.error?.code;
  if (!code || snapshot.screen === 'refusal') return null;
  return (
    <div className="banner" role="alert" data-code={code}>
      <strong>{t(`error.${code}.reason`)}</strong>
      <span>{t(`error.${code}.next`)}</span>
    </div>
  );
}

export interface ScreenFrameProps {
  title: string;
  hint?: string | undefined;
  children?: ReactNode;
  /** show "Back" (sends `back`) */
  back?: boolean;
  /** show "Cancel" (sends `cancel`) */
  cancel?: boolean;
  /** extra buttons in the footer, placed at the end (primary action) */
  actions?: ReactNode;
  tone?: 'normal' | 'problem' | 'success';
}

/** The frame of every customer screen: header, title, content, and the footer's way out. */
export function ScreenFrame({ title, hint, children, back, cancel, actions, tone = 'normal' }: ScreenFrameProps) {
  const { snapshot, send, t } = useView();
  return (
    <div className={`screen tone-${tone}`}>
      <header className="topbar">
        <span className="brand" aria-hidden="true">
          <span className="brand-mark">₸</span> {t('app.title')}
        </span>
        {snapshot.customer ? <span className="customer">{snapshot.customer.maskedName}</span> : null}
        <LanguageSwitch />
      </header>
      {snapshot.deadline !== undefined ? (
        <div className="timebar">
          <TimeLeft deadline={snapshot.deadline} />
        </div>
      ) : null}
      <main className="content">
        <h1 className="title">{title}</h1>
        {hint ? <p className="hint">{hint}</p> : null}
        <ProblemBanner />
        {children}
      </main>
      {back || cancel || actions ? (
        <footer className="actions">
          {cancel ? (
            <button type="button" className="btn btn-quiet" onClick={() => send({ name: 'cancel' })}>
              {t('common.cancel')}
            </button>
          ) : null}
          {back ? (
            <button type="button" className="btn btn-secondary" onClick={() => send({ name: 'back' })}>
              {t('common.back')}
            </button>
          ) : null}
          {actions}
        </footer>
      ) : null}
    </div>
  );
}
