/**
 * The PAN token the kiosk sends the bank instead of the PAN: HMAC-SHA256 under a key the terminal
 * shares with the bank (config `card.tokenKey`). Deterministic so the bank can look the card up;
 * one-way so a leaked token does not reveal the PAN.
 */
import { createHmac } from 'node:crypto';

export function panToken(pan: string, key: string): string {
  return createHmac('sha256', key).update(`pan:${pan}`).digest('hex');
}

/** first 6 and last 4 digits visible, the rest masked */
export function maskPan(pan: string): string {
  if (pan.length < 12) return '*'.repeat(pan.length);
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/** the token key both the simulated bank and the kiosk use by default (dev and tests only) */
export const DEV_CARD_TOKEN_KEY = 'dev-only-card-token-key-change-in-production';
