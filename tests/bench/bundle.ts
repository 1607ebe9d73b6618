/**
 * Figure 8: the renderer a customer's first screen needs, gzipped: the entry script, what it
 * imports statically (modulepreload) and the stylesheet, as index.html names them; the chunks
 * loaded later (service mode, QR sign-in) are listed apart. Against the floor of the library
 * choice: a bare React 19 app (react + react-dom rendering one heading) built the same way.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { repoRoot } from '../support/artifacts.js';
import { ensureRendererBuilt } from './build.js';
import { ratioText, type Bench, type BenchContext, type Row } from './report.js';

const gzKiB = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

/** the files index.html loads before anything renders */
function firstLoad(distDir: string): string[] {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return [...new Set(refs)].map((r) => path.join(distDir, r));
}

async function bareReactKiB(): Promise<number> {
  const root = path.join(repoRoot, 'bench', 'tmp-react-floor');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  try {
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="./main.jsx"></script></body></html>');
    writeFileSync(path.join(root, 'main.jsx'), "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(<h1>Welcome</h1>);\n");
    await build({ root, configFile: false, logLevel: 'silent', plugins: [react()], build: { outDir: path.join(root, 'dist'), target: 'chrome120', emptyOutDir: true } });
    return firstLoad(path.join(root, 'dist')).filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzKiB(f), 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const bundleBench: Bench = {
  name: 'bundle',
  async run(ctx: BenchContext): Promise<Row[]> {
    const built = ensureRendererBuilt();
    if (built > 0) ctx.progress(`renderer rebuilt in ${(built / 1000).toFixed(1)} s`);
    const dist = path.join(repoRoot, 'renderer', 'dist');
    const first = firstLoad(dist);
    const js = first.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzKiB(f), 0);
    const css = first.filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gzKiB(f), 0);
    const firstNames = new Set(first.map((f) => path.basename(f)));
    const later = readdirSync(path.join(dist, 'assets'))
      .filter((f) => f.endsWith('.js') && !firstNames.has(f))
      .map((f) => `${f.replace(/-[\w-]{8}\.js$/, '')} ${gzKiB(path.join(dist, 'assets', f)).toFixed(1)}`);
    const floor = await bareReactKiB();
    ctx.progress(`first load ${js.toFixed(1)} KiB js + ${css.toFixed(1)} KiB css; later: ${later.join(', ')}; bare React ${floor.toFixed(1)} KiB`);
    return [{
      figure: '8 renderer bundle, gzipped (customer\'s first load)',
      ours: `${js.toFixed(1)} KiB script (+ ${css.toFixed(1)} KiB stylesheet); loaded later: ${later.join(', ')} KiB`,
      baseline: `${floor.toFixed(1)} KiB (bare React 19 app, same build)`,
      ratio: ratioText(js / 150, '< 150 KiB, i.e. 1.00 of 150 KiB'),
      limit: 'react-dom (the largest part), zod for checking every bridge frame, the three language catalogues with their message-format parser',
      data: { firstLoad: first.map((f) => path.relative(repoRoot, f)), scriptGzKiB: js, cssGzKiB: css, later, bareReactGzKiB: floor },
    }];
  },
};
