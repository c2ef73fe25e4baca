// How a step's result crosses into the orchestrator. Problems the run itself caused (bad data,
// a trainer that failed, a refused registry change) come back as values carrying the error's
// code, message and details (rows, columns, stderr), so the run can say exactly what was wrong;
// anything else (storage down, a bug) is thrown, retried by the activity's retry policy, and
// only then ends the run.
import { isPlatformError } from '../errors.js';

export interface RunError {
  code: string;
  message: string;
  [detail: string]: unknown;
}

export type StepOutcome<T> = { ok: true; value: T } | { ok: false; error: RunError };

const runCaused = new Set(['TASK_FAILED', 'TIMEOUT']);

export async function outcomeOf<T>(work: () => Promise<T>): Promise<StepOutcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isPlatformError(error) && (error.status < 500 || runCaused.has(error.code))) {
      return { ok: false, error: { ...error.details, code: error.code, message: error.message } };
    }
    throw error;
  }
}
