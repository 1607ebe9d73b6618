import { Suspense, useEffect, useMemo } from 'react';
import type { Intent, Locale, Snapshot } from '../../../kiosk/bridge/schema.js';
import type { ConnectionState } from '../bridge/client.js';
import { translator } from '../i18n/i18n.js';
import { screens } from '../screens/index.js';
import { MoreTimeOverlay } from '../screens/MoreTimeOverlay.js';
import { PleaseWaitScreen } from '../screens/PleaseWaitScreen.js';
import { ViewContext, type View } from './view-context.js';

export interface AppProps {
  snapshot: Snapshot | null;
  connection: ConnectionState;
  send(intent: Intent): void;
}

function waitingSnapshot(locale: Locale): Snapshot {
  return {
    state: 'connecting',
    screen: 'pleaseWait',
    locale,
    operations: [],
    devices: { cashAcceptor: 'absent', dispenser: 'absent', printer: 'absent', cardReader: 'absent', palm: 'absent', bank: 'offline' },
  };
}

/** A pure view of the snapshot: the screen field picks the component, the rest fills it. */
export function App({ snapshot, connection, send }: AppProps) {
  const live = connection === 'open' && snapshot !== null;
  // While reconnecting, the last snapshot still says which language the customer was reading.
  const shown = live ? snapshot : waitingSnapshot(snapshot?.locale ?? 'kk');
  const view: View = useMemo(() => ({ snapshot: shown, send, t: translator(shown.locale) }), [shown, send]);
  useEffect(() => {
    // Screen readers pick their voice from the document language.
    document.documentElement.lang = shown.locale;
  }, [shown.locale]);
  const Screen = screens[shown.screen];
  // Keyed by screen and input kind, so digits typed on one entry never leak into the next.
  const key = `${shown.screen}:${shown.input?.kind ?? ''}`;
  return (
    <ViewContext.Provider value={view}>
      <div className="app" lang={shown.locale} data-screen={shown.screen} data-state={shown.state}>
        {/* a lazily loaded screen (service mode) shows nothing for the moment its chunk takes to load */}
        {live ? <Suspense fallback={null}><Screen key={key} /></Suspense> : <PleaseWaitScreen reconnecting />}
        {live && shown.moreTimeUntil !== undefined ? <MoreTimeOverlay until={shown.moreTimeUntil} /> : null}
      </div>
    </ViewContext.Provider>
  );
}
