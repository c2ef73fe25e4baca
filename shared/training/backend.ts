// The training backend port: run one task (a trainer command) on a compute pool and collect
// what it wrote. Shaped after Azure Batch tasks (id, command line, resource files, output files
// with upload conditions, max wall-clock time, max retry count, execution info) so an Azure
// Batch adapter can implement it with a 1:1 mapping; the local pool implements it with child
// processes. The pipeline only ever sees this interface.
import { z } from 'zod';

/** Batch's rule for task ids: letters, digits, hyphens and underscores, at most 64. */
const taskId = z.string().regex(/^[\w-]{1,64}$/, 'use 1-64 letters, digits, hyphens or underscores');

// Paths inside the task folder: relative, no way out of it.
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..'), {
    message: 'must be a relative path inside the task folder, without ".."',
  });

export const taskSpecSchema = z.object({
  id: taskId,
  /**
   * The program and its arguments, run without a shell in the task's working folder (Batch's
   * commandLine is not run under a shell either; the Batch adapter quotes and joins these).
   */
  command: z.array(z.string()).min(1),
  environment: z.record(z.string(), z.string()).default({}),
  /** Batch resourceFiles: `source` is a location the backend can read (a path locally, a blob URL in Batch). */
  inputFiles: z.array(z.object({ source: z.string().min(1), filePath: relativePath })).default([]),
  /** Batch outputFiles: files of the working folder matching `filePattern` are copied under `destination`. */
  outputFiles: z
    .array(
      z.object({
        filePattern: relativePath,
        destination: z.string().min(1),
        uploadCondition: z.enum(['taskSuccess', 'taskFailure', 'taskCompletion']).default('taskSuccess'),
      }),
    )
    .default([]),
  /** Batch constraints.maxWallClockTime, measured from the task's first start, retries included. */
  maxWallClockMs: z.number().int().positive(),
  /** Batch constraints.maxTaskRetryCount: attempts after the first one when it exits non-zero. */
  maxRetries: z.number().int().min(0).max(10).default(0),
});

export type TaskSpecInput = z.input<typeof taskSpecSchema>;
export type TaskSpec = z.output<typeof taskSpecSchema>;

export type TaskState = 'active' | 'running' | 'completed';

export interface TaskFailure {
  /**
   * TIMEOUT: killed at maxWallClockMs; EXIT_CODE: non-zero exit on the last attempt;
   * START_FAILED: inputs could not be staged or the program not started; OUTPUT_FAILED: outputs
   * could not be collected (Batch's FileUploadError); TERMINATED: stopped on request.
   */
  code: 'TIMEOUT' | 'EXIT_CODE' | 'START_FAILED' | 'OUTPUT_FAILED' | 'TERMINATED';
  message: string;
}

/** What Batch calls the task's executionInfo, plus where its logs and outputs are. */
export interface TaskInfo {
  id: string;
  state: TaskState;
  /** Attempts started so far (Batch: retryCount + 1). */
  attempts: number;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  exitCode?: number | null;
  result?: 'success' | 'failure';
  failure?: TaskFailure;
  /** The last lines of stderr of the last attempt, for error reports. */
  stderrTail?: string;
  /** Files collected to the output destinations (full paths or URLs). */
  outputs: string[];
}

export interface TaskLogs {
  stdout: string;
  stderr: string;
}

export interface TrainingBackend {
  /**
   * Queues a task. Submitting an id again with the same spec returns the existing task, so a
   * replayed pipeline activity never runs training twice; a different spec is a CONFLICT.
   */
  submit(spec: TaskSpecInput): Promise<TaskInfo>;
  /** The task's current state; NOT_FOUND for an unknown id. */
  get(id: string): Promise<TaskInfo>;
  /** Resolves once the task completes (success or failure); TIMEOUT if that takes longer than `timeoutMs`. */
  wait(id: string, timeoutMs: number): Promise<TaskInfo>;
  /** The stdout and stderr files of the task's last attempt. */
  logs(id: string): Promise<TaskLogs>;
  /** Stops a queued or running task; it completes as a failure. */
  terminate(id: string): Promise<void>;
}
