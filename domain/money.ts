/**
 * Money as every layer sees it: integer tiyn of KZT (1 tenge = 100 tiyn), never floating point.
 */
export type Tiyn = number;
export const TIYN_PER_TENGE = 100;
export const tenge = (t: number): Tiyn => t * TIYN_PER_TENGE;

/**
 * Tenge banknotes in circulation (National Bank: 200 ... 20 000), in whole tenge as printed on the
 * note. Configuration speaks whole tenge; everything inside the kiosk speaks tiyn.
 */
export const KZT_BANKNOTES_TENGE = [200, 500, 1000, 2000, 5000, 10000, 20000] as const;
export type BanknoteTenge = (typeof KZT_BANKNOTES_TENGE)[number];
export const KZT_BANKNOTES_TIYN: readonly Tiyn[] = KZT_BANKNOTES_TENGE.map(tenge);
