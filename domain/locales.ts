/** The languages of every screen and receipt: Kazakh, Russian, English, in the order offered. */
export const LOCALES = ['kk', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
