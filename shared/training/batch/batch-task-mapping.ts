// Pure translation between the training backend's task (backend.ts) and Azure Batch REST
// shapes (api-version 2024-07-01.20.0): the task body POSTed to /jobs/{job}/tasks, and the task
// GET returns turned back into TaskInfo. No I/O here, so both directions are unit-testable.
import { createHash } from 'node:crypto';
import type { TaskFailure, TaskInfo, TaskSpec, TaskState } from '../backend.js';

/** How a pool runs tasks: the container image (null for tasks on the node itself) and the node identity. */
export interface BatchPoolTarget {
  poolId: string;
  /** ARM id of the user-assigned identity on the pool's nodes: reads inputs, writes outputs, pulls images. */
  nodeIdentityId: string;
  container?: { imageName: string; registryServer?: string; runOptions?: string };
}

/** Batch runs the command line without a shell and splits it like one: POSIX single quotes keep every argument whole. */
export function commandLineOf(command: readonly string[]): string {
  return command
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

/** ISO 8601 duration of a millisecond count, as Batch's time spans are written. */
export function isoDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}S`;
}

/** A stable fingerprint of a spec: stored as the task's displayName, so a resubmission can tell same from different. */
export function specFingerprint(spec: TaskSpec): string {
  return `spec-sha256-${createHash('sha256').update(JSON.stringify(spec)).digest('hex')}`;
}

/**
 * A blob "folder" URL as Batch's output destination: the container URL plus a blob path.
 * Batch names an uploaded file `path` + the part of its path after the pattern's last fixed
 * folder, so the fixed folders go into `path`: `out/*.onnx` to `.../runs/x` lands at
 * `runs/x/out/model.onnx`, as the local pool writes it.
 */
export function outputDestination(
  destination: string,
  filePattern: string,
): { containerUrl: string; path: string } {
  const url = new URL(destination);
  const segments = url.pathname.split('/').filter(Boolean);
  // Emulators (Azurite) use path-style URLs: the account is the first segment, before the container.
  const pathStyle = /^(\d+\.\d+\.\d+\.\d+|localhost|\[[\d:]+\])$/.test(url.hostname);
  const account = pathStyle ? `/${segments.shift() ?? ''}` : '';
  const [container = '', ...rest] = segments;
  const path = [...rest, ...fixedPart(filePattern).split('/').filter(Boolean)].join('/');
  return { containerUrl: `${url.origin}${account}/${container}`, path };
}

/** The folders of a pattern before its first wildcard (`out/` of `out/*.onnx`); the whole pattern when it has none. */
export function fixedPart(filePattern: string): string {
  const firstWildcard = filePattern.search(/[*?[]/);
  return firstWildcard < 0
    ? filePattern
    : filePattern.slice(0, filePattern.lastIndexOf('/', firstWildcard) + 1);
}

/**
 * Where the node put an output file spec's uploads: a blob name prefix in a container, and the
 * pattern the rest of each blob name matches (null: the prefix is the one blob's whole name).
 */
export function uploadedAs(output: BatchOutputFile): {
  containerUrl: string;
  prefix: string;
  rest: string | null;
} {
  const { containerUrl, path = '' } = output.destination.container;
  const rest = output.filePattern.slice(fixedPart(output.filePattern).length);
  return rest === ''
    ? { containerUrl, prefix: path, rest: null }
    : { containerUrl, prefix: path ? `${path}/` : '', rest };
}

/** Whether an output's upload condition holds for a task's result. */
export function uploads(output: BatchOutputFile, succeeded: boolean): boolean {
  const condition = output.uploadOptions.uploadCondition.toLowerCase();
  return condition === 'taskcompletion' || (condition === 'tasksuccess') === succeeded;
}

export function batchTaskBody(spec: TaskSpec, target: BatchPoolTarget): Record<string, unknown> {
  const identityReference = { resourceId: target.nodeIdentityId };
  // A failed training task must never end the pool's shared job, whatever made it fail.
  const keepJob = { jobAction: 'none' };
  return {
    id: spec.id,
    displayName: specFingerprint(spec),
    commandLine: commandLineOf(spec.command),
    environmentSettings: Object.entries(spec.environment).map(([name, value]) => ({ name, value })),
    resourceFiles: spec.inputFiles.map((input) => ({
      httpUrl: input.source,
      filePath: input.filePath,
      identityReference,
    })),
    outputFiles: spec.outputFiles.map((output) => ({
      filePattern: output.filePattern,
      destination: {
        container: { ...outputDestination(output.destination, output.filePattern), identityReference },
      },
      uploadOptions: { uploadCondition: output.uploadCondition.toLowerCase() },
    })),
    constraints: {
      maxWallClockTime: isoDuration(spec.maxWallClockMs),
      maxTaskRetryCount: spec.maxRetries,
      retentionTime: 'P1D',
    },
    exitConditions: { preProcessingError: keepJob, fileUploadError: keepJob, default: keepJob },
    ...(target.container
      ? {
          containerSettings: {
            imageName: target.container.imageName,
            workingDirectory: 'taskWorkingDirectory',
            containerRunOptions: target.container.runOptions ?? '--rm',
            ...(target.container.registryServer
              ? { registry: { registryServer: target.container.registryServer, identityReference } }
              : {}),
          },
        }
      : {}),
  };
}

/** The parts of a Batch task (GET /jobs/{job}/tasks/{task}) this backend reads. */
export interface BatchOutputFile {
  filePattern: string;
  destination: { container: { containerUrl: string; path?: string } };
  uploadOptions: { uploadCondition: string };
}

export interface BatchTask {
  id: string;
  outputFiles?: BatchOutputFile[];
  displayName?: string;
  state: string;
  creationTime: string;
  executionInfo?: {
    startTime?: string;
    endTime?: string;
    exitCode?: number;
    retryCount: number;
    result?: string;
    failureInfo?: { category: string; code?: string; message?: string };
  };
}

const time = (value: string | undefined): number | undefined => (value ? Date.parse(value) : undefined);

export function taskInfoOf(task: BatchTask): TaskInfo {
  const execution = task.executionInfo;
  const state: TaskState =
    task.state === 'completed' ? 'completed' : task.state === 'running' ? 'running' : 'active';
  const info: TaskInfo = {
    id: task.id,
    state,
    attempts: execution?.startTime ? execution.retryCount + 1 : 0,
    createdAt: Date.parse(task.creationTime),
    outputs: [],
  };
  const startedAt = time(execution?.startTime);
  if (startedAt !== undefined) info.startedAt = startedAt;
  if (state !== 'completed' || !execution) return info;
  const endedAt = time(execution.endTime);
  if (endedAt !== undefined) info.endedAt = endedAt;
  info.exitCode = execution.exitCode ?? null;
  info.result = execution.result?.toLowerCase() === 'success' ? 'success' : 'failure';
  if (info.result === 'failure') info.failure = failureOf(task);
  return info;
}

function failureOf(task: BatchTask): TaskFailure {
  const execution = task.executionInfo;
  const failure = execution?.failureInfo;
  const said = failure?.message ? `: ${failure.message}` : '';
  const code = failure?.code ?? '';
  // Batch ends a task with TaskEnded both at maxWallClockTime (a server error) and on a user's
  // terminate request (a user error); the category tells them apart.
  if (code === 'TaskEnded') {
    return failure?.category.toLowerCase() === 'servererror'
      ? {
          code: 'TIMEOUT',
          message: `Task '${task.id}' exceeded its maximum wall-clock time and was killed${said}`,
        }
      : { code: 'TERMINATED', message: `Task '${task.id}' was terminated${said}` };
  }
  if (/upload/i.test(code)) {
    return {
      code: 'OUTPUT_FAILED',
      message: `Task '${task.id}' ran but its outputs could not be uploaded${said}`,
    };
  }
  if (execution?.exitCode === undefined) {
    return {
      code: 'START_FAILED',
      message: `Task '${task.id}' could not start (${code || 'unknown'})${said}`,
    };
  }
  return {
    code: 'EXIT_CODE',
    message: `Task '${task.id}' exited with code ${execution.exitCode} after ${execution.retryCount + 1} attempt(s)`,
  };
}
