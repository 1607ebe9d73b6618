/**
 * Just enough TrueType to rasterise a monospaced font's outlines: cmap format 4 (the BMP), head,
 * hhea, hmtx, loca and glyf with simple and composite glyphs (offsets and a uniform scale; the
 * DejaVu Cyrillic letters with marks are composites). Build-time only: the kiosk never reads a font file.
 */
import { readFileSync } from 'node:fs';

export interface Point { x: number; y: number; on: boolean }
export type Contour = Point[];

export class TrueTypeFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly #v: DataView;
  readonly #tables = new Map<string, number>();
  readonly #cmap = new Map<number, number>();
  readonly #longLoca: boolean;
  readonly #advances: number[] = [];

  constructor(path: string) {
    const buf = readFileSync(path);
    this.#v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const v = this.#v;
    const numTables = v.getUint16(4);
    for (let i = 0; i < numTables; i++) {
      const rec = 12 + i * 16;
      const tag = String.fromCharCode(v.getUint8(rec), v.getUint8(rec + 1), v.getUint8(rec + 2), v.getUint8(rec + 3));
      this.#tables.set(tag, v.getUint32(rec + 8));
    }
    const head = this.#table('head');
    this.unitsPerEm = v.getUint16(head + 18);
    this.#longLoca = v.getInt16(head + 50) === 1;
    const hhea = this.#table('hhea');
    this.ascent = v.getInt16(hhea + 4);
    this.descent = -v.getInt16(hhea + 6);
    const longMetrics = v.getUint16(hhea + 34);
    const hmtx = this.#table('hmtx');
    for (let i = 0; i < longMetrics; i++) this.#advances.push(v.getUint16(hmtx + i * 4));
    this.#readCmap();
  }

  #table(tag: string): number {
    const at = this.#tables.get(tag);
    if (at === undefined) throw new Error(`font has no ${tag} table`);
    return at;
  }

  #readCmap(): void {
    const v = this.#v;
    const cmap = this.#table('cmap');
    const n = v.getUint16(cmap + 2);
    for (let i = 0; i < n; i++) {
      const platform = v.getUint16(cmap + 4 + i * 8);
      const encoding = v.getUint16(cmap + 6 + i * 8);
      const sub = cmap + v.getUint32(cmap + 8 + i * 8);
      if (v.getUint16(sub) !== 4 || !((platform === 3 && encoding === 1) || platform === 0)) continue;
      const segX2 = v.getUint16(sub + 6);
      const ends = sub + 14;
      const starts = ends + segX2 + 2;
      const deltas = starts + segX2;
      const ranges = deltas + segX2;
      for (let s = 0; s < segX2 / 2; s++) {
        const end = v.getUint16(ends + s * 2);
        const start = v.getUint16(starts + s * 2);
        const delta = v.getInt16(deltas + s * 2);
        const rangeAt = ranges + s * 2;
        const range = v.getUint16(rangeAt);
        for (let c = start; c <= end && c !== 0xffff; c++) {
          let g: number;
          if (range === 0) g = (c + delta) & 0xffff;
          else {
            g = v.getUint16(rangeAt + range + (c - start) * 2);
            if (g !== 0) g = (g + delta) & 0xffff;
          }
          if (g !== 0 && !this.#cmap.has(c)) this.#cmap.set(c, g);
        }
      }
      return;
    }
    throw new Error('font has no Unicode cmap format 4');
  }

  glyphIndex(ch: string): number | undefined {
    return this.#cmap.get(ch.codePointAt(0)!);
  }

  advance(glyph: number): number {
    return this.#advances[Math.min(glyph, this.#advances.length - 1)] ?? 0;
  }

  /** the glyph's contours in font units (y up); composites flattened */
  contours(glyph: number, depth = 0): Contour[] {
    if (depth > 8) throw new Error('composite glyph nests too deep');
    const v = this.#v;
    const loca = this.#table('loca');
    const glyf = this.#table('glyf');
    const off = (i: number): number => (this.#longLoca ? v.getUint32(loca + i * 4) : v.getUint16(loca + i * 2) * 2);
    const start = off(glyph);
    if (off(glyph + 1) === start) return []; // blank (space)
    const g = glyf + start;
    const nContours = v.getInt16(g);
    if (nContours >= 0) return this.#simple(g, nContours);
    return this.#composite(g, depth);
  }

  #simple(g: number, nContours: number): Contour[] {
    const v = this.#v;
    const endPts: number[] = [];
    for (let i = 0; i < nContours; i++) endPts.push(v.getUint16(g + 10 + i * 2));
    const nPoints = (endPts.at(-1) ?? -1) + 1;
    let p = g + 10 + nContours * 2;
    p += 2 + v.getUint16(p); // instructions
    const flags: number[] = [];
    while (flags.length < nPoints) {
      const f = v.getUint8(p++);
      flags.push(f);
      if (f & 8) {
        const repeat = v.getUint8(p++);
        for (let r = 0; r < repeat; r++) flags.push(f);
      }
    }
    const coord = (shortBit: number, sameBit: number): number[] => {
      const out: number[] = [];
      let value = 0;
      for (const f of flags) {
        if (f & shortBit) {
          const d = v.getUint8(p++);
          value += f & sameBit ? d : -d;
        } else if (!(f & sameBit)) {
          value += v.getInt16(p);
          p += 2;
        }
        out.push(value);
      }
      return out;
    };
    const xs = coord(2, 16);
    const ys = coord(4, 32);
    const contours: Contour[] = [];
    let first = 0;
    for (const end of endPts) {
      const c: Contour = [];
      for (let i = first; i <= end; i++) c.push({ x: xs[i]!, y: ys[i]!, on: (flags[i]! & 1) === 1 });
      contours.push(c);
      first = end + 1;
    }
    return contours;
  }

  #composite(g: number, depth: number): Contour[] {
    const v = this.#v;
    let p = g + 10;
    const out: Contour[] = [];
    for (;;) {
      const flags = v.getUint16(p);
      const child = v.getUint16(p + 2);
      p += 4;
      let dx: number;
      let dy: number;
      if (flags & 1) {
        dx = v.getInt16(p);
        dy = v.getInt16(p + 2);
        p += 4;
      } else {
        dx = v.getInt8(p);
        dy = v.getInt8(p + 1);
        p += 2;
      }
      if (!(flags & 2)) throw new Error('composite glyph positioned by points is not supported');
      let a = 1, b = 0, c = 0, d = 1;
      if (flags & 8) {
        a = d = v.getInt16(p) / 16384;
        p += 2;
      } else if (flags & 0x40) {
        a = v.getInt16(p) / 16384;
        d = v.getInt16(p + 2) / 16384;
        p += 4;
      } else if (flags & 0x80) {
        a = v.getInt16(p) / 16384;
        b = v.getInt16(p + 2) / 16384;
        c = v.getInt16(p + 4) / 16384;
        d = v.getInt16(p + 6) / 16384;
        p += 8;
      }
      for (const contour of this.contours(child, depth + 1)) {
        out.push(contour.map((pt) => ({ x: a * pt.x + c * pt.y + dx, y: b * pt.x + d * pt.y + dy, on: pt.on })));
      }
      if (!(flags & 0x20)) return out;
    }
  }
}

/** a contour as a closed polyline: quadratic segments (with implied on-curve midpoints) flattened */
export function flatten(contour: Contour, steps = 8): { x: number; y: number }[] {
  const n = contour.length;
  if (n === 0) return [];
  // start on an on-curve point (or the midpoint of two off-curve ones)
  let startIdx = contour.findIndex((p) => p.on);
  const pts: Point[] = [];
  if (startIdx < 0) {
    const a = contour[0]!, b = contour[1 % n]!;
    pts.push({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, on: true });
    startIdx = 1 % n;
    for (let i = 0; i < n; i++) pts.push(contour[(startIdx + i) % n]!);
  } else {
    for (let i = 0; i <= n; i++) pts.push(contour[(startIdx + i) % n]!);
  }
  const out: { x: number; y: number }[] = [{ x: pts[0]!.x, y: pts[0]!.y }];
  let cur = pts[0]!;
  for (let i = 1; i < pts.length; i++) {
    const p = pts[i]!;
    if (p.on) {
      out.push({ x: p.x, y: p.y });
      cur = p;
      continue;
    }
    const next = pts[i + 1] ?? pts[0]!;
    const end = next.on ? next : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2, on: true };
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      const u = 1 - t;
      out.push({ x: u * u * cur.x + 2 * u * t * p.x + t * t * end.x, y: u * u * cur.y + 2 * u * t * p.y + t * t * end.y });
    }
    cur = end;
    if (next.on) i++;
  }
  return out;
}

/**
 * Coverage of each cell pixel (0..1) by the outlines, non-zero winding, sampled `ss` x `ss` times
 * per pixel. `toPx` maps font units to pixel coordinates (y down).
 */
export function coverage(
  contours: Contour[], width: number, height: number, toPx: (x: number, y: number) => { x: number; y: number }, ss = 8,
): Float64Array {
  const edges: { x0: number; y0: number; x1: number; y1: number; dir: number }[] = [];
  for (const c of contours) {
    const poly = flatten(c).map((p) => toPx(p.x, p.y));
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!, b = poly[(i + 1) % poly.length]!;
      if (a.y === b.y) continue;
      edges.push(a.y < b.y ? { x0: a.x, y0: a.y, x1: b.x, y1: b.y, dir: 1 } : { x0: b.x, y0: b.y, x1: a.x, y1: a.y, dir: -1 });
    }
  }
  const cov = new Float64Array(width * height);
  for (let sy = 0; sy < height * ss; sy++) {
    const y = (sy + 0.5) / ss;
    const xs: { x: number; dir: number }[] = [];
    for (const e of edges) {
      if (y < e.y0 || y >= e.y1) continue;
      xs.push({ x: e.x0 + ((y - e.y0) / (e.y1 - e.y0)) * (e.x1 - e.x0), dir: e.dir });
    }
    xs.sort((a, b) => a.x - b.x);
    let wind = 0;
    for (let k = 0; k + 1 < xs.length; k++) {
      wind += xs[k]!.dir;
      if (wind === 0) continue;
      const x0 = xs[k]!.x, x1 = xs[k + 1]!.x;
      for (let sx = Math.max(0, Math.ceil(x0 * ss - 0.5)); sx < width * ss; sx++) {
        const x = (sx + 0.5) / ss;
        if (x >= x1) break;
        cov[Math.floor(sy / ss) * width + Math.floor(sx / ss)]! += 1 / (ss * ss);
      }
    }
  }
  return cov;
}
