// Boots the local host as its own process for an app folder, the way `npm run host` does, on a
// free port, and keeps its output so tests can wait for what the app logged.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadSettings } from '../../local/host/settings.js';

const sourceCli = fileURLToPath(new URL('../../local/host-cli.ts', import.meta.url));
/** The host as `npm start` runs it: bundled by `npm run build` (build/bundle.ts). */
export const bundledCli = fileURLToPath(new URL('../../dist/bundle/host-cli.js', import.meta.url));

export interface HostProcess {
  readonly url: string;
  /** The keys the host checks: from the environment given, else local.settings.json (generated on first start). */
  readonly keys: { readonly function: string; readonly master: string; readonly system: string };
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first output line matching, or rejects at the deadline. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  count(pattern: RegExp): number;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function bootHost(
  appDir: string,
  env: NodeJS.ProcessEnv = {},
  cli = sourceCli,
): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(cli === sourceCli ? ['--import', 'tsx'] : []),
      cli,
      '--app',
      appDir,
      '--port',
      '0',
      '--no-emulators',
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (process.env.HOST_TEST_ECHO) console.log(line);
      for (const waiter of waiters) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    });
  }
  const exited = once(child, 'exit');
  const waitForLine = (pattern: RegExp, timeoutMs = 30_000) => {
    const existing = lines.find((line) => pattern.test(line));
    if (existing) return Promise.resolve(existing);
    return new Promise<string>((resolve, reject) => {
      const waiter = { pattern, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `No line matching ${pattern} within ${timeoutMs} ms. Output:\n${lines.slice(-40).join('\n')}`,
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
    });
  };
  const ready = await Promise.race([
    waitForLine(/Host listening on /, 60_000),
    exited.then(() => Promise.reject(new Error(`Host exited before it was ready:\n${lines.join('\n')}`))),
  ]);
  const url = /Host listening on (\S+)/.exec(ready)![1]!;
  const { settings } = await loadSettings(appDir, { ...process.env, ...env });
  const keys = {
    function: settings.require('FUNCTIONS_FUNCTION_KEY', 'tests'),
    master: settings.require('FUNCTIONS_MASTER_KEY', 'tests'),
    system: settings.require('FUNCTIONS_SYSTEM_KEY', 'tests'),
  };
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return {
    url,
    keys,
    process: child,
    lines,
    waitForLine,
    count: (pattern) => lines.filter((line) => pattern.test(line)).length,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

/** Polls until `check` returns a value other than undefined, or fails at the deadline. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Moves the clock of a host booted with LOCAL_HOST_CLOCK=manual `ms` ahead: durable timers,
 * approval timeouts and timer triggers due by then fire at once. Answers the host's new time.
 */
export async function advanceHostClock(host: HostProcess, masterKey: string, ms: number): Promise<string> {
  const response = await fetch(`${host.url}/admin/clock`, {
    method: 'POST',
    headers: { 'x-functions-key': masterKey, 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: ms }),
  });
  if (response.status !== 200) throw new Error(`The host clock did not move: ${await response.text()}`);
  return ((await response.json()) as { now: string }).now;
}
