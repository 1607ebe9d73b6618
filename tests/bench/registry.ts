/** Every benchmark `npm run bench` runs, in order. Add one line per benchmark module. */
import type { Bench } from './report.js';
import { enqueueBench, drainBench } from './outbox.js';
import { ccnetBench } from './ccnet.js';
import { terminalBench } from './terminal.js';
import { bundleBench } from './bundle.js';

export const benches: Bench[] = [
  terminalBench,
  ccnetBench,
  enqueueBench,
  drainBench,
  bundleBench,
];
