// Turns a completed task into the pipeline's terms: its outputs, or a PlatformError saying why
// training failed, with the trainer's own last words (the stderr tail) so users can act on it.
import { PlatformError } from '../errors.js';
import type { TaskInfo } from './backend.js';

export function requireSuccess(info: TaskInfo): TaskInfo {
  if (info.result === 'success') return info;
  const failure = info.failure ?? { code: 'EXIT_CODE', message: `task ${info.id} did not succeed` };
  const details = {
    taskId: info.id,
    attempts: info.attempts,
    exitCode: info.exitCode ?? null,
    stderrTail: info.stderrTail ?? '',
  };
  if (failure.code === 'TIMEOUT') throw new PlatformError('TIMEOUT', failure.message, details);
  throw new PlatformError('TASK_FAILED', failure.message, details);
}
