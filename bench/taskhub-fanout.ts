// Activities per second through the local task hub: an orchestration fanning out 1,000
// activities and fanning in their results (see taskhub-chain.ts for the setup). Baseline:
// the same 1,000 calls as plain async functions awaited together in one process.
//
// What bounds it: activities run maxConcurrentActivityFunctions (host.json; 4 in the fixture)
// at a time, each through the app's programming model; their results stay in memory and
// many reach one episode, whose replay of the growing history (up to ~3,000 events) is the
// main CPU cost; the first episode stores 1,000 scheduled tasks (a blob-backed history row).
import type { Benchmark } from './result.js';
import { measureTaskHub } from './taskhub-chain.js';

const fanout: Benchmark = (progress) =>
  measureTaskHub(progress, {
    name: 'taskhub-fanout',
    orchestrator: 'fanIn',
    n: 1_000,
    runs: 5,
    baseline: async (square, n) =>
      (await Promise.all(Array.from({ length: n }, (_, i) => square(i)))).reduce((a, b) => a + b, 0),
  });

export default fanout;
