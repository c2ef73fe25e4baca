// Grows a round's class trees on several threads: worker threads and the main thread claim
// classes from a shared counter, each grows its classes' trees (class-trees.ts) on the shared
// buffers, and the main thread blocks until all are done. Which thread grows a class does not
// change its tree, so the model is the same for every thread count and scheduling. Training
// stays synchronous: the main thread waits with Atomics.wait and takes the workers' trees with
// receiveMessageOnPort, no event loop involved. A worker that has not started yet simply gets
// no class: the main thread claims them all.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ClassTreeGrower, type RoundSetup } from './class-trees.js';
import type { Tree } from './model.js';

/** Grows one round's trees, in class order, from the gradients and sample in the shared views. */
export interface RoundGrower {
  grow(sampleCount: number): Tree[];
  close(): void;
  /** Trees grown so far by worker threads rather than the calling one. */
  readonly workerTrees: number;
}

/** What a worker gets per training run: the run's setup and its control words. */
export interface WorkerSession {
  setup: RoundSetup;
  control: SharedArrayBuffer;
}

/** A worker's report of one class: its tree, or why growing it failed. */
export type WorkerResult = { job: number; tree: Tree } | { job: number; error: string };

// Control words. Jobs are numbered across rounds (round r's classes are r * outputs + c), so a
// thread can never claim a job of a round the main thread has not published yet.
export const control = {
  /** Rounds published (round r is published by storing r + 1); -1 ends the session. */
  published: 0,
  /** The next job to claim. */
  next: 1,
  /** Jobs finished. */
  done: 2,
  /** The published round's sample size. */
  sampleCount: 3,
  words: 4,
} as const;

/** Claims the next job below `end`, or returns -1 when there is none left. */
export function claimJob(words: Int32Array, end: number): number {
  for (;;) {
    const job = Atomics.load(words, control.next);
    if (job >= end) return -1;
    if (Atomics.compareExchange(words, control.next, job, job + 1) === job) return job;
  }
}

// Below this much histogram work per round (rows x features x classes) a round is too short for
// the hand-off to pay.
const minParallelWork = 1 << 20;

const configuredThreads = (): number => {
  const configured = Number(process.env.TRAINER_THREADS);
  return Number.isInteger(configured) && configured > 0 ? configured : availableParallelism();
};

/**
 * A grower for a training run: on the main thread alone for single-output models, small rounds,
 * one thread, or where the worker cannot be loaded (TypeScript sources under a test runner).
 */
export function roundGrower(setup: RoundSetup, threads = configuredThreads()): RoundGrower {
  const grower = new ClassTreeGrower(setup);
  const { data, outputs } = setup;
  const work = data.rowCount * data.valueBins.length * outputs;
  const helpers = Math.min(threads, outputs) - 1;
  if (helpers < 1 || work < minParallelWork || !workerFile.pathname.endsWith('.js')) {
    return {
      grow: (sampleCount) => Array.from({ length: outputs }, (_, c) => grower.grow(c, sampleCount)),
      close: () => undefined,
      workerTrees: 0,
    };
  }
  return new ThreadedRounds(setup, grower, workerPool(helpers));
}

class ThreadedRounds implements RoundGrower {
  private readonly words = new Int32Array(new SharedArrayBuffer(control.words * 4));
  private round = 0;
  workerTrees = 0;

  constructor(
    private readonly setup: RoundSetup,
    private readonly grower: ClassTreeGrower,
    private readonly ports: readonly MessagePort[],
  ) {
    const session: WorkerSession = { setup, control: this.words.buffer as SharedArrayBuffer };
    for (const port of ports) port.postMessage(session);
  }

  grow(sampleCount: number): Tree[] {
    const { words } = this;
    const k = this.setup.outputs;
    const first = this.round * k;
    const end = first + k;
    const trees: Tree[] = new Array<Tree>(k);
    Atomics.store(words, control.sampleCount, sampleCount);
    Atomics.store(words, control.published, ++this.round);
    Atomics.notify(words, control.published);
    for (let job = claimJob(words, end); job >= 0; job = claimJob(words, end)) {
      trees[job - first] = this.grower.grow(job - first, sampleCount);
      Atomics.add(words, control.done, 1);
    }
    for (let done = Atomics.load(words, control.done); done < end; done = Atomics.load(words, control.done))
      Atomics.wait(words, control.done, done);
    // Results arrive before their done count (a worker posts, then counts).
    const errors: string[] = [];
    for (const port of this.ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const result = m.message as WorkerResult;
        if ('error' in result) errors.push(result.error);
        else {
          trees[result.job - first] = result.tree;
          this.workerTrees += 1;
        }
      }
    }
    if (errors.length > 0) throw new Error(`A tree-growing worker failed: ${errors[0]}`);
    return trees;
  }

  close(): void {
    Atomics.store(this.words, control.published, -1);
    Atomics.notify(this.words, control.published);
  }
}

const workerFile = new URL('./tree-worker.js', import.meta.url);
const workers: { worker: Worker; port: MessagePort }[] = [];

/** Started once per process and kept (unreferenced: they never hold the process open). */
function workerPool(size: number): MessagePort[] {
  while (workers.length < size) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(workerFile, { workerData: { port: port2 }, transferList: [port2] });
    const entry = { worker, port: port1 };
    // A worker that fails to start claims nothing (the main thread grows its share); later
    // runs start another.
    worker.on('error', () => workers.splice(workers.indexOf(entry), 1));
    worker.unref();
    port1.unref();
    workers.push(entry);
  }
  return workers.slice(0, size).map((w) => w.port);
}
