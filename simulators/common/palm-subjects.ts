/**
 * Palm-vein subjects of the simulated world. The emulator produces a deterministic template per
 * subject id and the bank simulator enrols the same ids, so a presented palm matches its owner.
 */
import { createHash } from 'node:crypto';

export const PALM_TEMPLATE_BYTES = 512;

/** Deterministic, opaque template bytes for a subject (SHA-256 in counter mode). */
export function palmTemplateFor(subject: string): Uint8Array {
  const out = new Uint8Array(PALM_TEMPLATE_BYTES);
  for (let block = 0; block * 32 < PALM_TEMPLATE_BYTES; block++) {
    const digest = createHash('sha256').update(`palm-vein:${subject}:${block}`).digest();
    out.set(digest.subarray(0, Math.min(32, PALM_TEMPLATE_BYTES - block * 32)), block * 32);
  }
  return out;
}

export const palmSubjects = [
  { subject: 'palm-aigerim', customer: 'c-aigerim' },
  { subject: 'palm-dauren', customer: 'c-dauren' },
  { subject: 'palm-nocons', customer: 'c-marat' }, // consent to palm processing withdrawn (8.15)
  { subject: 'palm-stranger' }, // not enrolled at the bank
] as const;
