/**
 * The kiosk core's public entry for the Electron shell (`main/`). The core runs as its own process
 * (`kiosk/cli.ts --ipc`, forked and supervised by `main/core-supervisor.ts`), so in-process the shell
 * needs only the bridge contract, the check of a message from the UI, and the content security
 * policy both shells serve. `main/` imports nothing else from `kiosk/` (eslint.config.js).
 */
export * from './bridge/schema.js';
export { parseUiMessage } from './bridge/bridge-link.js';
export { CONTENT_SECURITY_POLICY } from './web-shell/security-headers.js';
