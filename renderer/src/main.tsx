import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { hardenForKiosk } from './app/kiosk-hardening.js';
import { useBridge } from './app/use-bridge.js';
import './styles.css';

function Kiosk() {
  const { snapshot, connection, send } = useBridge();
  return <App snapshot={snapshot} connection={connection} send={send} />;
}

hardenForKiosk();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Kiosk />
  </StrictMode>,
);
