/**
 * Where the real servers of an end-to-end run are: the main Playwright config's global setup
 * starts them and publishes their URLs in the environment.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this spec under the main playwright.config.ts, whose global setup starts the servers`);
  return value;
}

export const stack = {
  /** the kiosk page, token included */
  get uiUrl(): string {
    return required('KIOSK_E2E_UI_URL');
  },
  get bankUrl(): string {
    return required('KIOSK_E2E_BANK_URL');
  },
  get devicesUrl(): string {
    return required('KIOSK_E2E_DEVICES_URL');
  },
};
