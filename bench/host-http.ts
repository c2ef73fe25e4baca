// Requests per second through the local host to a trivial app.http function, against the same
// handler on a bare node:http server, each in its own process, loaded the same way.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { throughputRatio, round, type Benchmark } from './result.js';

const appDir = fileURLToPath(new URL('../../bench/apps/hello/', import.meta.url));
const hostCli = fileURLToPath(new URL('../local/host/cli.js', import.meta.url));

async function serve(args: string[]): Promise<{ url: string; stop(): Promise<void> }> {
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
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function requestsPerSecond(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url: `${url}/api/hello/world`, connections: 32, pipelining: 1, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors at ${url}`);
  return result.requests.average;
}

const run: Benchmark = async (progress) => {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const measure = async (name: string, args: string[]) => {
    const server = await serve(args);
    try {
      await requestsPerSecond(server.url, 2);
      const rps = await requestsPerSecond(server.url, seconds);
      progress(`${name}: ${round(rps, 0)} requests/s`);
      return rps;
    } finally {
      await server.stop();
    }
  };
  const baseline = await measure('bare node:http', [fileURLToPath(new URL('bare-server.js', `file://${appDir}`))]);
  const host = await measure('local host', [hostCli, '--app', appDir, '--port', '0', '--no-emulators']);
  return { name: 'host-http', value: round(host, 0), unit: 'requests/s', baseline: round(baseline, 0), ratio: throughputRatio(host, baseline) };
};

export default run;
