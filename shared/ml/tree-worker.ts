// Worker thread of tree-threads.ts: per training run it receives the shared setup, then grows
// the classes it claims in each published round until the run ends.
import { workerData, type MessagePort } from 'node:worker_threads';
import { ClassTreeGrower } from './class-trees.js';
import { claimJob, control, type WorkerResult, type WorkerSession } from './tree-threads.js';

const port = (workerData as { port: MessagePort }).port;
port.on('message', (session: WorkerSession) => serve(session));

function serve({ setup, control: buffer }: WorkerSession): void {
  const words = new Int32Array(buffer);
  const k = setup.outputs;
  let grower: ClassTreeGrower | undefined;
  for (let seen = 0; ;) {
    Atomics.wait(words, control.published, seen);
    const published = Atomics.load(words, control.published);
    if (published < 0) return;
    seen = published;
    const first = (published - 1) * k;
    for (let job = claimJob(words, first + k); job >= 0; job = claimJob(words, first + k)) {
      // Read after claiming: the round cannot move on while this job is unfinished.
      const sampleCount = Atomics.load(words, control.sampleCount);
      let result: WorkerResult;
      try {
        grower ??= new ClassTreeGrower(setup);
        result = { job, tree: grower.grow(job - first, sampleCount) };
      } catch (error) {
        result = { job, error: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(result);
      Atomics.add(words, control.done, 1);
      Atomics.notify(words, control.done);
    }
  }
}
