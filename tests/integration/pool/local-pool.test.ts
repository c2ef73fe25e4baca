import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalPool } from '../../../local/pool/local-pool.js';
import { PlatformError } from '../../../shared/errors.js';
import type { TaskSpecInput } from '../../../shared/training/backend.js';
import { requireSuccess } from '../../../shared/training/task-outcome.js';

const node = process.execPath;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pool-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('local pool', () => {
  it('runs two tasks at once in a 2-slot pool, staging inputs and collecting outputs', async () => {
    const pool = new LocalPool({ root: join(root, 'tasks'), slots: 2 });
    const input = join(root, 'train.csv');
    await writeFile(input, 'x,label\n1,a\n');
    // Each task waits until the other has started (a marker file in a shared folder), so
    // they can only both finish if they run at the same time.
    const meet = join(root, 'meet');
    const script = (me: string, other: string): string =>
      `const fs=require('fs');fs.mkdirSync(${JSON.stringify(meet)},{recursive:true});` +
      `fs.writeFileSync(${JSON.stringify(meet)}+'/${me}','');` +
      `const t=setInterval(()=>{if(fs.existsSync(${JSON.stringify(meet)}+'/${other}')){clearInterval(t);` +
      `fs.mkdirSync('out');fs.writeFileSync('out/model.onnx',fs.readFileSync('data/train.csv'));console.log('done ${me}');}},10);`;
    const task = (id: string, me: string, other: string) => ({
      id,
      command: [node, '-e', script(me, other)],
      inputFiles: [{ source: input, filePath: 'data/train.csv' }],
      outputFiles: [{ filePattern: 'out/*.onnx', destination: join(root, 'results', id) }],
      maxWallClockMs: 20_000,
    });
    await pool.submit(task('a', 'a', 'b'));
    await pool.submit(task('b', 'b', 'a'));
    const [a, b] = await Promise.all([pool.wait('a', 20_000), pool.wait('b', 20_000)]);
    for (const info of [a, b]) {
      expect(info).toMatchObject({ state: 'completed', result: 'success', exitCode: 0, attempts: 1 });
      expect(info.outputs).toEqual([join(root, 'results', info.id, 'out/model.onnx')]);
      expect(await readFile(info.outputs[0] as string, 'utf8')).toBe('x,label\n1,a\n');
    }
    expect((await pool.logs('a')).stdout).toBe('done a\n');
  });

  it('kills a task that exceeds its wall-clock time and reports TIMEOUT without retrying', async () => {
    const pool = new LocalPool({ root, slots: 1, killGraceMs: 200 });
    await pool.submit({
      id: 'slow',
      command: [node, '-e', "console.error('started'); setInterval(() => {}, 1000)"],
      maxWallClockMs: 500,
      maxRetries: 3,
    });
    const info = await pool.wait('slow', 10_000);
    expect(info).toMatchObject({ result: 'failure', attempts: 1, failure: { code: 'TIMEOUT' } });
    expect(() => requireSuccess(info)).toThrow(expect.objectContaining({ code: 'TIMEOUT' }) as PlatformError);
  });

  it('retries a failing task, then reports it with the tail of its stderr', async () => {
    const pool = new LocalPool({ root, slots: 1 });
    await pool.submit({
      id: 'broken',
      command: [node, '-e', "console.error('bad input: no label column'); process.exit(3)"],
      maxWallClockMs: 10_000,
      maxRetries: 2,
    });
    const info = await pool.wait('broken', 20_000);
    expect(info).toMatchObject({
      result: 'failure',
      attempts: 3,
      exitCode: 3,
      failure: { code: 'EXIT_CODE' },
    });
    expect(info.failure?.message).toContain('bad input: no label column');
    expect(info.stderrTail).toBe('bad input: no label column');
    let caught: unknown;
    try {
      requireSuccess(info);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlatformError);
    expect((caught as PlatformError).code).toBe('TASK_FAILED');
    expect((caught as PlatformError).details).toMatchObject({
      attempts: 3,
      stderrTail: 'bad input: no label column',
    });
  });

  it('treats a resubmission with the same spec as the same task and refuses path tricks', async () => {
    const pool = new LocalPool({ root, slots: 1 });
    const spec = { id: 'once', command: [node, '-e', ''], maxWallClockMs: 10_000 };
    const first = await pool.submit(spec);
    const again = await pool.submit(spec);
    expect(again.createdAt).toBe(first.createdAt);
    await expect(pool.submit({ ...spec, maxWallClockMs: 5000 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      pool.submit({ ...spec, id: 'escape', inputFiles: [{ source: '/etc/hostname', filePath: '../x' }] }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await pool.wait('once', 10_000);
  });
});

describe('local pool control', () => {
  it('terminates a running task and a queued one, and reports unknown ids as NOT_FOUND', async () => {
    const pool = new LocalPool({ root, slots: 1, killGraceMs: 200 });
    const forever = (id: string) => ({
      id,
      command: [node, '-e', 'setInterval(() => {}, 1000)'],
      maxWallClockMs: 60_000,
    });
    await pool.submit(forever('running'));
    await pool.submit(forever('queued'));
    await pool.terminate('queued');
    expect(await pool.get('queued')).toMatchObject({
      state: 'completed',
      attempts: 0,
      failure: { code: 'TERMINATED' },
    });
    const deadline = Date.now() + 10_000;
    while ((await pool.get('running')).state !== 'running' || (await pool.get('running')).attempts === 0) {
      if (Date.now() > deadline) throw new Error('task never started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await pool.terminate('running');
    expect(await pool.wait('running', 10_000)).toMatchObject({
      result: 'failure',
      failure: { code: 'TERMINATED' },
    });
    await expect(pool.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('collects outputs by upload condition and keeps task.json for a later pool process', async () => {
    const pool = new LocalPool({ root: join(root, 'tasks'), slots: 1 });
    const spec: TaskSpecInput = {
      id: 'fails',
      command: [
        node,
        '-e',
        "require('fs').mkdirSync('logs/deep',{recursive:true});require('fs').writeFileSync('logs/deep/trace.txt','t');process.exit(1)",
      ],
      outputFiles: [
        { filePattern: '**/*.txt', destination: join(root, 'on-failure'), uploadCondition: 'taskFailure' },
        { filePattern: '**/*.txt', destination: join(root, 'on-success') },
      ],
      maxWallClockMs: 10_000,
    };
    await pool.submit(spec);
    const info = await pool.wait('fails', 10_000);
    expect(info.outputs).toEqual([join(root, 'on-failure', 'logs/deep/trace.txt')]);
    const later = new LocalPool({ root: join(root, 'tasks'), slots: 1 });
    expect(await later.get('fails')).toMatchObject({ state: 'completed', result: 'failure', exitCode: 1 });
    expect(await later.wait('fails', 1000)).toMatchObject({ result: 'failure' });
    // Resubmitting the completed task to the new pool returns it instead of running it again.
    const again = await later.submit({ ...spec });
    expect(again).toEqual(info);
  });
});
