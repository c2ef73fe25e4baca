// Worker thread of tree-threads.ts: per training run it receives the shared setup, then does
// the jobs it claims in each published batch until the run ends.
import { workerData, type MessagePort } from 'node:worker_threads';
import { ClassTreeGrower } from './class-trees.js';
import { claimJob, control, runJob, type WorkerResult, type WorkerSession } from './tree-threads.js';

const port = (workerData as { port: MessagePort }).port;
port.on('message', (session: WorkerSession) => serve(session));

function serve({ setup, control: buffer }: WorkerSession): void {
  const words = new Int32Array(buffer);
  let grower: ClassTreeGrower | undefined;
  for (let seen = 0; ;) {
    Atomics.wait(words, control.published, seen);
    seen = Atomics.load(words, control.published);
    if (seen < 0) return;
    for (let job = claimJob(words); job >= 0; job = claimJob(words)) {
      let result: WorkerResult;
      try {
        grower ??= new ClassTreeGrower(setup);
        result = { job, tree: runJob(grower, words, job) };
      } catch (error) {
        result = { job, error: error instanceof Error ? error.message : String(error) };
      }
      // Gradient pieces report only failures: their results are in shared memory.
      if (!('tree' in result) || result.tree !== null) port.postMessage(result);
      Atomics.add(words, control.done, 1);
      Atomics.notify(words, control.done);
    }
  }
}
