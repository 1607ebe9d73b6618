/**
 * docs/session-chart.md shows the machines as they are: its diagrams are what
 * scripts/session-chart.ts draws from the parent and every flow machine it invokes, so a changed
 * state or transition fails here until `npm run chart` is run and the result committed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHART_PATH, diagram, renderChart, sessionMachines } from '../../../scripts/session-chart.js';

describe('the session chart', () => {
  it('the committed docs/session-chart.md is what the machines say', () => {
    const doc = readFileSync(CHART_PATH, 'utf8');
    expect(renderChart(doc) === doc, 'docs/session-chart.md is not current: run npm run chart').toBe(true);
  });

  it('draws the parent and every flow machine it runs', () => {
    expect(Object.keys(sessionMachines()).sort()).toEqual(['accountPaymentFlow', 'cashInFlow', 'identificationFlow', 'parent', 'pinChangeFlow', 'serviceMode', 'withdrawalFlow']);
  });

  it('a diagram names the states and the transitions between them', () => {
    const chart = diagram(sessionMachines().cashInFlow ?? (() => { throw new Error('no cash-in machine'); })());
    expect(chart).toContain('stacking --> recordingStacked: device.noteStacked [stackedNoteIsPending]');
    expect(chart).toContain('[*] --> prechecking');
  });

  it('a doc that lacks a block for a machine is refused, not silently left out', () => {
    expect(() => renderChart('# no blocks')).toThrow(/no block for parent/);
  });
});
