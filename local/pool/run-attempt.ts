// Runs one attempt of a task as a child process in its own process group, with stdout and
// stderr written straight to files (the parent never buffers them), and kills the whole group
// when the time left runs out: trainers may start workers of their own.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';

export interface AttemptRequest {
  command: readonly string[];
  cwd: string;
  env: Record<string, string>;
  stdoutPath: string;
  stderrPath: string;
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL, so a trainer can flush its logs. */
  killGraceMs: number;
}

export type AttemptResult =
  | { kind: 'exited'; exitCode: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timedOut' }
  | { kind: 'notStarted'; reason: string };

export interface RunningAttempt {
  done: Promise<AttemptResult>;
  /** Stops the attempt (SIGTERM, then SIGKILL after the grace period). */
  kill(): void;
}

export async function startAttempt(request: AttemptRequest): Promise<RunningAttempt> {
  const stdout = await open(request.stdoutPath, 'w');
  const stderr = await open(request.stderrPath, 'w');
  const [program, ...args] = request.command;
  const child = spawn(program ?? '', args, {
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: ['ignore', stdout.fd, stderr.fd],
  });
  let timedOut = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const kill = (): void => {
    signalGroup('SIGTERM');
    graceTimer ??= setTimeout(() => signalGroup('SIGKILL'), request.killGraceMs);
  };
  const deadline = setTimeout(() => {
    timedOut = true;
    kill();
  }, request.timeoutMs);

  const done = new Promise<AttemptResult>((resolve) => {
    child.once('error', (error) => resolve({ kind: 'notStarted', reason: error.message }));
    child.once('exit', (exitCode, signal) =>
      resolve(timedOut ? { kind: 'timedOut' } : { kind: 'exited', exitCode, signal }),
    );
  }).finally(async () => {
    clearTimeout(deadline);
    if (graceTimer) clearTimeout(graceTimer);
    await Promise.all([stdout.close(), stderr.close()]);
  });
  return { done, kill };
}
