/**
 * Translation: every visible string goes through here. Messages are ICU MessageFormat so
 * plurals follow each language's rules (Russian one/few/many, Kazakh and English one/other).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../../../kiosk/bridge/schema.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { kk } from './kk.js';
import { ru } from './ru.js';
import { LOCALES } from '../../../domain/locales.js';

export type { MessageKey } from './en.js';
export type MessageValues = Record<string, string | number>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

export const catalogues: Record<Locale, Catalogue> = { kk, ru, en };
export const locales: readonly Locale[] = LOCALES;

const cache = new Map<string, IntlMessageFormat>();

function compiled(locale: Locale, key: MessageKey): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let fmt = cache.get(id);
  if (!fmt) {
    fmt = new IntlMessageFormat(catalogues[locale][key], locale);
    cache.set(id, fmt);
  }
  return fmt;
}

export function translator(locale: Locale): Translate {
  return (key, values) => {
    const out = compiled(locale, key).format(values);
    return typeof out === 'string' ? out : String(out);
  };
}

export { en };
