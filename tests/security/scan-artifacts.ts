/**
 * The card-data leak scan: reads every regular file under the given folders (logs, SQLite
 * databases with their -wal files, anything else a run left behind) as raw bytes, and also
 * SELECTs every value of every table of each SQLite database (text split over overflow pages, or
 * a PAN kept as an INTEGER, is invisible to a byte scan), looking for the test cards' PANs and
 * track data and the palm-vein templates (`forbidden-data.ts`). Every hit is reported with its
 * file and byte offset (or table, column and row); any hit fails.
 *
 * One thing is allowed: the simulated bank's ledger (a database with a `palm_enrolments` table) is
 * the bank's biometric store (bank rules 8.15: "the biometric data the bank holds"), so the raw
 * template of a subject enrolled in that very ledger may appear in its file, its -wal and its
 * `palm_enrolments.template` column, nowhere else. PANs are never allowed, in any file.
 *
 *   npx tsx tests/security/scan-artifacts.ts [folder ...]   (default: $KIOSK_TEST_ARTIFACTS or test-results/artifacts)
 */
import { closeSync, copyFileSync, existsSync, lstatSync, mkdtempSync, openSync, readSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { findPatterns, NeedleSet, type Match } from './byte-search.js';
import { forbiddenData, type FindingTag, type ForbiddenDataOptions } from './forbidden-data.js';

export interface Finding extends FindingTag {
  file: string;
  /** byte offset in the file (raw scan) */
  offset?: number;
  /** where a SELECT found it */
  table?: string;
  column?: string;
  row?: number;
  /** offset inside that value */
  valueOffset?: number;
}

export interface ScanReport {
  findings: Finding[];
  /** findings allowed because they are the bank ledger's own enrolments */
  allowed: Finding[];
  filesScanned: number;
  bytesScanned: number;
  databases: number;
  /** files that could not be read or opened, with the reason (a scan that cannot see is not clean) */
  errors: Array<{ file: string; error: string }>;
}

const CHUNK = 8 * 1024 * 1024;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

class Matcher {
  readonly #needles;
  readonly #patterns;
  readonly overlap: number;

  constructor(options: ForbiddenDataOptions) {
    const data = forbiddenData(options);
    this.#needles = new NeedleSet(data.needles);
    this.#patterns = data.patterns;
    // a separated 19-digit PAN is 37 bytes; keep a generous overlap between chunks
    this.overlap = Math.max(this.#needles.maxLength, 64);
  }

  find(bytes: Uint8Array): Match<FindingTag>[] {
    return [...this.#needles.find(bytes), ...findPatterns(bytes, this.#patterns)];
  }
}

/** every regular file below the roots; symlinks, sockets and ptys are never followed or read */
export function listFiles(roots: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    const st = lstatSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else if (st.isFile()) {
      out.push(path);
    }
  };
  for (const r of roots) walk(resolve(r));
  return out;
}

function scanRaw(file: string, matcher: Matcher): { findings: Finding[]; bytes: number; isSqlite: boolean } {
  const fd = openSync(file, 'r');
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let isSqlite = false;
  let position = 0;
  let carry: Buffer = Buffer.alloc(0);
  try {
    const chunk = Buffer.alloc(CHUNK);
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK, position);
      if (n === 0) break;
      if (position === 0) isSqlite = n >= SQLITE_MAGIC.length && chunk.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC);
      const window = Buffer.concat([carry, chunk.subarray(0, n)]);
      const base = position - carry.length;
      for (const m of matcher.find(window)) {
        const offset = base + m.offset;
        const key = `${offset}:${m.length}:${m.tag.kind}:${m.tag.what}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ ...m.tag, file, offset });
      }
      position += n;
      carry = Buffer.from(window.subarray(Math.max(0, window.length - matcher.overlap)));
    }
  } finally {
    closeSync(fd);
  }
  return { findings, bytes: position, isSqlite };
}

interface DbScan {
  findings: Finding[];
  /** subjects enrolled in this database when it is the bank ledger */
  enrolled: Set<string>;
  ledgerTemplates: Finding[];
}

const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function valueBytes(value: unknown): Uint8Array | undefined {
  if (value === null || value === undefined) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'bigint' || typeof value === 'number') return Buffer.from(String(value), 'ascii');
  return undefined;
}

/** SELECTs every value of every table from a copy (never touches the original or its -wal) */
function scanDatabase(file: string, matcher: Matcher): DbScan {
  const scratch = mkdtempSync(join(tmpdir(), 'leak-scan-'));
  const copy = join(scratch, basename(file));
  try {
    copyFileSync(file, copy);
    for (const suffix of ['-wal', '-journal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix);
    const db = new Database(copy, { fileMustExist: true });
    try {
      const findings: Finding[] = [];
      const ledgerTemplates: Finding[] = [];
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
      const enrolled = new Set<string>();
      const isLedger = tables.includes('palm_enrolments');
      if (isLedger) {
        for (const r of db.prepare('SELECT subject FROM palm_enrolments').all() as Array<{ subject: string }>) enrolled.add(r.subject);
      }
      for (const table of tables) {
        const stmt = db.prepare(`SELECT * FROM ${quoteId(table)}`).safeIntegers(true).raw(true);
        const columns = stmt.columns().map((c) => c.name);
        let row = 0;
        for (const values of stmt.iterate() as Iterable<unknown[]>) {
          row++;
          values.forEach((value, i) => {
            const bytes = valueBytes(value);
            if (!bytes) return;
            const column = columns[i] ?? `#${i}`;
            for (const m of matcher.find(bytes)) {
              const finding: Finding = { ...m.tag, file, table, column, row, valueOffset: m.offset };
              const ownEnrolment = isLedger && table === 'palm_enrolments' && column === 'template' && m.tag.kind === 'palm-template-raw' && m.tag.subject !== undefined && enrolled.has(m.tag.subject);
              (ownEnrolment ? ledgerTemplates : findings).push(finding);
            }
          });
        }
      }
      return { findings, enrolled, ledgerTemplates };
    } finally {
      db.close();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface ScanOptions extends ForbiddenDataOptions {
  /** called per file, e.g. for progress */
  onFile?: (file: string) => void;
}

export function scanArtifacts(roots: readonly string[], options: ScanOptions = {}): ScanReport {
  const matcher = new Matcher(options);
  const report: ScanReport = { findings: [], allowed: [], filesScanned: 0, bytesScanned: 0, databases: 0, errors: [] };
  const files = listFiles(roots);
  const raw = new Map<string, Finding[]>();
  const ledgerEnrolments = new Map<string, Set<string>>();

  for (const file of files) {
    options.onFile?.(file);
    try {
      const r = scanRaw(file, matcher);
      report.filesScanned++;
      report.bytesScanned += r.bytes;
      raw.set(file, r.findings);
      if (r.isSqlite) {
        report.databases++;
        const db = scanDatabase(file, matcher);
        report.findings.push(...db.findings);
        report.allowed.push(...db.ledgerTemplates);
        if (db.enrolled.size > 0) ledgerEnrolments.set(file, db.enrolled);
      }
    } catch (err) {
      report.errors.push({ file, error: err instanceof Error ? err.message : String(err) });
    }
  }

  for (const [file, findings] of raw) {
    // the ledger's -wal and -journal belong to the ledger
    const owner = file.replace(/-(wal|journal)$/, '');
    const enrolled = ledgerEnrolments.get(owner);
    for (const f of findings) {
      const ownEnrolment = enrolled !== undefined && f.kind === 'palm-template-raw' && f.subject !== undefined && enrolled.has(f.subject);
      (ownEnrolment ? report.allowed : report.findings).push(f);
    }
  }
  return report;
}

export function formatFinding(f: Finding): string {
  const where = f.table !== undefined ? `${f.file} [${f.table}.${f.column} row ${f.row}, value offset ${f.valueOffset}]` : `${f.file} @ byte ${f.offset}`;
  return `${where}: ${f.kind} (${f.what})`;
}

/** default folders: $KIOSK_TEST_ARTIFACTS, else test-results/artifacts */
export function defaultRoots(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const explicit = env.KIOSK_TEST_ARTIFACTS;
  return [explicit !== undefined && explicit.length > 0 ? resolve(cwd, explicit) : resolve(cwd, 'test-results', 'artifacts')];
}

function main(argv: string[]): number {
  const roots = argv.length > 0 ? argv.map((a) => resolve(a)) : defaultRoots();
  const missing = roots.filter((r) => !existsSync(r));
  if (missing.length > 0) {
    console.error(`leak scan: no such folder: ${missing.join(', ')}`);
    return 2;
  }
  const started = Date.now();
  const report = scanArtifacts(roots);
  for (const f of report.findings) console.error(`LEAK ${formatFinding(f)}`);
  for (const e of report.errors) console.error(`leak scan: cannot scan ${e.file}: ${e.error}`);
  const mb = (report.bytesScanned / 1024 / 1024).toFixed(1);
  console.log(
    `leak scan: ${report.filesScanned} files (${mb} MiB, ${report.databases} SQLite databases) under ${roots.join(', ')} in ${Date.now() - started} ms: ` +
      `${report.findings.length} findings` +
      (report.allowed.length > 0 ? `, ${report.allowed.length} allowed (the bank ledger's own palm enrolments)` : ''),
  );
  if (report.findings.length > 0) return 1;
  return report.errors.length > 0 ? 2 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
