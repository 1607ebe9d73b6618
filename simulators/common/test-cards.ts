/**
 * Synthetic test cards (Luhn-valid, issuer prefixes chosen for tests only) shared by the card
 * reader emulator, the bank simulator's seed and the tests. Never real card numbers.
 */
export interface TestCard {
  pan: string;
  expiry: string; // YYMM
  name: string; // as on track 1: SURNAME/GIVEN
  customer?: string; // bank simulator customer id the card belongs to
}

export const testCards: readonly TestCard[] = [
  { pan: '4400430000000015', expiry: '3012', name: 'SEITKALI/AIGERIM', customer: 'c-aigerim' },
  { pan: '4400430000000023', expiry: '2911', name: 'NURLANOV/DAUREN', customer: 'c-dauren' },
  { pan: '5269880000000018', expiry: '2805', name: 'IVANOVA/OLGA', customer: 'c-olga' },
  { pan: '4400430000000031', expiry: '2001', name: 'EXPIRED/CARD' },
  { pan: '4000000000000002', expiry: '3101', name: 'FOREIGN/CARD' }, // not a card of this bank
];
