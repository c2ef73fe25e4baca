// The local stand-in for an Azure Batch pool: a fixed number of slots, each running one task
// attempt as a child process. A task is staged into its own folder, retried on a non-zero exit
// up to maxRetries, killed at maxWallClockMs (counted from its first start, as in Batch) and
// never retried after that, and its outputs are collected by upload condition.
import { mkdir, readFile, rm } from 'node:fs/promises';
import type { BlobServiceClient } from '@azure/storage-blob';
import { isDeepStrictEqual } from 'node:util';
import { systemClock, type Clock } from '../../shared/clock.js';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import {
  taskSpecSchema,
  type TaskFailure,
  type TaskInfo,
  type TaskLogs,
  type TaskSpec,
  type TaskSpecInput,
  type TrainingBackend,
} from '../../shared/training/backend.js';
import { startAttempt, type RunningAttempt } from './run-attempt.js';
import {
  collectOutputs,
  readSaved,
  saveInfo,
  saveSpec,
  stageInputs,
  tailOf,
  taskPaths,
  type TaskPaths,
} from './task-folder.js';
import { withTimeout } from '../../shared/with-timeout.js';

export interface LocalPoolOptions {
  /** Folder holding one sub-folder per task. */
  root: string;
  slots: number;
  clock?: Clock;
  killGraceMs?: number;
  /** The storage account whose blob URLs tasks may name as inputs and output destinations. */
  blobs?: BlobServiceClient;
}

interface TaskRecord {
  spec: TaskSpec;
  paths: TaskPaths;
  info: TaskInfo;
  running?: RunningAttempt;
  terminated: boolean;
  completed: Promise<TaskInfo>;
  complete: (info: TaskInfo) => void;
}

export class LocalPool implements TrainingBackend {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly queue: TaskRecord[] = [];
  private busy = 0;
  private readonly clock: Clock;
  private readonly killGraceMs: number;

  constructor(private readonly options: LocalPoolOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1) {
      throw new PlatformError(
        'INVALID_CONFIG',
        'The local pool needs at least one slot; set slots to a positive integer.',
        { slots: options.slots },
      );
    }
    this.clock = options.clock ?? systemClock;
    this.killGraceMs = options.killGraceMs ?? 2000;
  }

  async submit(input: TaskSpecInput): Promise<TaskInfo> {
    const spec = parseInput(taskSpecSchema, input, 'training task');
    const existing = this.tasks.get(spec.id);
    if (existing) {
      if (isDeepStrictEqual(existing.spec, spec)) return { ...existing.info };
      throw conflict(spec.id);
    }
    const paths = taskPaths(this.options.root, spec.id);
    // A task an earlier pool process completed is not run again (pipeline activities replay);
    // one it left unfinished starts over, as Batch requeues tasks of a lost node.
    const earlier = await readSaved(paths);
    if (earlier?.info.state === 'completed') {
      if (isDeepStrictEqual(earlier.spec, spec)) return earlier.info;
      throw conflict(spec.id);
    }
    await rm(paths.root, { recursive: true, force: true });
    await mkdir(paths.root, { recursive: true });
    await saveSpec(paths, spec);
    let complete: (info: TaskInfo) => void = () => undefined;
    const completed = new Promise<TaskInfo>((resolve) => {
      complete = resolve;
    });
    const info: TaskInfo = {
      id: spec.id,
      state: 'active',
      attempts: 0,
      createdAt: this.clock.now(),
      outputs: [],
    };
    const record: TaskRecord = { spec, paths, info, terminated: false, completed, complete };
    this.tasks.set(spec.id, record);
    await saveInfo(paths, info);
    this.queue.push(record);
    this.pump();
    return { ...info };
  }

  async get(id: string): Promise<TaskInfo> {
    const record = this.tasks.get(id);
    if (record) return { ...record.info };
    // A task of an earlier pool process: its folder still says how it ended.
    const saved = await readSaved(taskPaths(this.options.root, id));
    if (saved === undefined) throw notFound(id);
    return saved.info;
  }

  async wait(id: string, timeoutMs: number): Promise<TaskInfo> {
    const record = this.tasks.get(id);
    if (!record) return this.finished(await this.get(id));
    return withTimeout(
      record.completed,
      timeoutMs,
      () =>
        new PlatformError(
          'TIMEOUT',
          `Task '${id}' did not complete within ${timeoutMs} ms; wait again or terminate it.`,
          { taskId: id },
        ),
    );
  }

  async logs(id: string): Promise<TaskLogs> {
    const paths = taskPaths(this.options.root, id);
    if (!this.tasks.has(id)) await this.get(id);
    const read = (path: string): Promise<string> => readFile(path, 'utf8').catch(() => '');
    return { stdout: await read(paths.stdout), stderr: await read(paths.stderr) };
  }

  async terminate(id: string): Promise<void> {
    const record = this.tasks.get(id);
    if (!record) throw notFound(id);
    if (record.info.state === 'completed') return;
    record.terminated = true;
    const queued = this.queue.indexOf(record);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      await this.finish(record, {
        code: 'TERMINATED',
        message: `Task '${id}' was terminated before it started.`,
      });
      return;
    }
    // A task between staging and its next attempt sees `terminated` before starting one.
    record.running?.kill();
  }

  private finished(info: TaskInfo): TaskInfo {
    if (info.state !== 'completed') {
      throw new PlatformError(
        'CONFLICT',
        `Task '${info.id}' belongs to a pool that stopped before it completed; submit it again.`,
        { taskId: info.id },
      );
    }
    return info;
  }

  private pump(): void {
    while (this.busy < this.options.slots && this.queue.length > 0) {
      const record = this.queue.shift() as TaskRecord;
      this.busy += 1;
      void this.run(record)
        .catch((error: unknown) => this.abandon(record, error))
        .finally(() => {
          this.busy -= 1;
          this.pump();
        });
    }
  }

  private async run(record: TaskRecord): Promise<void> {
    const { spec, paths, info } = record;
    info.state = 'running';
    info.startedAt = this.clock.now();
    const deadline = info.startedAt + spec.maxWallClockMs;
    try {
      await stageInputs(spec, paths, this.options.blobs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.finish(record, {
        code: 'START_FAILED',
        message: `Task '${spec.id}' could not stage its input files: ${reason}`,
      });
      return;
    }
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...spec.environment,
      AZ_BATCH_TASK_ID: spec.id,
      AZ_BATCH_TASK_WORKING_DIR: paths.workDir,
    };
    await this.finish(record, await this.attempts(record, env, deadline));
  }

  /** Runs attempts until one succeeds, time runs out, the task is terminated or retries are spent. */
  private async attempts(
    record: TaskRecord,
    env: Record<string, string>,
    deadline: number,
  ): Promise<TaskFailure | undefined> {
    const { spec, paths, info } = record;
    const terminated: TaskFailure = { code: 'TERMINATED', message: `Task '${spec.id}' was terminated.` };
    for (;;) {
      if (record.terminated) return terminated;
      info.attempts += 1;
      await saveInfo(paths, info);
      record.running = await startAttempt({
        command: spec.command,
        cwd: paths.workDir,
        env,
        stdoutPath: paths.stdout,
        stderrPath: paths.stderr,
        timeoutMs: Math.max(1, deadline - this.clock.now()),
        killGraceMs: this.killGraceMs,
      });
      const result = await record.running.done;
      record.running = undefined;
      if (result.kind === 'notStarted') {
        return { code: 'START_FAILED', message: `Task '${spec.id}' could not start: ${result.reason}` };
      }
      if (result.kind === 'timedOut') {
        return {
          code: 'TIMEOUT',
          message: `Task '${spec.id}' exceeded its maximum wall-clock time of ${spec.maxWallClockMs} ms and was killed; raise maxWallClockMs or make training cheaper.`,
        };
      }
      info.exitCode = result.exitCode;
      if (result.exitCode === 0) return undefined;
      if (record.terminated) return terminated;
      if (info.attempts > spec.maxRetries) {
        const how =
          result.exitCode === null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
        const tail = await tailOf(paths.stderr);
        return {
          code: 'EXIT_CODE',
          message: `Task '${spec.id}' ${how} after ${info.attempts} attempt(s)${tail ? `; stderr ends with: ${tail}` : ''}`,
        };
      }
    }
  }

  /** The pool itself failed (task folder unwritable, ...): the task still ends, in memory. */
  private abandon(record: TaskRecord, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    Object.assign(record.info, {
      state: 'completed',
      result: 'failure',
      endedAt: this.clock.now(),
      failure: {
        code: 'START_FAILED',
        message: `Task '${record.spec.id}' failed in the local pool: ${reason}`,
      },
    });
    record.complete({ ...record.info });
  }

  private async finish(record: TaskRecord, failure?: TaskFailure): Promise<void> {
    const { info, spec, paths } = record;
    let outcome = failure;
    try {
      info.outputs = await collectOutputs(spec, paths, !failure, this.options.blobs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      outcome ??= {
        code: 'OUTPUT_FAILED',
        message: `Task '${spec.id}' succeeded but its outputs could not be collected: ${reason}`,
      };
    }
    info.state = 'completed';
    info.endedAt = this.clock.now();
    info.result = outcome ? 'failure' : 'success';
    if (outcome) info.failure = outcome;
    info.stderrTail = await tailOf(paths.stderr);
    await saveInfo(paths, info);
    record.complete({ ...info });
  }
}

function conflict(id: string): PlatformError {
  return new PlatformError('CONFLICT', `Task '${id}' already exists with a different spec; use a new id.`, {
    taskId: id,
  });
}

function notFound(id: string): PlatformError {
  return new PlatformError('NOT_FOUND', `No training task '${id}' in this pool; check the task id.`, {
    taskId: id,
  });
}
