/**
 * Text -> printer code page bytes. The printer prints single-byte code pages only, and which
 * `ESC t n` number selects a page is firmware-specific, so a profile pairs the two.
 *
 * Kazakh needs KZ-1048 (iconv-lite calls it `rk1048`): it has all 18 Kazakh letters and is
 * WPC1251 for every Russian letter. PC866 has none of them and WPC1251 only І/і, so on those pages
 * the letters fall back to their nearest Russian/Latin look-alike (Қ -> К, Ә -> А, ...).
 *
 * Fallback, in order, for a character the page lacks (never an exception):
 *   1. the table below (Kazakh letters, ₸ -> "KZT", typographic quotes/dashes -> ASCII);
 *   2. '?'.
 * Control characters (other than none) are dropped: text never carries command bytes.
 */
import iconv from 'iconv-lite';

export type CodePageName = 'kz1048' | 'cp866' | 'wpc1251' | 'pc437';

export interface CodePageProfile {
  name: CodePageName;
  /** the `ESC t n` number on this printer model (Epson: 53 KZ-1048, 17 PC866, 46 WPC1251, 0 PC437) */
  escT: number;
}

/** Epson numbering (TM-T88V, TM-T20III, TM-m30III, TM-L90). Other firmware: set escT in config. */
export const EPSON_CODE_PAGES: Record<CodePageName, CodePageProfile> = {
  kz1048: { name: 'kz1048', escT: 53 },
  cp866: { name: 'cp866', escT: 17 },
  wpc1251: { name: 'wpc1251', escT: 46 },
  pc437: { name: 'pc437', escT: 0 },
};

const ICONV_NAME: Record<CodePageName, string> = {
  kz1048: 'rk1048',
  cp866: 'cp866',
  wpc1251: 'windows-1251',
  pc437: 'cp437',
};

const FALLBACK: Record<string, string> = {
  Ә: 'А', ә: 'а', Ғ: 'Г', ғ: 'г', Қ: 'К', қ: 'к', Ң: 'Н', ң: 'н', Ө: 'О', ө: 'о',
  Ұ: 'У', ұ: 'у', Ү: 'У', ү: 'у', Һ: 'Х', һ: 'х', І: 'I', і: 'i', Ё: 'Е', ё: 'е',
  '₸': 'KZT', '«': '"', '»': '"', '„': '"', '“': '"', '”': '"', '‘': "'", '’': "'",
  '–': '-', '—': '-', '…': '...', '\u00a0': ' ', '\u202f': ' ', '№': 'N',
};

const encodableCache = new Map<string, boolean>();

/** whether the page has a glyph for this one character (round-trips through the page) */
export function canEncode(ch: string, page: CodePageName): boolean {
  const key = `${page}:${ch}`;
  const cached = encodableCache.get(key);
  if (cached !== undefined) return cached;
  const cp = ch.codePointAt(0) ?? 0;
  let ok: boolean;
  if (cp < 0x20 || cp === 0x7f) ok = false;
  else if (cp < 0x7f) ok = true;
  else {
    const bytes = iconv.encode(ch, ICONV_NAME[page]);
    ok = bytes.length === 1 && iconv.decode(bytes, ICONV_NAME[page]) === ch;
  }
  encodableCache.set(key, ok);
  return ok;
}

/** the text as the page will print it: every character the page lacks replaced by its fallback */
export function toPrintable(text: string, page: CodePageName): string {
  let out = '';
  for (const ch of text) {
    if (canEncode(ch, page)) out += ch;
    else if (ch.codePointAt(0)! < 0x20 || ch === '\u007f') continue;
    else {
      const alt = FALLBACK[ch];
      out += alt !== undefined && [...alt].every((c) => canEncode(c, page)) ? alt : '?';
    }
  }
  return out;
}

/** encodes text to the page's bytes, applying the fallback first; never throws, never emits control bytes */
export function encodeText(text: string, page: CodePageName): Uint8Array {
  return new Uint8Array(iconv.encode(toPrintable(text, page), ICONV_NAME[page]));
}

/** decodes page bytes back to text (the emulator's view of what the head printed) */
export function decodeText(bytes: Uint8Array, page: CodePageName): string {
  return iconv.decode(Buffer.from(bytes), ICONV_NAME[page]);
}

/** the page an `ESC t n` selects under a profile table (undefined: unknown number) */
export function pageForEscT(n: number, table: Record<CodePageName, CodePageProfile> = EPSON_CODE_PAGES): CodePageName | undefined {
  for (const p of Object.values(table)) if (p.escT === n) return p.name;
  return undefined;
}
