// Runs an emulator as a child process and waits for the line that says it is ready, so the
// caller learns the real ports (emulators started on port 0 print the ports they bound).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PlatformError } from '../../shared/errors.js';

/**
 * Node arguments that run one of the project's own modules, given without extension relative
 * to `callerUrl`: through tsx when the caller runs from TypeScript sources (tests), as built
 * JS otherwise (`npm start`).
 */
export function projectModuleArgs(callerUrl: string, modulePath: string): string[] {
  const fromSource = callerUrl.endsWith('.ts');
  const file = fileURLToPath(new URL(`${modulePath}${fromSource ? '.ts' : '.js'}`, callerUrl));
  return fromSource ? ['--import', 'tsx', file] : [file];
}

export interface ChildService {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves when the child has exited (for any reason). */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface ChildServiceOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called for every output line; returns true once the service is ready. */
  isReady: (line: string) => boolean;
  timeoutMs?: number;
  /** Where the child's output goes after it is ready; silent by default. */
  onLine?: (line: string) => void;
}

export async function startChildService(options: ChildServiceOptions): Promise<ChildService> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const recent: string[] = [];
  let ready = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`did not become ready within ${options.timeoutMs ?? 60_000} ms`),
      options.timeoutMs ?? 60_000,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new PlatformError(
          'DEPENDENCY_UNAVAILABLE',
          `${options.name} ${why}. Last output: ${recent.join(' | ') || '(none)'}`,
          {
            service: options.name,
          },
        ),
      );
    };
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (ready) return options.onLine?.(line);
        recent.push(line);
        if (recent.length > 10) recent.shift();
        if (options.isReady(line)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      });
    }
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    void exited.then((code) => {
      if (!ready) fail(`exited with code ${code} before it was ready`);
    });
  });
  return {
    name: options.name,
    process: child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
