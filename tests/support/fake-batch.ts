// A stand-in for the Azure Batch service and one compute node, speaking the REST shapes of
// api-version 2024-07-01.20.0 (add job, add/get/terminate task, task files) over HTTPS, so the
// Batch backend runs unchanged against it. The "node" downloads resource files from their
// httpUrl and uploads output files to their container destinations in Azurite (standing in for
// the pool's managed identity with the emulator's public account key), runs the command line
// with sh in the task's working folder, retries non-zero exits up to maxTaskRetryCount and ends
// the task at maxWallClockTime, reporting state, executionInfo and failureInfo as Batch does.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlobClient, ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { devAccount } from '../../local/emulators/azurite.js';
import { globToRegExp } from '../../shared/training/glob-pattern.js';
import { fixedPart, type BatchOutputFile } from '../../shared/training/batch/batch-task-mapping.js';

interface FakeTask {
  body: {
    id: string;
    displayName?: string;
    commandLine: string;
    environmentSettings?: { name: string; value: string }[];
    resourceFiles?: { httpUrl: string; filePath: string }[];
    outputFiles?: BatchOutputFile[];
    constraints?: { maxWallClockTime?: string; maxTaskRetryCount?: number };
  };
  state: 'active' | 'running' | 'completed';
  creationTime: string;
  executionInfo?: Record<string, unknown> & { retryCount: number };
  dir: string;
  child?: ChildProcess;
  terminated: boolean;
}

export interface FakeBatch {
  endpoint: string;
  /** Every request seen, for assertions on what the backend sent. */
  requests: { method: string; path: string; body: unknown }[];
  stop(): Promise<void>;
}

const credential = new StorageSharedKeyCredential(devAccount.name, devAccount.key);
const certFolder = dirname(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server/package.json'));

function seconds(duration: string | undefined): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(duration ?? '');
  if (!match) return Number.POSITIVE_INFINITY;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

export async function startFakeBatch(): Promise<FakeBatch> {
  const root = await mkdtemp(join(tmpdir(), 'fake-batch-'));
  const jobs = new Map<string, Map<string, FakeTask>>();
  const requests: FakeBatch['requests'] = [];

  const send = (res: ServerResponse, status: number, body?: unknown): void => {
    res.writeHead(
      status,
      body === undefined ? {} : { 'content-type': 'application/json;odata=minimalmetadata' },
    );
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string): void =>
    send(res, status, { code, message: { lang: 'en-US', value: message } });

  async function run(task: FakeTask): Promise<void> {
    const wd = join(task.dir, 'wd');
    await mkdir(wd, { recursive: true });
    task.state = 'running';
    const started = Date.now();
    task.executionInfo = { startTime: new Date(started).toISOString(), retryCount: 0, requeueCount: 0 };
    const finish = async (fields: Record<string, unknown>): Promise<void> => {
      const succeeded = fields.result === 'success';
      try {
        if (fields.exitCode !== undefined) await uploadOutputs(task, wd, succeeded);
      } catch (uploadError) {
        fields = {
          ...fields,
          result: 'failure',
          failureInfo: { category: 'usererror', code: 'FileUploadMiscError', message: String(uploadError) },
        };
      }
      task.executionInfo = { ...task.executionInfo!, endTime: new Date().toISOString(), ...fields };
      task.state = 'completed';
    };
    try {
      for (const file of task.body.resourceFiles ?? []) {
        const target = join(wd, file.filePath);
        await mkdir(dirname(target), { recursive: true });
        await new BlobClient(file.httpUrl, credential).downloadToFile(target);
      }
    } catch (downloadError) {
      await finish({
        result: 'failure',
        failureInfo: { category: 'usererror', code: 'BlobDownloadMiscError', message: String(downloadError) },
      });
      return;
    }
    const deadline = started + seconds(task.body.constraints?.maxWallClockTime) * 1000;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AZ_BATCH_TASK_ID: task.body.id,
      AZ_BATCH_TASK_WORKING_DIR: wd,
    };
    for (const setting of task.body.environmentSettings ?? []) env[setting.name] = setting.value;
    for (;;) {
      if (task.terminated) break;
      const child = spawn('/bin/sh', ['-c', task.body.commandLine], {
        cwd: wd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      task.child = child;
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      let timedOut = false;
      const timer = setTimeout(
        () => {
          timedOut = true;
          process.kill(-child.pid!, 'SIGKILL');
        },
        Math.max(1, deadline - Date.now()),
      );
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      clearTimeout(timer);
      task.child = undefined;
      await writeFile(join(task.dir, 'stdout.txt'), Buffer.concat(out));
      await writeFile(join(task.dir, 'stderr.txt'), Buffer.concat(err));
      if (timedOut) {
        await finish({
          exitCode: 137,
          result: 'failure',
          failureInfo: {
            category: 'servererror',
            code: 'TaskEnded',
            message: 'Max wall clock time exceeded',
          },
        });
        return;
      }
      if (task.terminated) break;
      if (code === 0) {
        await finish({ exitCode: 0, result: 'success' });
        return;
      }
      const retries = task.body.constraints?.maxTaskRetryCount ?? 0;
      if (task.executionInfo.retryCount >= retries) {
        await finish({
          exitCode: code ?? 137,
          result: 'failure',
          failureInfo: {
            category: 'usererror',
            code: 'FailureExitCode',
            message: 'The task process exited with an unexpected exit code',
          },
        });
        return;
      }
      task.executionInfo.retryCount += 1;
      task.executionInfo.lastRetryTime = new Date().toISOString();
    }
    await finish({
      exitCode: 137,
      result: 'failure',
      failureInfo: { category: 'usererror', code: 'TaskEnded', message: 'Task Was Ended by User Request' },
    });
  }

  async function uploadOutputs(task: FakeTask, wd: string, succeeded: boolean): Promise<void> {
    const entries = await readdir(wd, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => relative(wd, join(e.parentPath, e.name)).split(sep).join('/'));
    for (const output of task.body.outputFiles ?? []) {
      const condition = output.uploadOptions.uploadCondition.toLowerCase();
      if (condition !== 'taskcompletion' && (condition === 'tasksuccess') !== succeeded) continue;
      const { containerUrl, path = '' } = output.destination.container;
      const fixed = fixedPart(output.filePattern);
      const pattern = globToRegExp(output.filePattern);
      const container = new ContainerClient(containerUrl, credential);
      for (const file of files.filter((f) => pattern.test(f))) {
        const name =
          fixed === output.filePattern ? path : [path, file.slice(fixed.length)].filter(Boolean).join('/');
        await container.getBlockBlobClient(name).uploadFile(join(wd, file));
      }
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://batch.test');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown) : undefined;
    requests.push({ method: req.method ?? '', path: url.pathname, body });
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return error(res, 401, 'AuthenticationFailed', 'Server failed to authenticate the request.');
    }
    if (!url.searchParams.get('api-version'))
      return error(res, 400, 'MissingRequiredQueryParameter', 'api-version');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'POST' && parts.length === 1 && parts[0] === 'jobs') {
      const { id } = body as { id: string };
      if (jobs.has(id)) return error(res, 409, 'JobExists', 'The specified job already exists.');
      jobs.set(id, new Map());
      return send(res, 201);
    }
    const tasks = parts[0] === 'jobs' && parts[1] !== undefined ? jobs.get(parts[1]) : undefined;
    if (!tasks) return error(res, 404, 'JobNotFound', 'The specified job does not exist.');
    if (req.method === 'POST' && parts.length === 3 && parts[2] === 'tasks') {
      const taskBody = body as FakeTask['body'];
      if (tasks.has(taskBody.id)) return error(res, 409, 'TaskExists', 'The specified task already exists.');
      const task: FakeTask = {
        body: taskBody,
        state: 'active',
        creationTime: new Date().toISOString(),
        dir: join(root, parts[1]!, taskBody.id),
        terminated: false,
      };
      tasks.set(taskBody.id, task);
      void run(task);
      return send(res, 201);
    }
    const task = parts[2] === 'tasks' && parts[3] !== undefined ? tasks.get(parts[3]) : undefined;
    if (!task) return error(res, 404, 'TaskNotFound', 'The specified task does not exist.');
    if (req.method === 'GET' && parts.length === 4) {
      const { id, displayName, commandLine, resourceFiles, outputFiles, constraints } = task.body;
      return send(res, 200, {
        id,
        displayName,
        commandLine,
        resourceFiles,
        outputFiles,
        constraints,
        state: task.state,
        creationTime: task.creationTime,
        ...(task.executionInfo ? { executionInfo: task.executionInfo } : {}),
      });
    }
    if (req.method === 'POST' && parts[4] === 'terminate') {
      if (task.state === 'completed')
        return error(res, 409, 'TaskCompleted', 'The task has already completed.');
      task.terminated = true;
      if (task.child?.pid) process.kill(-task.child.pid, 'SIGKILL');
      return send(res, 204);
    }
    if (req.method === 'GET' && parts[4] === 'files' && parts[5]) {
      const content = await readFile(join(task.dir, parts[5])).catch(() => undefined);
      if (content === undefined) return error(res, 404, 'FileNotFound', 'The specified file does not exist.');
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(content);
      return;
    }
    return error(res, 400, 'InvalidUri', `Unsupported ${req.method} ${url.pathname}`);
  }

  const server: Server = createServer(
    {
      cert: await readFile(join(certFolder, 'cert.pem')),
      key: await readFile(join(certFolder, 'key.pem')),
    },
    (req, res) => {
      handle(req, res).catch((failure: unknown) => error(res, 500, 'InternalError', String(failure)));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `https://127.0.0.1:${port}`,
    requests,
    async stop() {
      for (const tasks of jobs.values())
        for (const task of tasks.values()) if (task.child?.pid) process.kill(-task.child.pid, 'SIGKILL');
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(root, { recursive: true, force: true });
    },
  };
}
