// Requests per second through the local host to a trivial app.http function, against the same
// handler on a bare node:http server, each in its own process, loaded the same way. The value is
// requests per CPU-second of the server process (wall-clock throughput is printed too): on a
// shared 2-core machine the load generator and other work steal the cores, and CPU time per
// request is what stays comparable between the two servers.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './process-cpu.js';
import { throughputRatio, round, type Benchmark } from './result.js';

const appDir = fileURLToPath(new URL('../../bench/apps/hello/', import.meta.url));
const hostCli = fileURLToPath(new URL('../local/host-cli.js', import.meta.url));

async function serve(args: string[]): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /Host listening on (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function load(url: string, amount: number): Promise<{ requests: number; seconds: number }> {
  const result = await autocannon({ url: `${url}/api/hello/world`, connections: 32, pipelining: 1, amount });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors at ${url}`);
  return { requests: result.requests.total, seconds: result.duration };
}

const run: Benchmark = async (progress) => {
  const amount = Number(process.env.BENCH_REQUESTS ?? 30_000);
  const measure = async (name: string, args: string[]) => {
    const server = await serve(args);
    try {
      await load(server.url, 2_000);
      const cpuBefore = await cpuSeconds(server.pid);
      const { requests, seconds } = await load(server.url, amount);
      const cpu = (await cpuSeconds(server.pid)) - cpuBefore;
      const perCpuSecond = requests / cpu;
      progress(
        `${name}: ${requests} requests, ${round(requests / seconds, 0)} requests/s wall, ${round(cpu, 2)} CPU-s, ${round(perCpuSecond, 0)} requests per CPU-second`,
      );
      return perCpuSecond;
    } finally {
      await server.stop();
    }
  };
  const baseline = await measure('bare node:http', [
    fileURLToPath(new URL('bare-server.js', `file://${appDir}`)),
  ]);
  const host = await measure('local host', [hostCli, '--app', appDir, '--port', '0', '--no-emulators']);
  return {
    name: 'host-http',
    value: round(host, 0),
    unit: 'requests per CPU-second',
    baseline: round(baseline, 0),
    ratio: throughputRatio(host, baseline),
  };
};

export default run;
