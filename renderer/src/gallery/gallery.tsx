/**
 * Fixture gallery (built only with `--mode gallery`, never shipped in the kiosk build):
 * `gallery.html?fixture=<name>&locale=kk|ru|en` renders one screen from its fixture snapshot
 * with a frozen clock. Intents are recorded on window.__intents instead of going anywhere.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Locale, type Intent, type Snapshot } from '../../../kiosk/bridge/schema.js';
import { App } from '../app/App.js';
import { FrozenClock } from '../app/view-context.js';
import { FIXTURE_NOW, fixtureNames, fixtures, type FixtureName } from '../fixtures/snapshots.js';
import '../styles.css';
import { LOCALES } from '../../../domain/locales.js';

declare global {
  interface Window {
    __intents?: Intent[];
  }
}

function isFixture(name: string | null): name is FixtureName {
  return name !== null && (fixtureNames as string[]).includes(name);
}

function Gallery({ name, locale }: { name: FixtureName; locale: Snapshot['locale'] }) {
  const [snapshot, setSnapshot] = useState<Snapshot>({ ...fixtures[name], locale });
  const send = (intent: Intent): void => {
    (window.__intents ??= []).push(intent);
    // Language buttons work in the gallery too, so locale switching can be exercised without a core.
    if (intent.name === 'setLocale') setSnapshot((s) => ({ ...s, locale: intent.payload.locale }));
  };
  return (
    <FrozenClock.Provider value={FIXTURE_NOW}>
      <App snapshot={snapshot} connection="open" send={send} />
    </FrozenClock.Provider>
  );
}

function Index() {
  return (
    <main className="gallery-index">
      <h1>Screens</h1>
      <ul>
        {fixtureNames.map((n) => (
          <li key={n}>
            {LOCALES.map((l) => (
              <a key={l} href={`?fixture=${n}&locale=${l}`}>
                {n} ({l}){' '}
              </a>
            ))}
          </li>
        ))}
      </ul>
    </main>
  );
}

const params = new URLSearchParams(window.location.search);
const name = params.get('fixture');
const locale = Locale.safeParse(params.get('locale'));
const root = document.getElementById('root');
if (!root) throw new Error('gallery.html has no #root');
createRoot(root).render(
  <StrictMode>{isFixture(name) ? <Gallery name={name} locale={locale.success ? locale.data : 'kk'} /> : <Index />}</StrictMode>,
);
