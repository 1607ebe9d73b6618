/**
 * `npm run journal -- verify [--bank [URL]] [--data DIR] [--terminal ID]`: checks the kiosk's
 * electronic journal (kiosk/fleet/verify-journal.ts) and prints one line per finding.
 * Exit 0: everything holds; 1: a finding (or the bank could not be asked); 2: usage or configuration.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../kiosk/config/load.js';
import type { KioskConfig } from '../kiosk/config/schema.js';
import { dbPath } from '../kiosk/store/db.js';
import { HttpTransport, loadTlsFiles } from '../kiosk/bank/http-transport.js';
import { verifyAll } from '../kiosk/fleet/verify-journal.js';

const USAGE = 'usage: npm run journal -- verify [--bank [URL]] [--data DIR] [--terminal ID]';

interface Args { bank?: string | true; data?: string; terminal?: string }

function parse(argv: string[]): Args | string {
  if (argv[0] !== 'verify') return USAGE;
  const args: Args = {};
  for (let i = 1; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[i + 1] : undefined;
    if (flag === '--bank') args.bank = value ?? true;
    else if (flag === '--data' && value) args.data = value;
    else if (flag === '--terminal' && value) args.terminal = value;
    else return `${USAGE}\nunknown or incomplete argument: ${flag}`;
    if (value !== undefined) i++;
  }
  return args;
}

async function bankHead(config: KioskConfig, url: string, terminalId: string): Promise<{ seq: number; hash: string }> {
  const transport = new HttpTransport(url, loadTlsFiles(config.bank));
  try {
    const answer = await transport.request('GET', '/v1/journal/anchor', undefined, { 'x-terminal-id': terminalId }, config.bank.timeoutMs);
    if (answer.status !== 200) throw new Error(`bank answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    const body = JSON.parse(answer.text) as { seq?: unknown; hash?: unknown };
    if (typeof body.seq !== 'number' || typeof body.hash !== 'string') throw new Error('bank answer has no anchored head');
    return { seq: body.seq, hash: body.hash };
  } finally {
    transport.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  let config: KioskConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const file = dbPath(args.data ?? config.dataDir);
  if (!existsSync(file)) {
    console.error(`journal: no database at ${file}`);
    return 1;
  }
  const terminalId = args.terminal ?? config.terminalId;
  let head: { seq: number; hash: string } | undefined;
  if (args.bank !== undefined) {
    const url = args.bank === true ? config.bank.url : args.bank;
    try {
      head = await bankHead(config, url, terminalId);
    } catch (err) {
      console.log(`FAIL bank: cannot read the anchored head of ${terminalId} from ${url}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }
  // read-only: the verifier must not change what it checks (no migration, no WAL checkpoint)
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const report = verifyAll(db, head);
    for (const f of report.findings) console.log(`FAIL ${f.check}: ${f.message}`);
    if (report.findings.length > 0) return 1;
    const anchored = report.anchors.map((a) => `${a.source === 'bank' ? 'bank' : 'local record'} anchor at entry ${a.seq} matches`).join(', ');
    console.log(`ok: ${report.entries} entries, chain intact, append-only triggers present, counters agree with the journal${anchored ? `, ${anchored}` : ''}${head ? '' : ' (not compared with the bank: pass --bank)'}`);
    return 0;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  console.error(`journal: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
