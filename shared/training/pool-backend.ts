// The training backend of a pool reached over HTTP: the local pool service (local/pool/cli.ts)
// speaks the TrainingBackend port as JSON, so the app never imports the local runtime. Errors
// come back as the project's error bodies and are rebuilt as the same PlatformError.
import { z } from 'zod';
import { isErrorCode, PlatformError } from '../errors.js';
import type { TaskInfo, TaskLogs, TaskSpecInput, TrainingBackend } from './backend.js';

const taskInfoSchema = z.looseObject({
  id: z.string(),
  state: z.enum(['active', 'running', 'completed']),
  attempts: z.number(),
  createdAt: z.number(),
  outputs: z.array(z.string()),
});
const logsSchema = z.object({ stdout: z.string(), stderr: z.string() });
const errorSchema = z.looseObject({ error: z.string(), code: z.string() });

export class PoolBackend implements TrainingBackend {
  constructor(
    private readonly baseUrl: string,
    private readonly pollMs = 250,
  ) {}

  submit(spec: TaskSpecInput): Promise<TaskInfo> {
    return this.call(
      `/tasks/${encodeURIComponent(spec.id)}`,
      taskInfoSchema,
      'PUT',
      spec,
    ) as Promise<TaskInfo>;
  }

  get(id: string): Promise<TaskInfo> {
    return this.call(`/tasks/${encodeURIComponent(id)}`, taskInfoSchema) as Promise<TaskInfo>;
  }

  async wait(id: string, timeoutMs: number): Promise<TaskInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.get(id);
      if (info.state === 'completed') return info;
      if (Date.now() >= deadline) {
        throw new PlatformError('TIMEOUT', `Task '${id}' did not complete within ${timeoutMs} ms.`, {
          taskId: id,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  logs(id: string): Promise<TaskLogs> {
    return this.call(`/tasks/${encodeURIComponent(id)}/logs`, logsSchema);
  }

  async terminate(id: string): Promise<void> {
    await this.call(`/tasks/${encodeURIComponent(id)}/terminate`, taskInfoSchema, 'POST');
  }

  private async call<S extends z.ZodType>(
    path: string,
    schema: S,
    method = 'GET',
    body?: unknown,
  ): Promise<z.output<S>> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new PlatformError(
        'DEPENDENCY_UNAVAILABLE',
        `The training pool at ${this.baseUrl} cannot be reached; is it running?`,
        { url: this.baseUrl },
        { cause: error },
      );
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (response.ok) return schema.parse(json);
    const failure = errorSchema.safeParse(json);
    if (failure.success && isErrorCode(failure.data.code)) {
      const { error, code, ...details } = failure.data;
      throw new PlatformError(code, error, details);
    }
    throw new PlatformError('DEPENDENCY_UNAVAILABLE', `The training pool answered ${response.status}.`, {
      url: this.baseUrl,
      status: response.status,
    });
  }
}

/** Whether tasks go to Azure Batch: TRAINING_BACKEND=batch, or a Batch endpoint set and no backend named. */
export function usesBatch(settings: Record<string, string | undefined> = process.env): boolean {
  return (
    settings.TRAINING_BACKEND === 'batch' || (!settings.TRAINING_BACKEND && !!settings.BATCH_ACCOUNT_ENDPOINT)
  );
}

/**
 * Where the local pool listens: TRAINING_POOL_URL, else the port `npm start` runs it on, so an
 * app whose local.settings.json predates the setting still trains on the local pool.
 */
export function trainingPoolUrl(settings: Record<string, string | undefined> = process.env): string {
  const url = settings.TRAINING_POOL_URL || `http://127.0.0.1:${settings.TRAINING_POOL_PORT || 7072}`;
  return url.replace(/\/$/, '');
}

/** The local pool `npm start` runs: the backend when Azure Batch is not configured. */
export function poolBackendFromSettings(
  settings: Record<string, string | undefined> = process.env,
): PoolBackend {
  return new PoolBackend(trainingPoolUrl(settings));
}
