/**
 * Text -> printer code page bytes. The printer prints single-byte code pages only, and which
 * `ESC t n` number selects a page is firmware-specific (reference escpos.md §2), so the terminal's
 * config names the table by what it is (`devices.printer.codePage`) and gives this model's number
 * for it (`devices.printer.escT`).
 *
 * Kazakh needs KZ-1048 (iconv-lite calls it `rk1048`; its bytes are the reference's, pinned by a
 * unit test): it has all 18 Kazakh letters and is WPC1251 for every Russian letter. PC866 has none
 * of them and WPC1251 only І/і: on those pages a line with a Kazakh letter is printed as a raster
 * image instead (kiosk/receipt/receipt-escpos.ts, drivers/printer/text-raster.ts).
 *
 * For a character the page lacks, `toPrintable` chooses, in order (never an exception):
 *   1. a typographic stand-in the page has (₸ -> "KZT", typographic quotes/dashes -> ASCII);
 *   2. the character itself when the caller can draw it (`keep`: the raster font has it);
 *   3. the nearest Russian/Latin look-alike (Қ -> К, Ә -> А, ...), for text-only output;
 *   4. '?'.
 * Control characters are dropped: text never carries command bytes.
 */
import iconv from 'iconv-lite';

/** the tables a receipt may be printed in (config `devices.printer.codePage`) */
export const PRINTER_CODE_PAGES = ['kz1048', 'cp866', 'wpc1251'] as const;
export type PrinterCodePage = (typeof PRINTER_CODE_PAGES)[number];
/** pc437 is what a printer starts in after ESC @ (the emulator's view of text before any ESC t) */
export type CodePageName = PrinterCodePage | 'pc437';

export interface CodePageProfile {
  name: CodePageName;
  /** the `ESC t n` number on this printer model (Epson: 53 KZ-1048, 17 PC866, 46 WPC1251, 0 PC437) */
  escT: number;
}

/** a firmware's numbering: which ESC t number selects which table (a table the model lacks is absent) */
export type EscTNumbering = Partial<Record<CodePageName, number>>;

/**
 * Epson's numbers (reference escpos.md §2: TM-T88V, TM-T20III, TM-m30III, TM-L90), the defaults of
 * `devices.printer.escT`. Other firmware numbers differently (Xprinter: WPC1251 = 23; NT-80-V-UL:
 * CP866 = 17 or 59, CP1251 = 73) and usually has no KZ-1048: set `devices.printer.escT`.
 */
export const EPSON_ESC_T: Record<CodePageName, number> = { kz1048: 53, cp866: 17, wpc1251: 46, pc437: 0 };

export const EPSON_CODE_PAGES: Record<CodePageName, CodePageProfile> = {
  kz1048: { name: 'kz1048', escT: EPSON_ESC_T.kz1048 },
  cp866: { name: 'cp866', escT: EPSON_ESC_T.cp866 },
  wpc1251: { name: 'wpc1251', escT: EPSON_ESC_T.wpc1251 },
  pc437: { name: 'pc437', escT: EPSON_ESC_T.pc437 },
};

/** what the reference calls each table, for the technician's test receipt and the panel */
export const CODE_PAGE_LABEL: Record<CodePageName, string> = { kz1048: 'KZ-1048', cp866: 'PC866', wpc1251: 'WPC1251', pc437: 'PC437' };

const ICONV_NAME: Record<CodePageName, string> = {
  kz1048: 'rk1048',
  cp866: 'cp866',
  wpc1251: 'windows-1251',
  pc437: 'cp437',
};

/** stand-ins that keep the meaning in plain text */
const TYPOGRAPHY: Record<string, string> = {
  '₸': 'KZT', '«': '"', '»': '"', '„': '"', '“': '"', '”': '"', '‘': "'", '’': "'",
  '–': '-', '—': '-', '…': '...', '\u00a0': ' ', '\u202f': ' ', '№': 'N',
};

/** look-alikes for a text-only printer that cannot draw the letter (the receipt rasters instead) */
const LOOK_ALIKE: Record<string, string> = {
  Ә: 'А', ә: 'а', Ғ: 'Г', ғ: 'г', Қ: 'К', қ: 'к', Ң: 'Н', ң: 'н', Ө: 'О', ө: 'о',
  Ұ: 'У', ұ: 'у', Ү: 'У', ү: 'у', Һ: 'Х', һ: 'х', І: 'I', і: 'i', Ё: 'Е', ё: 'е',
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

/** true when every character of the text is printable as text in the page */
export function fitsPage(text: string, page: CodePageName): boolean {
  for (const ch of text) if (!canEncode(ch, page)) return false;
  return true;
}

export interface PrintableOptions {
  /** a character the page lacks but the caller can draw (as a raster line): kept as it is */
  keep?: (ch: string) => boolean;
}

/** the text as the printer will show it: every character the page lacks replaced (see the header) */
export function toPrintable(text: string, page: CodePageName, options: PrintableOptions = {}): string {
  let out = '';
  for (const ch of text) {
    if (canEncode(ch, page)) out += ch;
    else if (ch.codePointAt(0)! < 0x20 || ch === '\u007f') continue;
    else {
      const typo = TYPOGRAPHY[ch];
      if (typo !== undefined && fitsPage(typo, page)) out += typo;
      else if (options.keep?.(ch)) out += ch;
      else {
        const alt = LOOK_ALIKE[ch];
        out += alt !== undefined && fitsPage(alt, page) ? alt : '?';
      }
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

/** the page an `ESC t n` selects under a firmware's numbering (undefined: a number this model does not know) */
export function pageForEscT(n: number, numbering: EscTNumbering = EPSON_ESC_T): CodePageName | undefined {
  for (const [name, escT] of Object.entries(numbering) as [CodePageName, number][]) if (escT === n) return name;
  return undefined;
}

/** Epson's numbering with `page` moved to `escT` (what a kiosk configured so expects its printer to know) */
export function numberingWith(page: CodePageName, escT: number): EscTNumbering {
  const out: EscTNumbering = {};
  for (const [name, n] of Object.entries(EPSON_ESC_T) as [CodePageName, number][]) if (n !== escT && name !== page) out[name] = n;
  out[page] = escT;
  return out;
}

export function formatEscTNumbering(numbering: EscTNumbering): string {
  return Object.entries(numbering).map(([name, n]) => `${name}:${n}`).join(',');
}

/**
 * "kz1048:53,cp866:17" -> a numbering (the emulator's SIM_PRINTER_ESC_T); throws a one-line reason.
 * Tables not named are absent: the emulated model does not have them.
 */
export function parseEscTNumbering(raw: string): EscTNumbering {
  const out: EscTNumbering = {};
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(kz1048|cp866|wpc1251|pc437)[:=]([0-9]{1,3})$/.exec(part);
    if (!m || Number(m[2]) > 255) throw new RangeError(`"${part}" is not table:number (e.g. kz1048:53, number 0-255)`);
    out[m[1] as CodePageName] = Number(m[2]);
  }
  if (Object.keys(out).length === 0) throw new RangeError('names no table (e.g. "kz1048:53,cp866:17")');
  return out;
}
