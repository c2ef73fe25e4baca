// Cold start of HTTP scoring: from starting the host process to the first prediction of a
// 500-tree model fetched from Azurite (the host starts, the request resolves the alias in the
// registry, downloads and verifies the artifact, opens the session and scores). The baseline is
// a bare node process doing only the download, checksum, session and one prediction. Median of 3.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { artifactPath } from '../shared/artifacts/artifact-paths.js';
import { sha256Hex } from '../shared/artifacts/checksum.js';
import { round, timeRatio, type Benchmark } from './result.js';
import { benchModel, hostCli, serve, startModelStack } from './serving/model-stack.js';

const runs = 3;
const bareCold = fileURLToPath(new URL('serving/bare-cold.js', import.meta.url));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const run: Benchmark = async (progress) => {
  const stack = await startModelStack(progress);
  const ours: number[] = [];
  const bare: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const child = spawn(
        process.execPath,
        [bareCold, stack.azurite.connectionString, artifactPath(benchModel, 1), sha256Hex(stack.bytes)],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      const [code] = (await once(child, 'exit')) as [number];
      if (code !== 0) throw new Error(`the bare cold start exited with ${code}`);
      bare.push(performance.now() - started);

      const begun = performance.now();
      const host = await serve(
        [hostCli, '--app', stack.appDir, '--port', '0', '--no-emulators'],
        stack.settings,
      );
      try {
        const response = await fetch(`${host.url}/api/models/${benchModel}/score`, {
          method: 'POST',
          headers: {
            'x-functions-key': stack.settings.FUNCTIONS_FUNCTION_KEY!,
            'content-type': 'application/json',
          },
          body: stack.body(1),
        });
        if (response.status !== 200)
          throw new Error(`first request answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
        ours.push(performance.now() - begun);
        progress(
          `run ${i + 1}: host ready in ${round(host.readyMs, 0)} ms, first prediction at ${round(ours.at(-1)!, 0)} ms; bare ${round(bare.at(-1)!, 0)} ms`,
        );
      } finally {
        await host.stop();
      }
    }
  } finally {
    await stack.stop();
  }
  return {
    name: 'score-cold',
    value: round(median(ours), 0),
    unit: 'ms from host process start to the first prediction (500-tree model from Azurite)',
    baseline: round(median(bare), 0),
    ratio: timeRatio(median(ours), median(bare)),
  };
};

export default run;
