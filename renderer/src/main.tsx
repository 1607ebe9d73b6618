import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { createBridgeStore, type BridgeStore } from './app/bridge-store.js';
import { hardenForKiosk } from './app/kiosk-hardening.js';
import { connectBridge } from './bridge/connect.js';
import './styles.css';

function Kiosk({ store }: { store: BridgeStore }) {
  const { snapshot, connection } = useSyncExternalStore(store.subscribe, store.getState);
  return <App snapshot={snapshot} connection={connection} send={store.send} />;
}

hardenForKiosk();
const store = createBridgeStore(connectBridge);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Kiosk store={store} />
  </StrictMode>,
);
