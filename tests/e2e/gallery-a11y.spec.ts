/**
 * Accessibility and touch rules on every screen: axe-core finds no serious or critical
 * violation, every button has an accessible name and is at least 64 px in both directions.
 */
import { createRequire } from 'node:module';
import { expect, test } from '@playwright/test';
import { fixtureNames } from '../../renderer/src/fixtures/snapshots.js';
import { LANDSCAPE } from './support/chromium.js';
import { galleryLocales, openFixture } from './support/gallery.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

interface ButtonBox {
  name: string;
  width: number;
  height: number;
}

// Evaluated in the page; string form because the Node-side type check has no DOM.
const RUN_AXE = `axe.run(document).then((r) => ({ passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })) }))`;
const BUTTON_BOXES = `[...document.querySelectorAll('button')].filter((b) => b.offsetParent !== null).map((b) => { const r = b.getBoundingClientRect(); return { name: (b.getAttribute('aria-label') || b.textContent || '').trim(), width: r.width, height: r.height }; })`;

for (const locale of galleryLocales) {
  test(`axe finds no serious or critical violations, ${locale}`, async ({ page }) => {
    const found: string[] = [];
    for (const name of fixtureNames) {
      await openFixture(page, name, locale);
      await page.addScriptTag({ path: axePath });
      const { passes, violations } = (await page.evaluate(RUN_AXE)) as { passes: number; violations: AxeViolation[] };
      // axe really looked: a page it checked has passing rules too.
      expect(passes, `axe ran on ${name}`).toBeGreaterThan(5);
      for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        found.push(`${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    expect(found).toEqual([]);
  });
}

test('every button is named and at least 64 px, portrait and landscape', async ({ page }) => {
  const small: string[] = [];
  let seen = 0;
  for (const landscape of [false, true]) {
    if (landscape) await page.setViewportSize(LANDSCAPE);
    for (const name of fixtureNames) {
      await openFixture(page, name, 'ru');
      const boxes = (await page.evaluate(BUTTON_BOXES)) as ButtonBox[];
      seen += boxes.length;
      for (const b of boxes) {
        if (b.name === '') small.push(`${name}: unnamed button`);
        if (b.width < 64 || b.height < 64) small.push(`${name}${landscape ? ' (landscape)' : ''}: "${b.name}" is ${Math.round(b.width)}x${Math.round(b.height)}`);
      }
    }
  }
  expect(seen).toBeGreaterThan(fixtureNames.length * 2);
  expect(small).toEqual([]);
});
