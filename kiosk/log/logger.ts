/**
 * The core's structured log (pino, JSON lines). Secrets are removed twice: by key (redaction paths
 * at any depth the core logs) and by shape (card-number-like digit runs in messages are masked), so
 * a careless log call cannot leak a PAN, track data, PIN, OTP, CVV or biometric template.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** keys never written to the log, whatever object they sit in */
export const SECRET_KEYS = ['pan', 'track', 'track1', 'track2', 'track3', 'otp', 'pin', 'template', 'code', 'cvv', 'cvc', 'tokenKey', 'technicianCode', 'token'] as const;

const DEPTH = 4;

/** `pan`, `*.pan`, `*.*.pan` ... down to DEPTH levels, as pino's redaction needs explicit paths */
export function redactionPaths(keys: readonly string[] = SECRET_KEYS): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    for (let depth = 0; depth <= DEPTH; depth++) paths.push([...Array<string>(depth).fill('*'), key].join('.'));
  }
  return paths;
}

export const REDACTED = '[redacted]';

const PAN_LIKE = /\b(\d{6})\d{3,9}(\d{4})\b/g;
/** masks 13-19 digit runs (card numbers) to first 6 / last 4 */
export function maskDigitRuns(text: string): string {
  return text.replace(PAN_LIKE, (run: string, first: string, last: string) => `${first}${'*'.repeat(run.length - 10)}${last}`);
}

export interface LogOptions {
  level?: LoggerOptions['level'];
  name?: string;
  /** where lines go; stdout by default */
  destination?: DestinationStream;
  /** also append every line to this file (config `log.file`): what the technician's log export copies */
  file?: string;
}

export function createLogger(options: LogOptions = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { name: options.name ?? 'kiosk' },
    redact: { paths: redactionPaths(), censor: REDACTED },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskDigitRuns(a) : a)) as typeof args;
        method.apply(this, masked);
      },
    },
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.file !== undefined && config.level !== 'silent') {
    const level = (config.level ?? 'info') as pino.Level;
    // written synchronously: an export or a crash right after a line still finds it in the file
    const streams = pino.multistream([
      { level, stream: options.destination ?? pino.destination(1) },
      { level, stream: pino.destination({ dest: options.file, mkdir: true, sync: true }) },
    ]);
    return pino(config, streams);
  }
  return options.destination ? pino(config, options.destination) : pino(config);
}
