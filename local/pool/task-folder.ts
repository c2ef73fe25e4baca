// A task's folder on the local "node", laid out like a Batch task directory: `wd/` is the
// working folder the command runs in (inputs staged into it), stdout.txt and stderr.txt hold
// the last attempt's output, task.json the task's latest info.
import { copyFile, mkdir, open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { TaskInfo, TaskSpec } from '../../shared/training/backend.js';
import { globToRegExp } from '../../shared/training/glob-pattern.js';
import { downloadBlob, isUrl, uploadBlob } from './blob-files.js';

export interface TaskPaths {
  root: string;
  workDir: string;
  stdout: string;
  stderr: string;
  info: string;
  spec: string;
}

export function taskPaths(poolRoot: string, id: string): TaskPaths {
  const root = join(poolRoot, id);
  return {
    root,
    workDir: join(root, 'wd'),
    stdout: join(root, 'stdout.txt'),
    stderr: join(root, 'stderr.txt'),
    info: join(root, 'task.json'),
    spec: join(root, 'spec.json'),
  };
}

/** Sources and destinations are local paths or blob URLs of the pool's storage account. */
export async function stageInputs(
  spec: TaskSpec,
  paths: TaskPaths,
  blobs?: BlobServiceClient,
): Promise<void> {
  await mkdir(paths.workDir, { recursive: true });
  // Side by side, as Batch downloads a task's resource files.
  await Promise.all(
    spec.inputFiles.map(async (input) => {
      const target = join(paths.workDir, input.filePath);
      await mkdir(dirname(target), { recursive: true });
      if (isUrl(input.source)) await downloadBlob(blobs, input.source, target);
      else await copyFile(input.source, target);
    }),
  );
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Copies the output files whose upload condition matches the result; returns where they went. */
export async function collectOutputs(
  spec: TaskSpec,
  paths: TaskPaths,
  succeeded: boolean,
  blobs?: BlobServiceClient,
): Promise<string[]> {
  const wanted = spec.outputFiles.filter(
    (o) => o.uploadCondition === 'taskCompletion' || (o.uploadCondition === 'taskSuccess') === succeeded,
  );
  if (wanted.length === 0) return [];
  const files = await listFiles(paths.workDir);
  const collected: string[] = [];
  for (const output of wanted) {
    const pattern = globToRegExp(output.filePattern);
    for (const file of files.filter((f) => pattern.test(f))) {
      const source = join(paths.workDir, file);
      if (isUrl(output.destination)) {
        collected.push(await uploadBlob(blobs, output.destination, file, source));
        continue;
      }
      const target = join(output.destination, file);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(source, target);
      collected.push(target);
    }
  }
  return collected;
}

async function saveJson(path: string, value: unknown): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`);
  await rename(partial, path);
}

export const saveInfo = (paths: TaskPaths, info: TaskInfo): Promise<void> => saveJson(paths.info, info);
export const saveSpec = (paths: TaskPaths, spec: TaskSpec): Promise<void> => saveJson(paths.spec, spec);

/** What an earlier pool process left in the task folder, if anything. */
export async function readSaved(paths: TaskPaths): Promise<{ info: TaskInfo; spec: unknown } | undefined> {
  const read = (path: string): Promise<unknown> =>
    readFile(path, 'utf8').then(
      (text) => JSON.parse(text) as unknown,
      () => undefined,
    );
  const [info, spec] = await Promise.all([read(paths.info), read(paths.spec)]);
  return info === undefined ? undefined : { info: info as TaskInfo, spec };
}

const tailBytes = 4096;
const tailLines = 20;

/** The last lines of a log file, for error messages; empty when it does not exist. */
export async function tailOf(path: string): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined);
  if (file === undefined) return '';
  try {
    const { size } = await file.stat();
    const length = Math.min(size, tailBytes);
    const { buffer } = await file.read(Buffer.alloc(length), 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-tailLines).join('\n');
  } finally {
    await file.close();
  }
}
