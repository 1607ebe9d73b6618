/**
 * What must never be found in anything the kiosk or the simulated bank writes: the test cards'
 * PANs (plain, grouped with spaces or dashes, as ASCII hex, as UTF-16), their magnetic-track
 * forms, and the palm-vein templates of the simulated subjects (raw bytes, hex, base64 and
 * base64url, found from any window of the template, so a partial dump is caught too).
 * Findings name a card only by its masked number and a palm by its subject, never by the data.
 */
import { maskPan } from '../../drivers/card-reader/pan-token.js';
import { PALM_TEMPLATE_BYTES, palmSubjects, palmTemplateFor } from '../../simulators/common/palm-subjects.js';
import { testCards, type TestCard } from '../../simulators/common/test-cards.js';
import type { BytePattern, Needle } from './byte-search.js';

export type FindingKind =
  | 'pan'
  | 'pan-hex'
  | 'pan-utf16'
  | 'track1'
  | 'track2'
  | 'palm-template-raw'
  | 'palm-template-hex'
  | 'palm-template-base64';

export interface FindingTag {
  kind: FindingKind;
  /** masked PAN or palm subject: safe to print */
  what: string;
  /** palm subject, for the bank ledger's own enrolments */
  subject?: string;
}

/** raw and hex windows: any leak of at least 2 windows' worth of bytes contains a whole one */
export const RAW_WINDOW = 16;
/** base64 windows: a multiple of 3 bytes, so the encoded window has no padding */
export const BASE64_WINDOW = 24;

const SERVICE_CODE = '101';

export interface ForbiddenData {
  patterns: BytePattern<FindingTag>[];
  needles: Needle<FindingTag>[];
}

/** PAN digits with at most one space or dash between any two of them */
function panRegex(pan: string): RegExp {
  return new RegExp(pan.split('').join('[ -]?'), 'g');
}

function cardNeedles(card: TestCard): Needle<FindingTag>[] {
  const what = maskPan(card.pan);
  const ascii = Buffer.from(card.pan, 'ascii');
  const tag = (kind: FindingKind): FindingTag => ({ kind, what });
  return [
    { bytes: Buffer.from(ascii.toString('hex'), 'ascii'), tag: tag('pan-hex') },
    { bytes: Buffer.from(ascii.toString('hex').toUpperCase(), 'ascii'), tag: tag('pan-hex') },
    { bytes: Buffer.from(card.pan, 'utf16le'), tag: tag('pan-utf16') },
    // track 2 `;PAN=YYMM...` and its tail after the separator; track 1 `%BPAN^NAME^YYMM...`
    { bytes: Buffer.from(`;${card.pan}=`, 'ascii'), tag: tag('track2') },
    { bytes: Buffer.from(`=${card.expiry}${SERVICE_CODE}`, 'ascii'), tag: tag('track2') },
    { bytes: Buffer.from(`%B${card.pan}^`, 'ascii'), tag: tag('track1') },
    { bytes: Buffer.from(`^${card.name}^${card.expiry}`, 'ascii'), tag: tag('track1') },
  ];
}

export function templateNeedles(subject: string, template: Uint8Array = palmTemplateFor(subject)): Needle<FindingTag>[] {
  const out: Needle<FindingTag>[] = [];
  const tag = (kind: FindingKind): FindingTag => ({ kind, what: subject, subject });
  const bytes = Buffer.from(template);
  for (let o = 0; o + RAW_WINDOW <= bytes.length; o += RAW_WINDOW) {
    const w = bytes.subarray(o, o + RAW_WINDOW);
    out.push({ bytes: Buffer.from(w), tag: tag('palm-template-raw') });
    out.push({ bytes: Buffer.from(w.toString('hex'), 'ascii'), tag: tag('palm-template-hex') });
    out.push({ bytes: Buffer.from(w.toString('hex').toUpperCase(), 'ascii'), tag: tag('palm-template-hex') });
  }
  // base64 groups 3 bytes into 4 characters from wherever the encoding started, so windows start
  // at every residue mod 3; a leak starting at any offset then contains one aligned window
  for (let residue = 0; residue < 3; residue++) {
    for (let o = residue; o + BASE64_WINDOW <= bytes.length; o += BASE64_WINDOW) {
      const w = bytes.subarray(o, o + BASE64_WINDOW);
      out.push({ bytes: Buffer.from(w.toString('base64'), 'ascii'), tag: tag('palm-template-base64') });
      out.push({ bytes: Buffer.from(w.toString('base64url'), 'ascii'), tag: tag('palm-template-base64') });
    }
  }
  return out;
}

export interface ForbiddenDataOptions {
  cards?: readonly TestCard[];
  subjects?: readonly string[];
}

export function forbiddenData(options: ForbiddenDataOptions = {}): ForbiddenData {
  const cards = options.cards ?? testCards;
  const subjects = options.subjects ?? palmSubjects.map((s) => s.subject);
  return {
    patterns: cards.map((card) => ({ regex: panRegex(card.pan), tag: { kind: 'pan', what: maskPan(card.pan) } })),
    needles: [...cards.flatMap(cardNeedles), ...subjects.flatMap((s) => templateNeedles(s))],
  };
}

export { PALM_TEMPLATE_BYTES };
