/** IPC channel names between the kiosk window's preload and main (the preload repeats them: it is bundled alone). */
export const INTENT_CHANNEL = 'kiosk:intent';
export const MESSAGE_CHANNEL = 'kiosk:message';
/** the renderer's origin: files of renderer/dist served by the app:// protocol handler */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
