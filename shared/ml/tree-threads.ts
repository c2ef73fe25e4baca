// Runs a round's pieces (class-trees.ts) on several threads: the main thread publishes a batch
// of jobs (the gradient pieces, then the class trees), worker threads and the main thread claim
// jobs from a shared counter, and the main thread blocks until all are done. Which thread does a
// job does not change its result, so the model is the same for every thread count and
// scheduling. Training stays synchronous: the main thread waits with Atomics.wait and takes the
// workers' trees with receiveMessageOnPort, no event loop involved. A worker that has not
// started yet simply gets no job: the main thread claims them all.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ClassTreeGrower, gradientChunks, type RoundSetup } from './class-trees.js';
import type { Tree } from './model.js';
import { objectiveFor } from './objectives.js';

/** A round's work on the shared views (see roundViews). */
export interface RoundGrower {
  /** Fills the gradients and hessians at the shared scores; returns the training loss. */
  gradients(): number;
  /** Grows the round's trees, in class order, from the gradients, sample and feature mask. */
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

/** A worker's report of one job: a class's tree (null for a gradient piece), or why it failed. */
export type WorkerResult = { job: number; tree: Tree | null } | { job: number; error: string };

// Control words. Jobs are numbered across batches, and a batch's words are written before it
// is published and stay until all its jobs are done, so a thread that claims a job below the
// batch's end reads that batch's words.
export const control = {
  /** Batches published; -1 ends the session. */
  published: 0,
  /** The next job to claim. */
  next: 1,
  /** Jobs finished. */
  done: 2,
  /** The batch's first job and the job after its last. */
  first: 3,
  end: 4,
  /** What its jobs are (a jobKind) and, for trees, the round's sample size. */
  kind: 5,
  sampleCount: 6,
  words: 7,
} as const;

export const jobKind = { gradients: 0, trees: 1 } as const;

/** Claims the next job of the published batch, or returns -1 when there is none left. */
export function claimJob(words: Int32Array): number {
  for (;;) {
    const job = Atomics.load(words, control.next);
    if (job >= Atomics.load(words, control.end)) return -1;
    if (Atomics.compareExchange(words, control.next, job, job + 1) === job) return job;
  }
}

/** Does job `job` of the published batch; a tree job returns its tree. */
export function runJob(grower: ClassTreeGrower, words: Int32Array, job: number): Tree | null {
  const index = job - Atomics.load(words, control.first);
  if (Atomics.load(words, control.kind) === jobKind.gradients) {
    grower.gradients(index);
    return null;
  }
  return grower.grow(index, Atomics.load(words, control.sampleCount));
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
  const chunks = gradientChunks(data.rowCount);
  const work = data.rowCount * data.valueBins.length * outputs;
  const helpers = Math.min(threads, outputs) - 1;
  if (helpers < 1 || work < minParallelWork || !import.meta.url.endsWith('.js')) {
    return {
      gradients: () => {
        for (let chunk = 0; chunk < chunks; chunk++) grower.gradients(chunk);
        return trainingLoss(setup);
      },
      grow: (sampleCount) => Array.from({ length: outputs }, (_, c) => grower.grow(c, sampleCount)),
      close: () => undefined,
      workerTrees: 0,
    };
  }
  return new ThreadedRounds(setup, grower, workerPool(helpers));
}

/** The sum of the gradient pieces' loss parts, in piece order, made the loss. */
function trainingLoss(setup: RoundSetup): number {
  const parts = new Float64Array(setup.buffers.lossParts);
  let sum = 0;
  for (const part of parts) sum += part;
  return objectiveFor(setup.task, setup.classCount).lossOf(sum, setup.data.rowCount);
}

class ThreadedRounds implements RoundGrower {
  private readonly words = new Int32Array(new SharedArrayBuffer(control.words * 4));
  private batches = 0;
  workerTrees = 0;

  constructor(
    private readonly setup: RoundSetup,
    private readonly grower: ClassTreeGrower,
    private readonly ports: readonly MessagePort[],
  ) {
    const session: WorkerSession = { setup, control: this.words.buffer as SharedArrayBuffer };
    for (const port of ports) port.postMessage(session);
  }

  gradients(): number {
    this.run(jobKind.gradients, gradientChunks(this.setup.data.rowCount), 0);
    return trainingLoss(this.setup);
  }

  grow(sampleCount: number): Tree[] {
    const k = this.setup.outputs;
    const trees: Tree[] = new Array<Tree>(k);
    const first = this.run(jobKind.trees, k, sampleCount, (index, tree) => (trees[index] = tree));
    // Results arrive before their done count (a worker posts, then counts).
    const errors: string[] = [];
    for (const port of this.ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const result = m.message as WorkerResult;
        if ('error' in result) errors.push(result.error);
        else if (result.tree) {
          trees[result.job - first] = result.tree;
          this.workerTrees += 1;
        }
      }
    }
    if (errors.length > 0) throw new Error(`A training worker thread failed: ${errors[0]}`);
    return trees;
  }

  /** Publishes a batch of `count` jobs, takes its share, waits for the rest; returns the first job. */
  private run(
    kind: number,
    count: number,
    sampleCount: number,
    onTree?: (index: number, tree: Tree) => void,
  ): number {
    const { words } = this;
    const first = Atomics.load(words, control.next);
    const end = first + count;
    Atomics.store(words, control.first, first);
    Atomics.store(words, control.kind, kind);
    Atomics.store(words, control.sampleCount, sampleCount);
    Atomics.store(words, control.end, end);
    Atomics.store(words, control.published, ++this.batches);
    Atomics.notify(words, control.published);
    for (let job = claimJob(words); job >= 0; job = claimJob(words)) {
      const tree = runJob(this.grower, words, job);
      if (tree) onTree?.(job - first, tree);
      Atomics.add(words, control.done, 1);
    }
    for (let done = Atomics.load(words, control.done); done < end; done = Atomics.load(words, control.done))
      Atomics.wait(words, control.done, done);
    return first;
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
