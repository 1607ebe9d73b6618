/**
 * The leak scanner must find what it exists to find: planted PANs (plain, grouped, in SQLite
 * pages, WAL frames, integers and logs), track data, and palm templates in raw, hex and base64
 * form at any alignment; it must stay quiet for masked numbers and PAN tokens, and allow the bank
 * ledger only its own enrolments.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskPan, panToken, DEV_CARD_TOKEN_KEY } from '../../../drivers/card-reader/pan-token.js';
import { palmTemplateFor } from '../../../simulators/common/palm-subjects.js';
import { testCards } from '../../../simulators/common/test-cards.js';
import { encodeTrack1, encodeTrack2 } from '../../../simulators/devices/card-reader/tracks.js';
import { NeedleSet, findPatterns } from '../../security/byte-search.js';
import { formatFinding, scanArtifacts, type Finding } from '../../security/scan-artifacts.js';
import { repoRoot } from '../../support/artifacts.js';

const card = testCards[0]!;
const pan = card.pan;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leak-scan-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const kinds = (fs: Finding[]): string[] => [...new Set(fs.map((f) => f.kind))].sort();

describe('byte search', () => {
  it('finds every needle at its byte offset, overlapping ones included', () => {
    const set = new NeedleSet([
      { bytes: Buffer.from('abcd'), tag: 'x' },
      { bytes: Buffer.from('bcde'), tag: 'y' },
    ]);
    expect(set.find(Buffer.from('zzabcdeabcd'))).toEqual([
      { offset: 2, length: 4, tag: 'x' },
      { offset: 3, length: 4, tag: 'y' },
      { offset: 7, length: 4, tag: 'x' },
    ]);
    expect(set.find(Buffer.from('abc'))).toEqual([]);
  });

  it('reports regex matches as byte offsets even after multi-byte UTF-8 text', () => {
    const bytes = Buffer.from(`Карта: ${pan}`, 'utf8');
    const [m] = findPatterns(bytes, [{ regex: new RegExp(pan, 'g'), tag: 'pan' }]);
    expect(m?.offset).toBe(bytes.indexOf(pan));
    expect(m?.offset).toBeGreaterThan('Карта: '.length);
  });
});

describe('leak scan', () => {
  it('finds a PAN planted in a log, with and without separators, at its byte offset', () => {
    const grouped = pan.replace(/(\d{4})(?=\d)/g, '$1 ');
    const dashed = pan.replace(/(\d{4})(?=\d)/g, '$1-');
    const text = `{"msg":"card read","pan":"${pan}"}\nnext ${grouped}\nand ${dashed}\n`;
    writeFileSync(join(dir, 'core.log'), text);
    const report = scanArtifacts([dir]);
    const pans = report.findings.filter((f) => f.kind === 'pan');
    expect(pans.map((f) => f.offset)).toEqual([text.indexOf(pan), text.indexOf(grouped), text.indexOf(dashed)]);
    expect(pans.every((f) => f.what === maskPan(pan) && f.file === join(dir, 'core.log'))).toBe(true);
    // the report itself never repeats the number
    expect(report.findings.map(formatFinding).join('\n')).not.toContain(pan);
  });

  it('finds a PAN planted in a SQLite database, in the file and in its WAL, and by SELECT', () => {
    const file = join(dir, 'kiosk.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE journal (id INTEGER PRIMARY KEY, body TEXT)');
    db.prepare('INSERT INTO journal (body) VALUES (?)').run(`{"receipt":1,"card":"${pan}"}`);
    // the database stays open, so the row sits in the -wal file only
    const report = scanArtifacts([dir]);
    db.close();
    const pans = report.findings.filter((f) => f.kind === 'pan');
    expect(pans.some((f) => f.file === `${file}-wal` && f.offset !== undefined)).toBe(true);
    expect(pans.some((f) => f.table === 'journal' && f.column === 'body' && f.row === 1)).toBe(true);
    expect(report.databases).toBe(1);
    expect(report.errors).toEqual([]);
  });

  it('finds a PAN the byte scan cannot see: kept as an INTEGER, or split across overflow pages', () => {
    const file = join(dir, 'store.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (n INTEGER, big TEXT)');
    // 4 KiB pages: the PAN straddles the boundary between two overflow pages
    const filler = 'x'.repeat(4096 - 10);
    db.prepare('INSERT INTO t VALUES (?, ?)').run(BigInt(testCards[1]!.pan), `${filler}${pan}${filler}`);
    db.close();
    const report = scanArtifacts([dir]);
    const selected = report.findings.filter((f) => f.table === 't');
    expect(selected.find((f) => f.column === 'n')?.what).toBe(maskPan(testCards[1]!.pan));
    expect(selected.find((f) => f.column === 'big')?.valueOffset).toBe(filler.length);
  });

  it('finds track data of both tracks', () => {
    const t1 = Buffer.from(encodeTrack1(card)).subarray(0, -1).toString('ascii');
    const t2 = Buffer.from(encodeTrack2(card)).subarray(0, -1).toString('ascii');
    writeFileSync(join(dir, 'driver.log'), `swipe ${t1} ${t2}\n`);
    const report = scanArtifacts([dir]);
    expect(kinds(report.findings)).toEqual(['pan', 'track1', 'track2']);
  });

  it('finds the PAN as ASCII hex and as UTF-16', () => {
    writeFileSync(join(dir, 'dump.txt'), `report ${Buffer.from(pan, 'ascii').toString('hex')}\n`);
    writeFileSync(join(dir, 'wide.bin'), Buffer.from(`card ${pan}`, 'utf16le'));
    expect(kinds(scanArtifacts([dir]).findings)).toEqual(['pan-hex', 'pan-utf16']);
  });

  it('finds a palm template planted in base64, at every alignment, and in hex and raw form', () => {
    const template = Buffer.from(palmTemplateFor('palm-dauren'));
    for (const start of [0, 1, 2, 100, 301]) {
      const sub = mkdtempSync(join(dir, 'b64-'));
      const part = template.subarray(start, start + 80);
      writeFileSync(join(sub, 'bank.log'), `{"query":{"template":"${part.toString('base64')}"}}\n`);
      const found = scanArtifacts([sub]).findings;
      expect(found.length, `base64 from offset ${start}`).toBeGreaterThan(0);
      expect(found.every((f) => f.kind === 'palm-template-base64' && f.what === 'palm-dauren')).toBe(true);
    }
    writeFileSync(join(dir, 'b64url.log'), template.subarray(7, 90).toString('base64url'));
    writeFileSync(join(dir, 'hex.log'), template.subarray(33, 100).toString('hex').toUpperCase());
    writeFileSync(join(dir, 'raw.bin'), Buffer.concat([Buffer.from('head'), template.subarray(5, 60)]));
    expect(kinds(scanArtifacts([dir]).findings)).toEqual(['palm-template-base64', 'palm-template-hex', 'palm-template-raw']);
  });

  it('stays quiet for masked numbers, PAN tokens and unrelated digits', () => {
    const lines = testCards.map((c) => `${maskPan(c.pan)} ${panToken(c.pan, DEV_CARD_TOKEN_KEY)} ${c.pan.slice(0, 12)}`);
    writeFileSync(join(dir, 'clean.log'), `${lines.join('\n')}\n{"responseTime":4.000000000000002,"n":1795618529390}\n`);
    const report = scanArtifacts([dir]);
    expect(report.findings).toEqual([]);
    expect(report.filesScanned).toBe(1);
  });

  it('allows the bank ledger its own enrolled templates, and nothing else', () => {
    const file = join(dir, 'bank.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE palm_enrolments (subject TEXT PRIMARY KEY, customer_id TEXT, template BLOB)');
    db.exec('CREATE TABLE cards (pan_token TEXT, masked_pan TEXT)');
    db.prepare('INSERT INTO palm_enrolments VALUES (?, ?, ?)').run('palm-aigerim', 'c-aigerim', Buffer.from(palmTemplateFor('palm-aigerim')));
    db.prepare('INSERT INTO cards VALUES (?, ?)').run(panToken(pan, DEV_CARD_TOKEN_KEY), maskPan(pan));
    db.close();
    const clean = scanArtifacts([dir]);
    expect(clean.findings).toEqual([]);
    expect(clean.allowed.length).toBeGreaterThan(0);

    // a presented template kept by the bank (a subject it never enrolled) is a leak, as is a PAN
    const again = new Database(file);
    again.exec('CREATE TABLE audit (note TEXT, blob BLOB)');
    again.prepare('INSERT INTO audit VALUES (?, ?)').run(`presented by ${pan}`, Buffer.from(palmTemplateFor('palm-stranger')));
    again.close();
    const dirty = scanArtifacts([dir]);
    expect(kinds(dirty.findings)).toEqual(['palm-template-raw', 'pan']);
    expect(dirty.findings.filter((f) => f.kind === 'palm-template-raw').every((f) => f.what === 'palm-stranger')).toBe(true);

    // the enrolled template anywhere outside the ledger is a leak too
    writeFileSync(join(dir, 'copy.bin'), Buffer.from(palmTemplateFor('palm-aigerim')));
    expect(scanArtifacts([dir]).findings.some((f) => f.file === join(dir, 'copy.bin') && f.what === 'palm-aigerim')).toBe(true);
  });

  it('finds a PAN across the reading chunks of a large file and never follows symlinks', () => {
    const big = Buffer.alloc(8 * 1024 * 1024 + 100, 0x20);
    const at = 8 * 1024 * 1024 - 7; // straddles the first chunk boundary
    big.write(pan, at, 'ascii');
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'big.log'), big);
    writeFileSync(join(dir, 'outside.log'), pan);
    const scanned = join(dir, 'logs');
    symlinkSync(join(dir, 'outside.log'), join(scanned, 'link.log'));
    const report = scanArtifacts([scanned]);
    expect(report.findings.map((f) => [f.kind, f.offset])).toEqual([['pan', at]]);
    expect(report.filesScanned).toBe(1);
  });
});

describe('leak scan command (the last step of npm test)', () => {
  const scan = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'tests/security/scan-artifacts.ts', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });

  it('exits 0 on a clean folder, 1 with every finding on stderr (masked), 2 for a missing folder', () => {
    writeFileSync(join(dir, 'clean.log'), `card ${maskPan(pan)}\n`);
    const clean = scan(dir);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/1 files .* 0 findings/);

    writeFileSync(join(dir, 'kiosk.log'), `{"pan":"${pan.replace(/(\d{4})(?=\d)/g, '$1 ')}"}\n`);
    const dirty = scan(dir);
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain(`LEAK ${join(dir, 'kiosk.log')} @ byte 8: pan (${maskPan(pan)})`);
    expect(dirty.stderr + dirty.stdout).not.toContain(pan);

    expect(scan(join(dir, 'missing')).status).toBe(2);
  });
});
