/**
 * The kiosk's configuration: one strict schema with a default for every key, so a fresh machine
 * runs with no file at all, and a typo in a key name stops start-up instead of being ignored.
 */
import { z } from 'zod';
import { DEV_CARD_TOKEN_KEY } from '../../drivers/card-reader/pan-token.js';
import { iinCheckDigit } from '../session/iin.js';
import { KZT_BANKNOTES_TENGE } from '../../domain/money.js';
import { IDENTIFICATION_METHODS } from '../../domain/operations.js';
import { LOCALES } from '../../domain/locales.js';
import { CASH_ACCEPTOR_PROTOCOLS } from '../../domain/devices.js';
import { PRINTER_CODE_PAGES } from '../../drivers/printer/code-page.js';

export { KZT_BANKNOTES_TENGE } from '../../domain/money.js';
export { IDENTIFICATION_METHODS } from '../../domain/operations.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const intIn = (min: number, max: number, what = `an integer ${min}-${max}`) => {
  const message = `must be ${what}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

const text = (what: string, max = 200) =>
  z.string({ error: `must be ${what}` }).min(1, { error: `must be ${what}` }).max(max, { error: `must be at most ${max} characters` });

const port = () => intIn(1, 65535);
const tiyn = () => intIn(0, Number.MAX_SAFE_INTEGER, 'a whole number of tiyn (integer >= 0)');
const ms = (min: number, max: number) => intIn(min, max, `an integer number of milliseconds ${min}-${max}`);

const SerialDevice = z
  .object({
    /** absent: the simulators' pty in <dataDir>/run */
    path: text('a device path').optional(),
    baudRate: intIn(1200, 921600, 'a baud rate 1200-921600'),
  })
  .strict();

const usbId = () => intIn(0, 0xffff, 'a USB id 0-65535');

const HidDevice = z
  .object({
    transport: z.enum(['hid', 'socket'], { error: 'must be "hid" or "socket"' }).default('socket'),
    /** socket: the simulator's socket (default <dataDir>/run/<name>); hid: a hidraw path */
    path: text('a device path').optional(),
    vendorId: usbId().optional(),
    productId: usbId().optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.transport === 'hid' && d.path === undefined && (d.vendorId === undefined || d.productId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['transport'], message: 'hid needs a path or both vendorId and productId' });
    }
  });


// Cassette denominations are configured in whole tenge, as printed on the note, and become tiyn
// (x100) inside the kiosk.
export const DEFAULT_CASSETTES_TENGE: [number, number] = [5000, 10000];
export const DEFAULT_CASSETTE_CAPACITY = 2500;
const BANKNOTE_MESSAGE = `must be a tenge banknote in whole tenge (${KZT_BANKNOTES_TENGE.join(', ')})`;
const banknoteTenge = () =>
  z
    .number({ error: BANKNOTE_MESSAGE })
    .int({ error: BANKNOTE_MESSAGE })
    .refine((n) => (KZT_BANKNOTES_TENGE as readonly number[]).includes(n), { error: BANKNOTE_MESSAGE });

const CashAcceptorDevice = SerialDevice.extend({
  /** own default so one key set alone (e.g. the protocol from the environment) keeps the baud rate */
  baudRate: intIn(1200, 921600, 'a baud rate 1200-921600').default(9600),
  protocol: z.enum(CASH_ACCEPTOR_PROTOCOLS, { error: 'must be "ccnet" or "id003"' }).default('ccnet'),
}).strict();

const DispenserDevice = SerialDevice.extend({
  /** own default so one dispenser key set alone (e.g. from the environment) keeps the baud rate */
  baudRate: intIn(1200, 921600, 'a baud rate 1200-921600').default(9600),
  /** one denomination per cassette, upper (0) then lower (1), in whole tenge */
  cassettesTenge: z
    .array(banknoteTenge(), { error: 'must be two tenge banknotes, upper then lower cassette, e.g. [5000, 10000]' })
    .length(2, { error: 'must be two tenge banknotes, upper then lower cassette, e.g. [5000, 10000]' })
    .default(DEFAULT_CASSETTES_TENGE),
  /** most notes one cassette holds; a replenishment above it is refused */
  cassetteCapacity: intIn(1, 10_000, 'a number of notes 1-10000').default(DEFAULT_CASSETTE_CAPACITY),
  /**
   * true: the module's exit feeds a presenter (shutter, taken sensor, retract bin). false: a stock
   * LCDM-1000/2000, whose notes counted at the exit sensor have left the machine.
   */
  presenter: z.boolean({ error: 'must be true or false' }).default(false),
}).strict();

const PrinterDevice = SerialDevice.extend({
  /** each key keeps its own default, so setting only the path (KIOSK_DEVICES_PRINTER_PATH) keeps the rest */
  baudRate: intIn(1200, 921600, 'a baud rate 1200-921600').default(19200),
  /** the character table receipts are printed in, named by what it is (not by a vendor's number) */
  codePage: z.enum(PRINTER_CODE_PAGES, { error: `must be one of ${PRINTER_CODE_PAGES.join(', ')}` }).default('kz1048'),
  /** the ESC t number this printer model uses for that table; absent: Epson's (53 KZ-1048, 17 PC866, 46 WPC1251) */
  escT: intIn(0, 255, 'an ESC t number 0-255').optional(),
  /** the head's dots per line: 576 on an 80 mm 203 dpi head, 512 on 180 dpi (TM-T88IV/V), 384 on 58 mm */
  dotWidth: intIn(128, 2040, 'a number of dots 128-2040').refine((n) => n % 8 === 0, { error: 'must be a multiple of 8 dots' }).default(576),
}).strict();

/**
 * The bank's business identification number (БИН), printed on receipts: 12 digits, the 5th saying
 * legal entity (4-6), and the same decree-406 check digit as an IIN.
 */
const BIN_MESSAGE = 'must be a 12-digit BIN (5th digit 4-6, valid check digit)';
const Bin = z
  .string({ error: BIN_MESSAGE })
  .regex(/^[0-9]{4}[4-6][0-9]{7}$/, { error: BIN_MESSAGE })
  .refine((s) => !/^[0-9]{12}$/.test(s) || iinCheckDigit(s.slice(0, 11)) === Number(s[11]), { error: BIN_MESSAGE });

const hid = () => HidDevice.default({ transport: 'socket' });

const BankUrl = z
  .string({ error: 'must be a URL' })
  .refine((s) => URL.canParse(s), { error: 'must be a URL' })
  .refine((s) => !URL.canParse(s) || ['http:', 'https:'].includes(new URL(s).protocol), { error: 'must be an http(s) URL' })
  .refine((s) => !URL.canParse(s) || new URL(s).protocol !== 'http:' || LOOPBACK_HOSTS.has(new URL(s).hostname), {
    // the link to the bank must be encrypted (bank rules ch.2 item 3); plain http is for the local simulator
    error: 'plain http is allowed only on loopback; use https',
  });

const METHODS_MESSAGE = `must be a non-empty list of ${IDENTIFICATION_METHODS.join(', ')} without repeats`;
const IdentificationMethods = z
  .array(z.enum(IDENTIFICATION_METHODS, { error: `must be one of ${IDENTIFICATION_METHODS.join(', ')}` }), { error: METHODS_MESSAGE })
  .min(1, { error: METHODS_MESSAGE })
  .refine((m) => new Set(m).size === m.length, { error: METHODS_MESSAGE });

export const ConfigSchema = z
  .object({
    terminalId: z
      .string({ error: 'must be 1-32 letters, digits or dashes' })
      .regex(/^[A-Za-z0-9-]{1,32}$/, { error: 'must be 1-32 letters, digits or dashes' })
      .default('KZ-DEV-0001'),
    dataDir: text('a folder path').default('data'),
    locale: z.enum(LOCALES, { error: 'must be "kk", "ru" or "en"' }).default('ru'),
    log: z
      .object({
        level: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })
          .default('info'),
        /** the core also writes its (redacted) log lines here, for the technician's log export; absent: stdout only */
        file: text('a file path').optional(),
      })
      .strict()
      .default({ level: 'info' }),
    web: z
      .object({
        host: text('a host name or address').default('127.0.0.1'),
        /** why the web shell may listen beyond loopback (its health, metrics and page need no token); without it a non-loopback host is refused */
        nonLoopbackReason: text('a reason of 10-200 characters').min(10, { error: 'must be a reason of 10-200 characters' }).optional(),
        port: port().default(7300),
        /** extra origins allowed to open the bridge WebSocket (the same origin always is) */
        allowedOrigins: z.array(text('an origin such as http://127.0.0.1:5173')).default([]),
        /** absent: a random token per launch */
        bridgeToken: z.string({ error: 'must be 16-200 characters' }).min(16, { error: 'must be 16-200 characters' }).max(200).optional(),
        /** absent: <repo>/renderer/dist */
        rendererDir: text('a folder path').optional(),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 7300, allowedOrigins: [] }),
    bank: z
      .object({
        url: BankUrl.default('http://127.0.0.1:7070'),
        caFile: text('a file path').optional(),
        certFile: text('a file path').optional(),
        keyFile: text('a file path').optional(),
        timeoutMs: ms(100, 120_000).default(10_000),
      })
      .strict()
      .superRefine((b, ctx) => {
        if ((b.certFile === undefined) !== (b.keyFile === undefined)) {
          ctx.addIssue({ code: 'custom', path: [b.certFile === undefined ? 'certFile' : 'keyFile'], message: 'certFile and keyFile go together' });
        }
      })
      .default({ url: 'http://127.0.0.1:7070', timeoutMs: 10_000 }),
    devices: z
      .object({
        cashAcceptor: CashAcceptorDevice.default({ baudRate: 9600, protocol: 'ccnet' }),
        dispenser: DispenserDevice.default({ baudRate: 9600, cassettesTenge: DEFAULT_CASSETTES_TENGE, cassetteCapacity: DEFAULT_CASSETTE_CAPACITY, presenter: false }),
        printer: PrinterDevice.default({ baudRate: 19200, codePage: 'kz1048', dotWidth: 576 }),
        cardReader: hid(),
        palm: hid(),
        cabinet: hid(),
      })
      .strict()
      .default({
        cashAcceptor: { baudRate: 9600, protocol: 'ccnet' },
        dispenser: { baudRate: 9600, cassettesTenge: DEFAULT_CASSETTES_TENGE, cassetteCapacity: DEFAULT_CASSETTE_CAPACITY, presenter: false },
        printer: { baudRate: 19200, codePage: 'kz1048', dotWidth: 576 },
        cardReader: { transport: 'socket' },
        palm: { transport: 'socket' },
        cabinet: { transport: 'socket' },
      }),
    timeouts: z
      .object({
        /** a customer screen with no touch for this long asks "more time?" */
        inactivityMs: ms(5_000, 600_000).default(45_000),
        /** how long the "more time?" prompt waits before the session ends */
        moreTimeMs: ms(3_000, 120_000).default(15_000),
        /** notes presented but not taken are retracted after this */
        cashTakeMs: ms(5_000, 300_000).default(30_000),
        /** trusted-person pre-approval (bank rules 8.15-1) */
        approvalMs: ms(10_000, 900_000).default(180_000),
        /** the goodbye screen (card handed back, "thank you") before the attract screen */
        goodbyeMs: ms(1_000, 30_000).default(4_000),
        /** bank rules 8.12: at most 15 minutes */
        otpValidityMs: ms(30_000, 900_000).default(300_000),
        otpResendMs: ms(5_000, 600_000).default(60_000),
        /** once a customer's notes are in the box, the longest the session waits for a slow bank before it finishes the payment (credit queued) */
        cashInBankWaitMs: ms(1_000, 120_000).default(10_000),
        /**
         * how long the session waits for the acceptor's word on a note after STACK (its link may be
         * down meanwhile: a validator coming back from a power cut says it then); past it the intent
         * is left to the runtime's intent settler
         */
        noteSettleMs: ms(2_000, 120_000).default(10_000),
      })
      .strict()
      .default({ inactivityMs: 45_000, moreTimeMs: 15_000, cashTakeMs: 30_000, approvalMs: 180_000, otpValidityMs: 300_000, otpResendMs: 60_000, cashInBankWaitMs: 10_000, noteSettleMs: 10_000, goodbyeMs: 4_000 }),
    offline: z
      .object({
        /** most one payment may take while the bank is unreachable */
        perPaymentTiyn: tiyn().default(5_000_000),
        /** most all undelivered payments together may hold */
        totalTiyn: tiyn().default(50_000_000),
      })
      .strict()
      .refine((o) => o.perPaymentTiyn <= o.totalTiyn, { error: 'perPaymentTiyn must not exceed totalTiyn', path: ['perPaymentTiyn'] })
      .default({ perPaymentTiyn: 5_000_000, totalTiyn: 50_000_000 }),
    card: z
      .object({ tokenKey: text('a key of 16-200 characters').min(16, { error: 'must be a key of 16-200 characters' }).default(DEV_CARD_TOKEN_KEY) })
      .strict()
      .default({ tokenKey: DEV_CARD_TOKEN_KEY }),
    /** what every receipt says about its issuer (receipts are primary documents, bank rules ch.2 item 6) */
    receipt: z
      .object({
        bankName: text('the bank name as printed on receipts', 80).default('Bank'),
        address: z.string({ error: 'must be the terminal address' }).max(200, { error: 'must be at most 200 characters' }).default(''),
        /** absent: no BIN line on the receipt */
        bankBin: Bin.optional(),
      })
      .strict()
      .default({ bankName: 'Bank', address: '' }),
    /** what the customer may identify with; a method left out is never offered (palm off: no hand watched for on the attract screen) */
    identification: z
      .object({ methods: IdentificationMethods.default([...IDENTIFICATION_METHODS]) })
      .strict()
      .default({ methods: [...IDENTIFICATION_METHODS] }),
    /** below this much free space on the data disk the terminal goes out of service at start-up, before taking any cash */
    storage: z
      .object({ minFreeMb: intIn(1, 10_000_000, 'a number of megabytes 1-10000000').default(64) })
      .strict()
      .default({ minFreeMb: 64 }),
    service: z
      .object({
        /** the shared development code: accepted (without a user id) only with a bank on loopback */
        technicianCode: z
          .string({ error: 'must be 4-8 digits' })
          .regex(/^[0-9]{4,8}$/, { error: 'must be 4-8 digits' })
          .default('123456'),
        /** the crew the bank provisions: ids, roles and scrypt PIN hashes (kiosk/service-mode/service-users.ts) */
        usersFile: z.string().min(1).optional(),
        /** also take the crew from the bank host (GET /v1/service-users), refreshed at each login */
        usersFromBank: z.boolean({ error: 'must be true or false' }).default(false),
        /** this many wrong PINs in a row lock service entry for `lockoutMinutes` */
        lockoutAttempts: intIn(1, 20, 'a number of attempts 1-20').default(3),
        lockoutMinutes: intIn(1, 1440, 'a number of minutes 1-1440').default(15),
        /** how long a device test waits for the technician (a note in the acceptor, a card, a palm) */
        deviceTestMs: ms(2_000, 300_000).default(30_000),
        /** where the log export writes (the removable medium's mount point); absent: `<dataDir>/export` */
        exportDir: text('a folder path').optional(),
      })
      .strict()
      .default({ technicianCode: '123456', usersFromBank: false, lockoutAttempts: 3, lockoutMinutes: 15, deviceTestMs: 30_000 }),
    /** what the bank's operations centre receives: journal anchoring and terminal status */
    fleet: z
      .object({
        /** a journal segment goes to the bank once this many entries are not yet sent */
        journalUploadEveryEntries: intIn(1, 100_000, 'a number of journal entries 1-100000').default(200),
        /** ... and at least this often while anything was journaled */
        journalUploadEveryMinutes: intIn(1, 1440, 'a number of minutes 1-1440').default(15),
        /** a status report goes at least this often even when nothing changed */
        statusHeartbeatMs: ms(1_000, 3_600_000).default(60_000),
        /** changes are reported no more often than this (a flapping device is coalesced) */
        statusMinIntervalMs: ms(100, 600_000).default(2_000),
        /** most notes the acceptor's cash box holds */
        cashBoxCapacity: intIn(1, 100_000, 'a number of notes 1-100000').default(1_500),
      })
      .strict()
      .default({ journalUploadEveryEntries: 200, journalUploadEveryMinutes: 15, statusHeartbeatMs: 60_000, statusMinIntervalMs: 2_000, cashBoxCapacity: 1_500 }),
  })
  .strict();

export type ConfigInput = z.input<typeof ConfigSchema>;
type Parsed = z.output<typeof ConfigSchema>;

type WithPath<T> = Omit<T, 'path'> & { path: string };

/** The validated configuration with every default and derived path filled in. */
export type KioskConfig = Omit<Parsed, 'devices' | 'web'> & {
  web: Parsed['web'] & { rendererDir: string };
  devices: {
    cashAcceptor: WithPath<Parsed['devices']['cashAcceptor']>;
    dispenser: WithPath<Parsed['devices']['dispenser']>;
    /** escT is filled with the table's Epson number when the file does not give one */
    printer: WithPath<Parsed['devices']['printer']> & { escT: number };
    cardReader: Parsed['devices']['cardReader'];
    palm: Parsed['devices']['palm'];
    cabinet: Parsed['devices']['cabinet'];
  };
};
