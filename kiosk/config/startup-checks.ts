/**
 * Checks a valid configuration against the machine before anything starts: the bank's certificate
 * files must be readable PEM (a terminal that cannot reach its bank must not look healthy), the web
 * shell stays on loopback unless a reason is written down, a production terminal (a bank that is
 * not on this machine) must not run with the development secrets, and the data folder must be one
 * this process can write. Each problem is a ConfigError: one line, exit code 2 from the CLI.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { accessSync, constants, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_CARD_TOKEN_KEY } from '../../drivers/card-reader/pan-token.js';
import { isLoopbackHost } from '../bank/http-transport.js';
import { makeDirs } from '../store/make-dirs.js';
import { isDevelopmentUser, readServiceUsersFile, ServiceUsersFileError, type ServiceUser } from '../service-mode/service-users.js';
import { ConfigError } from './load.js';
import type { KioskConfig } from './schema.js';

export const DEV_TECHNICIAN_CODE = '123456';

const errorCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

/** every PEM certificate in a bundle, so one bad block in a CA file is found too */
function certificates(key: string, path: string): X509Certificate[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`bank.${key}: cannot read ${path} (${errorCode(err)})`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigError(`bank.${key}: ${path} holds no PEM certificate`);
  return blocks.map((pem, i) => {
    try {
      return new X509Certificate(pem);
    } catch (err) {
      throw new ConfigError(`bank.${key}: certificate ${i + 1} in ${path} cannot be parsed (${err instanceof Error ? err.message : String(err)})`);
    }
  });
}

function privateKey(path: string): KeyObject {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch (err) {
    throw new ConfigError(`bank.keyFile: cannot read ${path} (${errorCode(err)})`);
  }
  try {
    return createPrivateKey(text);
  } catch (err) {
    throw new ConfigError(`bank.keyFile: ${path} is not a PEM private key (${err instanceof Error ? err.message : String(err)})`);
  }
}

function checkBankTls(config: KioskConfig): void {
  const { caFile, certFile, keyFile } = config.bank;
  if (caFile !== undefined) certificates('caFile', caFile);
  if (certFile !== undefined && keyFile !== undefined) {
    const [cert] = certificates('certFile', certFile);
    const key = privateKey(keyFile);
    if (cert !== undefined && !cert.checkPrivateKey(key)) throw new ConfigError(`bank.keyFile: ${keyFile} is not the key of the certificate in ${certFile}`);
  }
}

function checkWebHost(config: KioskConfig): void {
  if (isLoopbackHost(config.web.host)) return;
  if (config.web.nonLoopbackReason !== undefined) return;
  // /healthz, /metrics and the renderer need no token; only loopback keeps them off the network
  throw new ConfigError(
    `web.host: "${config.web.host}" is not loopback; the web shell must stay on 127.0.0.1 unless web.nonLoopbackReason (KIOSK_WEB_NON_LOOPBACK_REASON) says why`,
  );
}

/** a production terminal talks to a bank that is not on this machine */
export function isProduction(config: KioskConfig): boolean {
  return !isLoopbackHost(new URL(config.bank.url).hostname);
}

function developmentSecrets(config: KioskConfig): string[] {
  const found: string[] = [];
  if (config.card.tokenKey === DEV_CARD_TOKEN_KEY) found.push('card.tokenKey is the development key');
  if (config.service.technicianCode === DEV_TECHNICIAN_CODE) found.push(`service.technicianCode is the development code`);
  const devUsers = serviceUsers(config).filter(isDevelopmentUser).map((u) => u.id);
  if (devUsers.length > 0) found.push(`service.usersFile holds the development crew (${devUsers.join(', ')})`);
  return found;
}

/** the provisioned crew; a file that cannot be read or is not a valid list stops start-up */
export function serviceUsers(config: KioskConfig): ServiceUser[] {
  const path = config.service.usersFile;
  if (path === undefined) return [];
  try {
    return readServiceUsersFile(path);
  } catch (err) {
    if (err instanceof ServiceUsersFileError) throw new ConfigError(`service.usersFile: ${err.message}`);
    throw err;
  }
}

/** The data folder exists (created 0700), is a folder, and takes a file: checked now, not on the first cash-in. */
function checkDataDir(config: KioskConfig): void {
  const dir = config.dataDir;
  try {
    makeDirs(dir, 0o700);
  } catch (err) {
    throw new ConfigError(`dataDir: cannot create ${dir} (${errorCode(err)})`);
  }
  try {
    if (!statSync(dir).isDirectory()) throw new ConfigError(`dataDir: ${dir} is not a folder`);
    accessSync(dir, constants.W_OK | constants.X_OK);
    const probe = join(dir, `.write-check-${process.pid}`);
    writeFileSync(probe, 'ok', { mode: 0o600 });
    rmSync(probe, { force: true });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`dataDir: cannot write in ${dir} (${errorCode(err)})`);
  }
}

/** Throws a ConfigError for the first problem found; returns the warnings that do not stop start-up. */
export function checkStartup(config: KioskConfig): { warnings: string[] } {
  checkBankTls(config);
  checkWebHost(config);
  const secrets = developmentSecrets(config);
  if (secrets.length > 0 && isProduction(config)) {
    throw new ConfigError(`${secrets.join('; ')}: not allowed with a bank that is not on loopback (${new URL(config.bank.url).origin})`);
  }
  checkDataDir(config);
  return { warnings: startupWarnings(config) };
}

/** what the core logs at start-up as a warning: development secrets away from production, an exposed web shell */
export function startupWarnings(config: KioskConfig): string[] {
  const warnings = developmentSecrets(config).map((s) => `${s}; change it before this terminal talks to a real bank`);
  if (!isLoopbackHost(config.web.host)) warnings.push(`web shell listens on ${config.web.host} (not loopback): ${config.web.nonLoopbackReason ?? ''}`);
  return warnings;
}
