// The Batch REST shapes the backend sends and reads, and how settings pick a training target.
import { describe, expect, it } from 'vitest';
import { taskSpecSchema, type TrainingBackend } from '../../../shared/training/backend.js';
import {
  batchTaskBody,
  commandLineOf,
  isoDuration,
  outputDestination,
  taskInfoOf,
  type BatchTask,
} from '../../../shared/training/batch/batch-task-mapping.js';
import { BatchBackend } from '../../../shared/training/batch/batch-backend.js';
import { trainingTarget } from '../../../shared/training/training-target.js';

const identity =
  '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nodes';

describe('Batch task body', () => {
  it('stages and uploads through the node identity, with constraints, exit conditions and container settings', () => {
    const spec = taskSpecSchema.parse({
      id: 'train-churn-abc',
      command: ['node', '/app/dist/trainers/tabular/cli.js', '--spec', 'spec file.json'],
      environment: { SEED: '7' },
      inputFiles: [
        { source: 'https://acct.blob.core.windows.net/runs/churn/r1/train.csv', filePath: 'train.csv' },
      ],
      outputFiles: [
        {
          filePattern: 'out/*.onnx',
          destination: 'https://acct.blob.core.windows.net/runs/churn/r1/trainer',
        },
      ],
      maxWallClockMs: 7_200_000,
      maxRetries: 2,
    });
    const body = batchTaskBody(spec, {
      poolId: 'train-gpu',
      nodeIdentityId: identity,
      container: {
        imageName: 'acr.azurecr.io/trainer-gpu:1',
        registryServer: 'acr.azurecr.io',
        runOptions: '--rm --gpus all',
      },
    });
    expect(body).toMatchObject({
      id: 'train-churn-abc',
      displayName: expect.stringMatching(/^spec-sha256-[0-9a-f]{64}$/) as string,
      commandLine: "node /app/dist/trainers/tabular/cli.js --spec 'spec file.json'",
      environmentSettings: [{ name: 'SEED', value: '7' }],
      resourceFiles: [
        {
          httpUrl: 'https://acct.blob.core.windows.net/runs/churn/r1/train.csv',
          filePath: 'train.csv',
          identityReference: { resourceId: identity },
        },
      ],
      outputFiles: [
        {
          filePattern: 'out/*.onnx',
          destination: {
            container: {
              containerUrl: 'https://acct.blob.core.windows.net/runs',
              path: 'churn/r1/trainer/out',
              identityReference: { resourceId: identity },
            },
          },
          uploadOptions: { uploadCondition: 'tasksuccess' },
        },
      ],
      constraints: { maxWallClockTime: 'PT7200S', maxTaskRetryCount: 2 },
      exitConditions: { default: { jobAction: 'none' } },
      containerSettings: {
        imageName: 'acr.azurecr.io/trainer-gpu:1',
        workingDirectory: 'taskWorkingDirectory',
        containerRunOptions: '--rm --gpus all',
        registry: { registryServer: 'acr.azurecr.io', identityReference: { resourceId: identity } },
      },
    });
  });

  it('quotes arguments for a shell-like split and writes durations in ISO 8601', () => {
    expect(commandLineOf(['python3', "it's", 'a b', '$HOME', 'plain-arg_1.csv'])).toBe(
      `python3 'it'\\''s' 'a b' '$HOME' plain-arg_1.csv`,
    );
    expect(isoDuration(1500)).toBe('PT1.5S');
    expect(isoDuration(60_000)).toBe('PT60S');
  });

  it('keeps the account segment of emulator (path-style) URLs in the container URL', () => {
    expect(outputDestination('http://127.0.0.1:10000/devstoreaccount1/runs/m/r', 'model.onnx')).toEqual({
      containerUrl: 'http://127.0.0.1:10000/devstoreaccount1/runs',
      path: 'm/r/model.onnx',
    });
    expect(outputDestination('https://acct.blob.core.windows.net/runs', '**/*.json')).toEqual({
      containerUrl: 'https://acct.blob.core.windows.net/runs',
      path: '',
    });
  });
});

describe('Batch task state', () => {
  const completed = (executionInfo: BatchTask['executionInfo']): BatchTask => ({
    id: 't',
    state: 'completed',
    creationTime: '2026-01-01T00:00:00Z',
    executionInfo,
  });

  it('tells a wall-clock timeout (server error) from a terminate request (user error)', () => {
    const ended = (category: string) =>
      taskInfoOf(
        completed({
          startTime: '2026-01-01T00:00:01Z',
          endTime: '2026-01-01T00:00:09Z',
          exitCode: 137,
          retryCount: 0,
          result: 'failure',
          failureInfo: { category, code: 'TaskEnded' },
        }),
      );
    expect(ended('ServerError')).toMatchObject({
      attempts: 1,
      failure: { code: 'TIMEOUT' },
      endedAt: Date.parse('2026-01-01T00:00:09Z'),
    });
    expect(ended('usererror').failure?.code).toBe('TERMINATED');
  });

  it('reports a failed download as START_FAILED and a failed upload as OUTPUT_FAILED', () => {
    const failed = (code: string, exitCode?: number) =>
      taskInfoOf(
        completed({
          retryCount: 0,
          result: 'failure',
          ...(exitCode === undefined ? {} : { exitCode }),
          failureInfo: { category: 'usererror', code },
        }),
      ).failure?.code;
    expect(failed('BlobDownloadMiscError')).toBe('START_FAILED');
    expect(failed('FileUploadMiscError', 0)).toBe('OUTPUT_FAILED');
    expect(failed('FailureExitCode', 2)).toBe('EXIT_CODE');
  });
});

describe('training target', () => {
  const local = { submit: () => Promise.reject(new Error('local')) } as unknown as TrainingBackend;
  const batch = {
    BATCH_ACCOUNT_ENDPOINT: 'https://acct.westeurope.batch.azure.com',
    BATCH_NODE_IDENTITY_ID: identity,
    BATCH_IMAGE_CPU: 'acr.azurecr.io/trainer-cpu:1',
    BATCH_IMAGE_GPU: 'acr.azurecr.io/trainer-gpu:1',
  };

  it("uses the local pool and this checkout's trainers without Batch settings", () => {
    const cpu = trainingTarget(undefined, () => local, {});
    expect(cpu.compute).toBe('cpu');
    expect(cpu.backend).toBe(local);
    expect(cpu.command(['--out', 'o']).join(' ')).toMatch(/trainers\/tabular\/cli\.(js|ts) --out o$/);
    expect(trainingTarget('gpu', () => local, {}).command([])).toEqual([
      '/usr/bin/python3',
      expect.stringMatching(/trainers\/gpu\/train\.py$/),
    ]);
  });

  it('picks the Batch pool and trainer image by compute', () => {
    const gpu = trainingTarget('gpu', () => local, batch);
    expect(gpu.backend).toBeInstanceOf(BatchBackend);
    expect(gpu.command(['--out', 'o'])).toEqual(['python3', '/app/trainers/gpu/train.py', '--out', 'o']);
    expect(trainingTarget('cpu', () => local, batch).command([])).toEqual([
      'node',
      '/app/dist/trainers/tabular/cli.js',
    ]);
  });

  it('refuses TRAINING_BACKEND=batch without a Batch account, naming the setting', () => {
    expect(() => trainingTarget('cpu', () => local, { TRAINING_BACKEND: 'batch' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: expect.stringContaining('BATCH_ACCOUNT_ENDPOINT') as string,
      }) as Error,
    );
  });
});
