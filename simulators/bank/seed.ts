/**
 * The simulated bank's ready-made world (documented in SEED.md): customers covering every
 * identification path and refusal, a services catalogue and the tariffs.
 */
import type { Db } from './ledger-db.js';
import { insertCustomer, type CustomerInput } from './customers.js';

const T = 100; // tiyn per tenge

export const seedCustomers: CustomerInput[] = [
  {
    id: 'c-aigerim', name: 'Aigerim Seitkali', phone: '+77011234567', iin: '921215401236', birthDate: '1992-12-15',
    personalCode: '1234', hasApp: true, cards: [{ pan: '4400430000000015', product: 'Visa Gold', pinChange: true }], palmSubjects: ['palm-aigerim'],
    products: [
      { id: 'a-aigerim-cur', kind: 'current', label: 'Current account *0101', balance: 250_000 * T },
      { id: 'a-aigerim-wal', kind: 'wallet', label: 'Wallet *0202', balance: 5_000 * T, maxTopUp: 500_000 * T },
    ],
  },
  {
    id: 'c-dauren', name: 'Dauren Nurlanov', phone: '+77021112233', iin: '900101300017', birthDate: '1990-01-01',
    personalCode: '5555', cards: ['4400430000000023'], palmSubjects: ['palm-dauren'], trustedPhone: '+77059998877',
    products: [{ id: 'a-dauren-cur', kind: 'current', label: 'Current account *0303', balance: 100_000 * T }],
  },
  {
    id: 'c-olga', name: 'Olga Ivanova', phone: '+77017654321', iin: '780314400014', birthDate: '1978-03-14',
    personalCode: '4321', cards: [{ pan: '5269880000000018', product: 'Mastercard Standard', pinChange: true }],
    products: [
      { id: 'a-olga-cur', kind: 'current', label: 'Current account *0404', balance: 80_000 * T },
      { id: 'a-olga-sav', kind: 'savings', label: 'Savings account *0505', balance: 1_000_000 * T },
    ],
  },
  {
    id: 'c-sergey', name: 'Sergey Ivanov', phone: '+77017654321', iin: '010203500078', birthDate: '2001-02-03',
    personalCode: '8765',
    products: [{ id: 'a-sergey-cur', kind: 'current', label: 'Current account *0606', balance: 15_000 * T }],
  },
  {
    id: 'c-marat', name: 'Marat Abenov', phone: '+77475556677', iin: '850501300011', birthDate: '1985-05-01',
    palmConsent: false, palmSubjects: ['palm-nocons'],
    products: [
      { id: 'a-marat-cur', kind: 'current', label: 'Current account *0707', balance: 30_000 * T },
      { id: 'a-marat-loan', kind: 'loan', label: 'Loan *0808', balance: 1_200_000 * T, dueAmount: 45_000 * T },
    ],
  },
  {
    id: 'c-timur', name: 'Timur Blokov', phone: '+77771234000', iin: '950720300011', birthDate: '1995-07-20', blocked: true,
    products: [{ id: 'a-timur-cur', kind: 'current', label: 'Current account *0909', balance: 10_000 * T }],
  },
  {
    id: 'c-aliya', name: 'Aliya Restricted', phone: '+77081230000', iin: '881102400015', birthDate: '1988-11-02', restricted: true,
    products: [{ id: 'a-aliya-cur', kind: 'current', label: 'Current account *1010', balance: 20_000 * T }],
  },
];

export const seedServices = [
  { id: 'kcell', category: 'mobile', name: 'Kcell / activ', referenceKind: 'phone', pattern: '^(701|702|775|778)\\d{7}$', min: 100 * T, max: 50_000 * T },
  { id: 'beeline', category: 'mobile', name: 'Beeline', referenceKind: 'phone', pattern: '^(705|771|776|777)\\d{7}$', min: 100 * T, max: 50_000 * T },
  { id: 'tele2', category: 'mobile', name: 'Tele2 / Altel', referenceKind: 'phone', pattern: '^(700|707|708|747)\\d{7}$', min: 100 * T, max: 50_000 * T },
  { id: 'alseco', category: 'utilities', name: 'Alseco utilities', referenceKind: 'account', pattern: '^\\d{10}$', min: 100 * T, max: 500_000 * T },
  { id: 'astana-su', category: 'utilities', name: 'Astana Su Arnasy', referenceKind: 'account', pattern: '^\\d{9}$', min: 100 * T, max: 300_000 * T },
  { id: 'otau-tv', category: 'tv', name: 'Otau TV', referenceKind: 'account', pattern: '^\\d{9}$', min: 500 * T, max: 100_000 * T },
] as const;

/** operation -> tariff; percentages in basis points */
export const seedTariffs = [
  { operation: 'cashIn', fixed: 0, bps: 0, minFee: 0, maxFee: null },
  { operation: 'loanRepayment', fixed: 0, bps: 0, minFee: 0, maxFee: null },
  { operation: 'balance', fixed: 0, bps: 0, minFee: 0, maxFee: null },
  { operation: 'changePin', fixed: 0, bps: 0, minFee: 0, maxFee: null },
  { operation: 'payService', fixed: 0, bps: 100, minFee: 50 * T, maxFee: 500 * T },
  { operation: 'withdraw', fixed: 0, bps: 50, minFee: 100 * T, maxFee: 5_000 * T },
] as const;

/** Fills an empty ledger; a ledger that already has customers is left as it is. */
export function seedLedger(db: Db, tokenKey: string): boolean {
  const count = (db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
  if (count > 0) return false;
  db.transaction(() => {
    for (const c of seedCustomers) insertCustomer(db, c, tokenKey);
    const svc = db.prepare('INSERT INTO services (id, category, name, reference_kind, reference_pattern, min_amount, max_amount) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const s of seedServices) svc.run(s.id, s.category, s.name, s.referenceKind, s.pattern, s.min, s.max);
    const tar = db.prepare('INSERT INTO tariffs (operation, fixed, bps, min_fee, max_fee) VALUES (?, ?, ?, ?, ?)');
    for (const t of seedTariffs) tar.run(t.operation, t.fixed, t.bps, t.minFee, t.maxFee);
  })();
  return true;
}
