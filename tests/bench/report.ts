/**
 * What every benchmark hands back: one row per figure (ours, the baseline measured in the same run,
 * their ratio and what limits the figure), the raw numbers for the JSON file, and the table
 * `npm run bench` prints. A row never passes or fails; the target is printed beside the ratio.
 */
export interface Row {
  /** "1a session overhead, realistic mechanics" */
  figure: string;
  ours: string;
  baseline: string;
  /** ratio as printed, target included, e.g. "1.07 (target <= 1.05)"; "-" when none applies */
  ratio: string;
  /** the physical or library limit that holds the figure where it is */
  limit: string;
  /** raw numbers, written to the JSON only */
  data: Record<string, unknown>;
}

export interface BenchContext {
  /** prints a progress line (stderr, so stdout stays the table) */
  progress(line: string): void;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<Row[]>;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** nearest-rank percentile; NaN for no values */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const ms = (v: number, digits = 0): string => `${v.toFixed(digits)} ms`;
export const fixed = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/** "1.07 (target <= 1.05)" */
export function ratioText(value: number, target?: string): string {
  return target === undefined ? fixed(value) : `${fixed(value)} (target ${target})`;
}

/** wraps text at `width` on spaces */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  out.push(line);
  return out;
}

const COLUMNS = [
  { key: 'figure', title: 'figure', width: 30 },
  { key: 'ours', title: 'ours', width: 26 },
  { key: 'baseline', title: 'baseline', width: 30 },
  { key: 'ratio', title: 'ratio', width: 20 },
  { key: 'limit', title: 'what limits it', width: 44 },
] as const;

/** a plain-text table, each cell wrapped to its column */
export function formatTable(rows: readonly Row[]): string {
  const lines: string[] = [];
  const rule = COLUMNS.map((c) => '-'.repeat(c.width)).join('-+-');
  lines.push(COLUMNS.map((c) => c.title.padEnd(c.width)).join(' | '), rule);
  for (const row of rows) {
    const cells = COLUMNS.map((c) => wrap(row[c.key], c.width));
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) lines.push(COLUMNS.map((c, k) => (cells[k]![i] ?? '').padEnd(c.width)).join(' | ').trimEnd());
    lines.push(rule);
  }
  return lines.join('\n');
}

/** the same rows as a Markdown table (docs/performance.md keeps the latest one) */
export function markdownTable(rows: readonly Row[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.map((c) => c.title).join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${COLUMNS.map((c) => esc(r[c.key])).join(' | ')} |`),
  ].join('\n');
}
