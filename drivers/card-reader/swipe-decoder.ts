/**
 * From one reader report to what the kiosk may know about the card: PAN, expiry and name, or a
 * read error. Pure; the driver zeroes the report afterwards and tokenises/masks the PAN.
 *
 * Errors: `badLrc` (a track's LRC does not match: a misread), `unreadable` (the reader could not
 * decode any track, or the tracks contradict each other), `notBankCard` (no ISO track format,
 * Luhn failure, or a non-payment card such as a driving licence). Whether a valid card is one
 * of the bank's, or expired, is the bank's and the core's decision, not the driver's.
 */
import type { CardReadError } from './card-reader.js';
import { decodeMagtekReport, EncodeType } from './magtek-report.js';
import { luhnValid, parseTrack1, parseTrack2, type LrcMode, type TrackResult } from './track-parser.js';

export interface SwipedCard {
  pan: string;
  expiry: string;
  serviceCode: string;
  name?: string;
}

export type SwipeResult = { ok: true; card: SwipedCard } | { ok: false; error: CardReadError };

export function decodeSwipe(report: Uint8Array, lrcMode: LrcMode = 'auto'): SwipeResult {
  const layout = decodeMagtekReport(report);
  if (!layout.ok) return { ok: false, error: 'unreadable' };
  const [t1, t2] = layout.swipe.tracks;
  const encodeType = layout.swipe.encodeType;
  if (encodeType === EncodeType.aamva || encodeType === EncodeType.cadl) return { ok: false, error: 'notBankCard' };

  const r1: TrackResult | undefined = t1.data.length > 0 ? parseTrack1(t1.data, lrcMode) : undefined;
  const r2: TrackResult | undefined = t2.data.length > 0 ? parseTrack2(t2.data, lrcMode) : undefined;
  if ((r1 && !r1.ok && r1.error === 'badLrc') || (r2 && !r2.ok && r2.error === 'badLrc')) return { ok: false, error: 'badLrc' };
  if (!r1 && !r2) return { ok: false, error: t1.decodeError || t2.decodeError ? 'unreadable' : 'notBankCard' };

  const f1 = r1?.ok ? r1.fields : undefined;
  const f2 = r2?.ok ? r2.fields : undefined;
  // track 2 is the financial track; track 1 adds the name
  const main = f2 ?? f1;
  if (!main) return { ok: false, error: t1.decodeError || t2.decodeError ? 'unreadable' : 'notBankCard' };
  if (f1 && f2 && (f1.pan !== f2.pan || f1.expiry !== f2.expiry)) return { ok: false, error: 'unreadable' };
  if (!luhnValid(main.pan)) return { ok: false, error: 'notBankCard' };
  const card: SwipedCard = { pan: main.pan, expiry: main.expiry, serviceCode: main.serviceCode };
  if (f1?.name) card.name = f1.name;
  return { ok: true, card };
}
