// The few Azure Batch data-plane calls the training backend needs, as typed REST calls over
// @azure/core-rest-pipeline with Entra ID tokens (managed identity in Azure; no shared keys).
// The @azure/batch package is the retired track-1 client, so this stays a thin typed layer.
import { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { z } from 'zod';
import { PlatformError } from '../../errors.js';
import type { BatchTask } from './batch-task-mapping.js';

export const batchApiVersion = '2024-07-01.20.0';
const batchScope = 'https://batch.core.windows.net//.default';

const batchTaskSchema = z.object({
  id: z.string(),
  displayName: z.string().optional(),
  outputFiles: z
    .array(
      z.object({
        filePattern: z.string(),
        destination: z.object({
          container: z.object({ containerUrl: z.string(), path: z.string().optional() }),
        }),
        uploadOptions: z.object({ uploadCondition: z.string() }),
      }),
    )
    .optional(),
  state: z.string().transform((s) => s.toLowerCase()),
  creationTime: z.string(),
  executionInfo: z
    .object({
      startTime: z.string().optional(),
      endTime: z.string().optional(),
      exitCode: z.number().int().optional(),
      retryCount: z.number().int().default(0),
      result: z.string().optional(),
      failureInfo: z
        .object({ category: z.string(), code: z.string().optional(), message: z.string().optional() })
        .optional(),
    })
    .optional(),
});

const batchErrorSchema = z.object({
  code: z.string().optional(),
  message: z.object({ value: z.string().optional() }).optional(),
});

export interface BatchRestOptions {
  /** The account endpoint, `https://{account}.{region}.batch.azure.com`. */
  endpoint: string;
  credential: TokenCredential;
}

export class BatchRest {
  private readonly pipeline: Pipeline;
  private readonly client: HttpClient = createDefaultHttpClient();
  private readonly endpoint: string;

  constructor(options: BatchRestOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    // A loopback endpoint is a test double with a self-signed certificate, as for the Cosmos DB emulator.
    const host = new URL(this.endpoint).hostname;
    const loopback = host === '127.0.0.1' || host === 'localhost';
    this.pipeline = createPipelineFromOptions({
      retryOptions: { maxRetries: 3 },
      ...(loopback ? { agent: new Agent({ rejectUnauthorized: false }) } : {}),
    });
    this.pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: batchScope }),
    );
  }

  /** Adds the job if it does not exist yet; a pool's tasks share one long-lived job. */
  async ensureJob(jobId: string, poolId: string): Promise<void> {
    const response = await this.send('POST', '/jobs', {
      id: jobId,
      poolInfo: { poolId },
      onAllTasksComplete: 'noaction',
    });
    if (response.status !== 201 && response.status !== 409)
      throw this.failure(response, `adding job '${jobId}'`);
  }

  /** Adds a task; false when a task with this id already exists in the job. */
  async addTask(jobId: string, body: Record<string, unknown>): Promise<boolean> {
    const response = await this.send('POST', `/jobs/${encodeURIComponent(jobId)}/tasks`, body);
    if (response.status === 201) return true;
    if (response.status === 409) return false;
    throw this.failure(response, `adding task '${String(body.id)}'`);
  }

  async getTask(jobId: string, taskId: string): Promise<BatchTask> {
    const response = await this.send('GET', taskPath(jobId, taskId));
    if (response.status !== 200) throw this.failure(response, `reading task '${taskId}'`);
    return batchTaskSchema.parse(JSON.parse(response.bodyAsText ?? '{}'));
  }

  async terminateTask(jobId: string, taskId: string): Promise<void> {
    const response = await this.send('POST', `${taskPath(jobId, taskId)}/terminate`);
    if (response.status !== 204 && response.status !== 200)
      throw this.failure(response, `terminating task '${taskId}'`);
  }

  /** A file of the task's folder on its node (stdout.txt, stderr.txt); empty once the node is gone. */
  async taskFile(jobId: string, taskId: string, name: string): Promise<string> {
    const response = await this.send('GET', `${taskPath(jobId, taskId)}/files/${encodeURIComponent(name)}`);
    if (response.status === 200) return response.bodyAsText ?? '';
    if (response.status === 404) return '';
    throw this.failure(response, `reading ${name} of task '${taskId}'`);
  }

  private async send(method: 'GET' | 'POST', path: string, body?: unknown) {
    const request = createPipelineRequest({
      url: `${this.endpoint}${path}?api-version=${batchApiVersion}`,
      method,
      headers: createHttpHeaders(
        body === undefined ? {} : { 'content-type': 'application/json; odata=minimalmetadata' },
      ),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    try {
      return await this.pipeline.sendRequest(this.client, request);
    } catch (error) {
      throw new PlatformError(
        'DEPENDENCY_UNAVAILABLE',
        `Azure Batch at ${this.endpoint} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        { endpoint: this.endpoint },
        { cause: error },
      );
    }
  }

  private failure(response: { status: number; bodyAsText?: string | null }, doing: string): PlatformError {
    let parsed: z.infer<typeof batchErrorSchema> = {};
    try {
      parsed = batchErrorSchema.parse(JSON.parse(response.bodyAsText ?? '{}'));
    } catch {
      // Not a Batch error body; the status says enough.
    }
    const code = parsed.code ?? `HTTP ${response.status}`;
    const message = `Azure Batch refused ${doing}: ${code}${parsed.message?.value ? ` (${parsed.message.value})` : ''}`;
    const errorCode =
      response.status === 404 ? 'NOT_FOUND' : response.status === 409 ? 'CONFLICT' : 'DEPENDENCY_UNAVAILABLE';
    return new PlatformError(errorCode, message, { batchCode: code, status: response.status });
  }
}

const taskPath = (jobId: string, taskId: string): string =>
  `/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(taskId)}`;
