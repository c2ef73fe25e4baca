// The training backend on an Azure Batch pool: one long-lived job per pool, one Batch task per
// training task. Inputs are resource files read from blob storage and outputs are uploaded to
// blob storage by the node itself, both with the pool's managed identity, so no key or SAS
// token is ever minted. Completion is observed by polling the task, which is what Batch offers.
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock } from '../../clock.js';
import { PlatformError } from '../../errors.js';
import { parseInput } from '../../validate.js';
import {
  taskSpecSchema,
  type TaskInfo,
  type TaskLogs,
  type TaskSpecInput,
  type TrainingBackend,
} from '../backend.js';
import { globToRegExp } from '../glob-pattern.js';
import type { BatchRest } from './batch-rest.js';
import {
  batchTaskBody,
  specFingerprint,
  taskInfoOf,
  uploadedAs,
  uploads,
  type BatchOutputFile,
  type BatchPoolTarget,
  type BatchTask,
} from './batch-task-mapping.js';

/** Lists the names of the blobs in a container (`https://{account}.blob.../{container}`) that start with a prefix. */
export type ListBlobs = (containerUrl: string, prefix: string) => Promise<string[]>;

export interface BatchBackendOptions {
  rest: BatchRest;
  pool: BatchPoolTarget;
  listBlobs: ListBlobs;
  /** How often wait() asks Batch for the task's state. */
  pollMs?: number;
  clock?: Clock;
}

const tailLines = 20;

export class BatchBackend implements TrainingBackend {
  private readonly jobId: string;
  private jobReady: Promise<void> | undefined;

  constructor(private readonly options: BatchBackendOptions) {
    this.jobId = `training-${options.pool.poolId}`;
  }

  async submit(input: TaskSpecInput): Promise<TaskInfo> {
    const spec = parseInput(taskSpecSchema, input, 'training task');
    this.jobReady ??= this.options.rest
      .ensureJob(this.jobId, this.options.pool.poolId)
      .catch((error: unknown) => {
        this.jobReady = undefined;
        throw error;
      });
    await this.jobReady;
    const added = await this.options.rest.addTask(this.jobId, batchTaskBody(spec, this.options.pool));
    if (!added) {
      // A replayed activity resubmits the same task: the fingerprint in displayName says whether it is.
      const existing = await this.options.rest.getTask(this.jobId, spec.id);
      if (existing.displayName !== specFingerprint(spec)) {
        throw new PlatformError(
          'CONFLICT',
          `Task '${spec.id}' already exists with a different spec; use a new id.`,
          {
            taskId: spec.id,
          },
        );
      }
      return this.describe(existing);
    }
    return this.get(spec.id);
  }

  async get(id: string): Promise<TaskInfo> {
    return this.describe(await this.readTask(id));
  }

  async wait(id: string, timeoutMs: number): Promise<TaskInfo> {
    const clock = this.options.clock ?? systemClock;
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      const info = await this.get(id);
      if (info.state === 'completed') return info;
      if (clock.now() >= deadline) {
        throw new PlatformError(
          'TIMEOUT',
          `Task '${id}' did not complete within ${timeoutMs} ms; wait again or terminate it.`,
          {
            taskId: id,
          },
        );
      }
      await sleep(Math.min(this.options.pollMs ?? 5000, Math.max(1, deadline - clock.now())));
    }
  }

  async logs(id: string): Promise<TaskLogs> {
    await this.readTask(id);
    const [stdout, stderr] = await Promise.all([
      this.options.rest.taskFile(this.jobId, id, 'stdout.txt'),
      this.options.rest.taskFile(this.jobId, id, 'stderr.txt'),
    ]);
    return { stdout, stderr };
  }

  async terminate(id: string): Promise<void> {
    const task = await this.readTask(id);
    if (task.state === 'completed') return;
    await this.options.rest.terminateTask(this.jobId, id);
  }

  private async readTask(id: string): Promise<BatchTask> {
    try {
      return await this.options.rest.getTask(this.jobId, id);
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'NOT_FOUND') {
        throw new PlatformError(
          'NOT_FOUND',
          `No training task '${id}' in Batch pool '${this.options.pool.poolId}'; check the task id.`,
          {
            taskId: id,
          },
        );
      }
      throw error;
    }
  }

  private async describe(task: BatchTask): Promise<TaskInfo> {
    const info = taskInfoOf(task);
    if (info.state !== 'completed') return info;
    const stderr = await this.options.rest.taskFile(this.jobId, task.id, 'stderr.txt');
    info.stderrTail = stderr.trimEnd().split('\n').slice(-tailLines).join('\n');
    if (info.failure?.code === 'EXIT_CODE' && info.stderrTail) {
      info.failure.message += `; stderr ends with: ${info.stderrTail}`;
    }
    info.outputs = await this.collected(task.outputFiles ?? [], info.result === 'success');
    return info;
  }

  /**
   * The blobs the node uploaded for the outputs whose condition held, read from the task's own
   * output file specs, so any instance of the app can collect what another one submitted.
   */
  private async collected(outputs: readonly BatchOutputFile[], succeeded: boolean): Promise<string[]> {
    const found: string[] = [];
    for (const output of outputs.filter((o) => uploads(o, succeeded))) {
      const { containerUrl, prefix, rest } = uploadedAs(output);
      const pattern = rest === null ? null : globToRegExp(rest);
      for (const name of await this.options.listBlobs(containerUrl, prefix)) {
        if (pattern ? pattern.test(name.slice(prefix.length)) : name === prefix)
          found.push(`${containerUrl}/${name}`);
      }
    }
    return found.sort();
  }
}
