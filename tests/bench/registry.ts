/** Every benchmark `npm run bench` runs. Add one line per benchmark module. */
import { enqueueBench, drainBench } from './outbox.js';
import { ccnetPollBench } from './ccnet-poll.js';

export interface Bench {
  name: string;
  /** returns the lines to print: figures and the ratio our path / baseline */
  run(): Promise<string[]>;
}

export const benches: Bench[] = [
  ccnetPollBench,
  enqueueBench,
  drainBench,
];
