// Activities per second through the local task hub: an orchestration calling 100 activities
// one after another, started and watched through the Durable HTTP API of a host running the
// fixture app on Azurite. Baseline: the same activity calls as plain awaits in one process.
//
// What bounds it: not storage round trips, since episodes that only consume this process's
// activity results are committed in groups in the background (one Azurite transaction,
// ~10 ms, per group rather than per step). What remains is CPU: every episode hands the
// library the whole history and it replays it (JSON in and out, dates revived, the generator
// re-run), so a chain of n steps costs O(n^2) replay, as it does in Azure; plus two commits
// on the critical path (the start and the final status) and, on this shared 2-core machine,
// whatever else runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzurite } from '../local/emulators/azurite.js';
import { startHost, type RunningHost } from '../local/host/host.js';
import { createLogger } from '../local/host/logger.js';
import { createTaskHubExtension } from '../local/taskhub/extension.js';
import { round, type Benchmark, type BenchResult } from './result.js';

// Compiled benchmarks run from dist/bench; `tsx bench/...` runs them from source.
const repoRoot = import.meta.url.includes('/dist/bench/') ? '../../' : '../';
const appDir = fileURLToPath(new URL(`${repoRoot}tests/fixtures/durable-app/`, import.meta.url));
/** The fixture app's system key (tests/fixtures/durable-app/local.settings.sample.json). */
const systemKey = 'durable-system-key';

export interface TaskHubWorkload {
  name: string;
  /** The fixture orchestrator and its input: `n` square activities. */
  orchestrator: 'sequence' | 'fanIn';
  n: number;
  runs: number;
  /** The same n activity calls as plain async code. */
  baseline(square: (i: number) => Promise<number>, n: number): Promise<number>;
}

/** Shared by the taskhub benchmarks: median activities/s over `runs` orchestrations. */
export async function measureTaskHub(
  progress: (message: string) => void,
  workload: TaskHubWorkload,
): Promise<BenchResult> {
  const workspace = await mkdtemp(join(tmpdir(), 'bench-taskhub-'));
  const azurite = await startAzurite({ location: workspace });
  process.env.AzureWebJobsStorage = azurite.connectionString;
  let host: RunningHost | undefined;
  try {
    host = await startHost({
      appDir,
      port: 0,
      extensions: [createTaskHubExtension()],
      log: createLogger({ level: 'warn' }),
    });
    const url = host.url;
    const run = async (id: string, n: number): Promise<number> => {
      const began = performance.now();
      const started = await fetch(
        `${url}/runtime/webhooks/durabletask/orchestrators/${workload.orchestrator}/${id}?code=${systemKey}`,
        {
          method: 'POST',
          body: JSON.stringify(n),
        },
      );
      if (started.status !== 202) throw new Error(`start failed: ${started.status} ${await started.text()}`);
      for (;;) {
        const response = await fetch(`${url}/runtime/webhooks/durabletask/instances/${id}?code=${systemKey}`);
        const status = (await response.json()) as { runtimeStatus: string; output: unknown };
        if (status.runtimeStatus === 'Completed') {
          const expected = (n * (n - 1) * (2 * n - 1)) / 6;
          if (status.output !== expected)
            throw new Error(`wrong output ${JSON.stringify(status.output)}, expected ${expected}`);
          return (performance.now() - began) / 1000;
        }
        if (status.runtimeStatus !== 'Running' && status.runtimeStatus !== 'Pending')
          throw new Error(`instance ${id} is ${status.runtimeStatus}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    // The library's replay and the storage client are JIT-compiled over the first runs.
    for (let w = 0; w < 3; w++) await run(`warm-up-${w}`, workload.n);
    const rates: number[] = [];
    for (let r = 0; r < workload.runs; r++) {
      const seconds = await run(`${workload.name}-${r}`, workload.n);
      rates.push(workload.n / seconds);
      progress(
        `run ${r + 1}: ${workload.n} activities in ${round(seconds, 3)} s = ${round(workload.n / seconds, 1)} work items/s`,
      );
    }
    const value = rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;

    const square = async (i: number) => i * i;
    const repetitions = 2_000;
    const began = performance.now();
    for (let r = 0; r < repetitions; r++) await workload.baseline(square, workload.n);
    const baseline = (repetitions * workload.n) / ((performance.now() - began) / 1000);
    progress(`baseline: the same calls as plain async functions, ${round(baseline, 0)} calls/s`);
    // Three significant digits: rounded to three decimals like other ratios, this one reads 0.
    const ratio = Number((value / baseline).toPrecision(3));
    return {
      name: workload.name,
      value: round(value, 1),
      unit: 'work items/s',
      baseline: round(baseline, 0),
      ratio,
    };
  } finally {
    await host?.stop();
    await azurite.stop();
    await rm(workspace, { recursive: true, force: true });
  }
}

const chain: Benchmark = (progress) =>
  measureTaskHub(progress, {
    name: 'taskhub-chain',
    orchestrator: 'sequence',
    n: 100,
    runs: 5,
    baseline: async (square, n) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += await square(i);
      return sum;
    },
  });

export default chain;
