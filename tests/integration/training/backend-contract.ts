// The training backend contract: what the pipeline may rely on whichever backend runs its
// tasks. Each backend test file runs this suite over its own harness.
import { beforeAll, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../shared/errors.js';
import type { TaskSpecInput, TrainingBackend } from '../../../shared/training/backend.js';
import { requireSuccess } from '../../../shared/training/task-outcome.js';

export interface BackendHarness {
  backend: TrainingBackend;
  /** Stores content as an input the backend can stage (a path locally, a blob URL for Batch). */
  input(name: string, content: string): Promise<string>;
  /** A fresh output destination folder. */
  destination(name: string): string;
  /** Where a file at `path` (relative to the working folder) lands under a destination. */
  landed(destination: string, path: string): string;
  read(location: string): Promise<string>;
}

const node = process.execPath;
const js = (script: string): string[] => [node, '-e', script];
let n = 0;
const fresh = (name: string): string => `${name}-${Date.now().toString(36)}-${(n += 1)}`;

export function backendContract(name: string, open: () => Promise<BackendHarness>): void {
  describe(`${name}: training backend contract`, () => {
    let h: BackendHarness;
    beforeAll(async () => {
      h = await open();
    });

    it('stages inputs, runs the command with its environment, and collects outputs by upload condition', async () => {
      const source = await h.input('train.csv', 'x,label\n1,a\n');
      const destination = h.destination(fresh('out'));
      const spec: TaskSpecInput = {
        id: fresh('ok'),
        command: js(
          "const fs=require('fs');fs.mkdirSync('out/sub',{recursive:true});" +
            "fs.writeFileSync('out/model.onnx',fs.readFileSync('data/train.csv'));" +
            "fs.writeFileSync('out/sub/metrics.json',process.env.TRAINER_MODE);console.log('trained ' + process.env.TRAINER_MODE)",
        ),
        environment: { TRAINER_MODE: 'it"s quoted $HOME' },
        inputFiles: [{ source, filePath: 'data/train.csv' }],
        outputFiles: [
          { filePattern: 'out/**', destination },
          {
            filePattern: 'out/model.onnx',
            destination: `${destination}-failure`,
            uploadCondition: 'taskFailure',
          },
        ],
        maxWallClockMs: 60_000,
      };
      const submitted = await h.backend.submit(spec);
      expect(submitted.id).toBe(spec.id);
      expect(['active', 'running', 'completed']).toContain(submitted.state);
      const info = requireSuccess(await h.backend.wait(spec.id, 60_000));
      expect(info).toMatchObject({ state: 'completed', result: 'success', exitCode: 0, attempts: 1 });
      expect(info.outputs).toEqual([
        h.landed(destination, 'out/model.onnx'),
        h.landed(destination, 'out/sub/metrics.json'),
      ]);
      expect(await h.read(info.outputs[0]!)).toBe('x,label\n1,a\n');
      expect(await h.read(info.outputs[1]!)).toBe('it"s quoted $HOME');
      expect((await h.backend.logs(spec.id)).stdout).toBe('trained it"s quoted $HOME\n');
      // A replayed activity submits again: same task, no second run; a different spec is refused.
      expect(await h.backend.submit(spec)).toMatchObject({ id: spec.id, state: 'completed', attempts: 1 });
      await expect(h.backend.submit({ ...spec, maxRetries: 2 })).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('retries a failing command, then fails with its exit code, stderr tail and failure outputs', async () => {
      const destination = h.destination(fresh('failed'));
      const id = fresh('broken');
      await h.backend.submit({
        id,
        command: js(
          "require('fs').writeFileSync('partial.log','half');console.error('bad input: no label column');process.exit(3)",
        ),
        outputFiles: [{ filePattern: '*.log', destination, uploadCondition: 'taskFailure' }],
        maxWallClockMs: 60_000,
        maxRetries: 1,
      });
      const info = await h.backend.wait(id, 60_000);
      expect(info).toMatchObject({
        result: 'failure',
        attempts: 2,
        exitCode: 3,
        failure: { code: 'EXIT_CODE' },
      });
      expect(info.stderrTail).toBe('bad input: no label column');
      expect(info.failure?.message).toContain('bad input: no label column');
      expect(info.outputs).toEqual([h.landed(destination, 'partial.log')]);
      expect(() => requireSuccess(info)).toThrow(
        expect.objectContaining({ code: 'TASK_FAILED' }) as PlatformError,
      );
    });

    it('ends a task at its wall-clock limit as TIMEOUT, and a terminated one as TERMINATED', async () => {
      const slow = fresh('slow');
      await h.backend.submit({
        id: slow,
        command: js('setInterval(() => {}, 1000)'),
        maxWallClockMs: 1000,
        maxRetries: 2,
      });
      const timedOut = await h.backend.wait(slow, 30_000);
      expect(timedOut).toMatchObject({ result: 'failure', attempts: 1, failure: { code: 'TIMEOUT' } });
      expect(() => requireSuccess(timedOut)).toThrow(
        expect.objectContaining({ code: 'TIMEOUT' }) as PlatformError,
      );

      const stuck = fresh('stuck');
      await h.backend.submit({
        id: stuck,
        command: js("console.log('up');setInterval(() => {}, 1000)"),
        maxWallClockMs: 60_000,
      });
      await expect(h.backend.wait(stuck, 300)).rejects.toMatchObject({ code: 'TIMEOUT' });
      await h.backend.terminate(stuck);
      expect(await h.backend.wait(stuck, 30_000)).toMatchObject({
        result: 'failure',
        failure: { code: 'TERMINATED' },
      });
      await h.backend.terminate(stuck);
    });

    it('answers NOT_FOUND for an unknown task and INVALID_INPUT for a bad spec', async () => {
      await expect(h.backend.get('no-such-task')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        h.backend.submit({ id: 'bad id!', command: ['x'], maxWallClockMs: 1 }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    });
  });
}
