// Warm HTTP scoring through the host: requests/s and p50/p99 latency at concurrency 16 for
// 1 and 100 rows per request, against a bare node:http server that parses the same JSON and
// runs the same 500-tree model in the same onnxruntime session, in the same run: both servers
// run side by side and take turns in short rounds, and each reports its median round. The
// result line is the 1-row case (where per-request overhead dominates); the 100-row case is
// printed, and so is each server's CPU time per request, which other work on a shared machine
// disturbs far less than requests/s.
import autocannon from 'autocannon';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './process-cpu.js';
import { round, throughputRatio, type Benchmark } from './result.js';
import { benchModel, hostCli, serve, startModelStack, type Server } from './serving/model-stack.js';

const connections = 16;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const roundCount = 5;
const bareServer = fileURLToPath(new URL('serving/bare-score-server.js', import.meta.url));

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
}

async function load(
  url: string,
  body: string,
  headers: Record<string, string>,
  duration: number,
  pid = 0,
): Promise<Measured> {
  const cpuBefore = pid ? await cpuSeconds(pid) : 0;
  const result = await autocannon({
    url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    connections,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors at ${url}`);
  const cpu = pid ? (await cpuSeconds(pid)) - cpuBefore : Number.NaN;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest: (cpu * 1000) / result.requests.total,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const run: Benchmark = async (progress) => {
  const stack = await startModelStack(progress);
  const modelFile = join(tmpdir(), `bench-score-warm-${process.pid}.onnx`);
  await writeFile(modelFile, stack.bytes);
  const results = new Map<string, Measured>();
  const servers = [
    {
      name: 'bare node:http',
      args: [bareServer, modelFile],
      path: '/',
      headers: {} as Record<string, string>,
    },
    {
      name: 'host',
      args: [hostCli, '--app', stack.appDir, '--port', '0', '--no-emulators'],
      path: `/api/models/${benchModel}/score`,
      headers: { 'x-functions-key': stack.settings.FUNCTIONS_FUNCTION_KEY! },
    },
  ];
  const running: Server[] = [];
  try {
    for (const server of servers) running.push(await serve(server.args, stack.settings));
    for (const rows of [1, 100]) {
      const rounds = new Map<string, Measured[]>();
      for (const [i, server] of servers.entries()) {
        const url = `${running[i]!.url}${server.path}`;
        // The first request loads the model (that is score-cold's measure); then a second of warm-up.
        const first = await fetch(url, {
          method: 'POST',
          body: stack.body(rows),
          headers: { 'content-type': 'application/json', ...server.headers },
        });
        if (first.status !== 200) throw new Error(`${url} answered ${first.status}: ${await first.text()}`);
        await load(url, stack.body(rows), server.headers, 1);
        rounds.set(server.name, []);
      }
      // Both servers stay up and take turns, so a change in the machine's load hits both alike.
      for (let round = 0; round < roundCount; round++) {
        for (const [i, server] of servers.entries()) {
          const url = `${running[i]!.url}${server.path}`;
          rounds
            .get(server.name)!
            .push(
              await load(
                url,
                stack.body(rows),
                server.headers,
                seconds / roundCount,
                running[i]!.process.pid,
              ),
            );
        }
      }
      for (const server of servers) {
        const measured = rounds.get(server.name)!;
        const middle = median(measured.map((m) => m.requestsPerSecond));
        const typical = {
          ...measured.find((m) => m.requestsPerSecond === middle)!,
          cpuMsPerRequest: median(measured.map((m) => m.cpuMsPerRequest)),
        };
        results.set(`${server.name}/${rows}`, typical);
        progress(
          `${server.name}, ${rows} row(s) per request: ${round(typical.requestsPerSecond, 0)} requests/s (median of ${roundCount} rounds), p50 ${typical.p50} ms, p99 ${typical.p99} ms, ${round(typical.cpuMsPerRequest)} CPU-ms per request`,
        );
      }
    }
  } finally {
    await Promise.all(running.map((server) => server.stop()));
    await stack.stop();
  }
  for (const rows of [1, 100]) {
    const ratio = throughputRatio(
      results.get(`host/${rows}`)!.requestsPerSecond,
      results.get(`bare node:http/${rows}`)!.requestsPerSecond,
    );
    const cpuRatio = throughputRatio(
      results.get(`bare node:http/${rows}`)!.cpuMsPerRequest,
      results.get(`host/${rows}`)!.cpuMsPerRequest,
    );
    progress(`ratio at ${rows} row(s) per request: ${ratio} (by CPU time per request: ${cpuRatio})`);
  }
  const host = results.get('host/1')!.requestsPerSecond;
  const bare = results.get('bare node:http/1')!.requestsPerSecond;
  return {
    name: 'score-warm',
    value: round(host, 0),
    unit: 'requests/s, 1 row per request, concurrency 16, 500-tree model',
    baseline: round(bare, 0),
    ratio: throughputRatio(host, bare),
  };
};

export default run;
