/**
 * The end-to-end test world: fixed loopback ports (apart from the defaults, so a running demo does
 * not collide) and a fixed bridge token. Specs open `E2E.uiPath` against the config's baseURL.
 */
export const E2E = {
  bankPort: 17070,
  devicesPort: 17400,
  kioskPort: 17300,
  token: 'e2e-bridge-token-not-secret-0001',
  get kioskUrl(): string {
    return `http://127.0.0.1:${this.kioskPort}`;
  },
  get bankUrl(): string {
    return `http://127.0.0.1:${this.bankPort}`;
  },
  get devicesUrl(): string {
    return `http://127.0.0.1:${this.devicesPort}`;
  },
  /** the kiosk page with its token, relative to baseURL */
  get uiPath(): string {
    return `/?token=${encodeURIComponent(this.token)}`;
  },
} as const;
