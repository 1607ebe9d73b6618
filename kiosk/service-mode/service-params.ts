/**
 * The service actions' parameters as they cross the bridge: one flat record of strings and
 * integers (the bridge validated the shapes already). Each action reads its own keys through a
 * strict schema here, so a malformed number is a refusal the technician sees, never a crash and
 * never a silently "corrected" value.
 *
 * Keys: `locale` (kk | ru | en) on every action that shows a receipt; `receiptNumber`;
 * collection `confirm: 1` plus `<unit>/<denomination tiyn>` = counted notes (unit cashBox, reject,
 * retract); replenishment `load/<cassette>` = notes loaded, `removed/<cassette>` = notes taken out.
 */
import { z } from 'zod';
import type { Locale } from '../bridge/schema.js';

export type RawParams = Record<string, string | number> | undefined;

/** a count of notes: a whole number, 0 or more, typed on a keypad (never a float or a string) */
const Count = z.number().int().nonnegative().max(1_000_000);

export function localeOf(params: RawParams, fallback: Locale): Locale {
  const l = params?.locale;
  return l === 'kk' || l === 'ru' || l === 'en' ? l : fallback;
}

export function receiptNumberOf(params: RawParams): string | undefined {
  const n = params?.receiptNumber;
  const text = typeof n === 'number' ? String(n) : n;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  return /^[A-Za-z0-9-]{1,40}$/.test(trimmed) ? trimmed : undefined;
}

export type ParamProblem = { ok: false; key: string };

export interface CountedNote {
  unit: 'cashBox' | 'reject' | 'retract';
  denomination: number;
  count: number;
}

const COUNTED_KEY = /^(cashBox|reject|retract)\/([1-9][0-9]{0,9})$/;

/** collection: `confirm` and the counted notes, if any were entered */
export function collectionParams(params: RawParams): { ok: true; confirm: boolean; counted: CountedNote[] } | ParamProblem {
  const counted: CountedNote[] = [];
  for (const [key, value] of Object.entries(params ?? {})) {
    if (key === 'confirm' || key === 'locale') continue;
    const m = COUNTED_KEY.exec(key);
    if (!m) return { ok: false, key };
    const parsed = Count.safeParse(value);
    if (!parsed.success) return { ok: false, key };
    counted.push({ unit: m[1] as CountedNote['unit'], denomination: Number(m[2]), count: parsed.data });
  }
  return { ok: true, confirm: params?.confirm === 1, counted };
}

export interface CassetteEntry {
  cassette: number;
  load: number;
  removed?: number;
}

const CASSETTE_KEY = /^(load|removed)\/([0-9])$/;

/**
 * replenishment: per cassette the notes loaded and, for an exchange, the notes taken out. The old
 * `{cassette, count}` form is read as `load/<cassette>`.
 */
export function replenishParams(params: RawParams): { ok: true; cassettes: CassetteEntry[] } | ParamProblem {
  const byCassette = new Map<number, { load?: number; removed?: number }>();
  const entry = (i: number) => byCassette.get(i) ?? (byCassette.set(i, {}), byCassette.get(i) ?? {});
  for (const [key, value] of Object.entries(params ?? {})) {
    if (key === 'locale') continue;
    if (key === 'cassette' || key === 'count') {
      const cassette = z.number().int().min(0).max(9).safeParse(params?.cassette);
      if (!cassette.success) return { ok: false, key: 'cassette' };
      const count = Count.safeParse(params?.count);
      if (!count.success) return { ok: false, key: 'count' };
      entry(cassette.data).load = count.data;
      continue;
    }
    const m = CASSETTE_KEY.exec(key);
    if (!m) return { ok: false, key };
    const parsed = Count.safeParse(value);
    if (!parsed.success) return { ok: false, key };
    entry(Number(m[2]))[m[1] as 'load' | 'removed'] = parsed.data;
  }
  const cassettes: CassetteEntry[] = [];
  for (const [cassette, e] of [...byCassette.entries()].sort(([a], [b]) => a - b)) {
    // a removal without a load is an emptied cassette: it is replenished with zero notes
    cassettes.push({ cassette, load: e.load ?? 0, ...(e.removed === undefined ? {} : { removed: e.removed }) });
  }
  return { ok: true, cassettes };
}
