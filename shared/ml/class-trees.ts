// A boosting round's work in pieces any thread can do: the gradients of a chunk of rows, and
// the tree of one output (class), a pure function of that class's gradients and the round's
// row sample and feature mask. The buffers live in SharedArrayBuffers so that worker threads
// (tree-threads.ts) can take some pieces while the main thread takes the others: whichever
// thread does a piece, the result is the same.
import { growTree, type BinnedData, type TreeLimits } from './grow-tree.js';
import { HistogramBuilder, HistogramPool, histogramSize } from './histogram.js';
import type { Task, Tree } from './model.js';
import { objectiveFor, type Objective } from './objectives.js';
import { leafOfBinned } from './predict-tree.js';

// Rows per gradient piece. The training loss is the sum of the pieces' parts in order, so it is
// the same for any thread count.
export const gradientChunkRows = 4096;

/** What every thread of a training run shares: plain data, cloneable to a worker (memory stays shared). */
export interface RoundSetup {
  task: Task;
  classCount: number;
  data: BinnedData;
  validation: { bins: Uint8Array; rows: number } | null;
  outputs: number;
  limits: TreeLimits;
  /**
   * grad, hess and step: `outputs` rows of data.rowCount; validStep: `outputs` rows of
   * validation rows; scores: row-major, `outputs` per row; y: the target; lossParts: one per
   * gradient piece.
   */
  buffers: {
    grad: SharedArrayBuffer;
    hess: SharedArrayBuffer;
    step: SharedArrayBuffer;
    validStep: SharedArrayBuffer;
    scores: SharedArrayBuffer;
    y: SharedArrayBuffer;
    lossParts: SharedArrayBuffer;
  };
  /** The round's row sample (sorted row ids) and feature mask, written by the main thread. */
  sample: SharedArrayBuffer;
  featureMask: SharedArrayBuffer;
}

export interface RoundViews {
  scores: Float64Array;
  y: Float64Array;
  lossParts: Float64Array;
  /** Per output: gradients and hessians at the current scores, and the round's tree output per row. */
  grad: Float64Array[];
  hess: Float64Array[];
  step: Float64Array[];
  validStep: Float64Array[] | null;
  sample: Uint32Array;
  featureMask: Uint8Array;
}

/** A setup over fresh shared buffers; bins not already shared are copied into shared memory. */
export function roundSetup(
  task: Task,
  classCount: number,
  data: BinnedData,
  y: Float64Array,
  validation: RoundSetup['validation'],
  limits: TreeLimits,
): RoundSetup {
  const n = data.rowCount;
  const outputs = objectiveFor(task, classCount).outputs;
  const perOutput = (rows: number): SharedArrayBuffer => new SharedArrayBuffer(outputs * rows * 8);
  const target = new SharedArrayBuffer(n * 8);
  new Float64Array(target).set(y);
  return {
    task,
    classCount,
    data: { ...data, bins: shared(data.bins) },
    validation: validation && { bins: shared(validation.bins), rows: validation.rows },
    outputs,
    limits,
    buffers: {
      grad: perOutput(n),
      hess: perOutput(n),
      step: perOutput(n),
      validStep: perOutput(validation?.rows ?? 0),
      scores: perOutput(n),
      y: target,
      lossParts: new SharedArrayBuffer(gradientChunks(n) * 8),
    },
    sample: new SharedArrayBuffer(n * 4),
    featureMask: new SharedArrayBuffer(data.valueBins.length),
  };
}

export function roundViews(setup: RoundSetup): RoundViews {
  const n = setup.data.rowCount;
  const rowsOf = (buffer: SharedArrayBuffer, rows: number): Float64Array[] =>
    Array.from({ length: setup.outputs }, (_, c) => new Float64Array(buffer, c * rows * 8, rows));
  return {
    scores: new Float64Array(setup.buffers.scores),
    y: new Float64Array(setup.buffers.y),
    lossParts: new Float64Array(setup.buffers.lossParts),
    grad: rowsOf(setup.buffers.grad, n),
    hess: rowsOf(setup.buffers.hess, n),
    step: rowsOf(setup.buffers.step, n),
    validStep: setup.validation ? rowsOf(setup.buffers.validStep, setup.validation.rows) : null,
    sample: new Uint32Array(setup.sample),
    featureMask: new Uint8Array(setup.featureMask),
  };
}

export const gradientChunks = (rows: number): number => Math.ceil(rows / gradientChunkRows);

function shared(bins: Uint8Array): Uint8Array {
  if (bins.buffer instanceof SharedArrayBuffer) return bins;
  const copy = new Uint8Array(new SharedArrayBuffer(bins.length));
  copy.set(bins);
  return copy;
}

/** One thread's working memory for a round's pieces: histograms, row order, softmax scratch. */
export class ClassTreeGrower {
  private readonly views: RoundViews;
  private readonly objective: Objective;
  private readonly histograms: { builder: HistogramBuilder; pool: HistogramPool };
  private readonly rows: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly identity: Uint32Array;

  constructor(private readonly setup: RoundSetup) {
    const { data } = setup;
    const n = data.rowCount;
    const features = data.valueBins.length;
    this.views = roundViews(setup);
    this.objective = objectiveFor(setup.task, setup.classCount);
    this.histograms = {
      builder: new HistogramBuilder(data.bins, n, features, data.valueBins),
      pool: new HistogramPool(histogramSize(features)),
    };
    this.rows = new Uint32Array(n);
    this.scratch = new Uint32Array(n);
    this.identity = Uint32Array.from({ length: n }, (_, r) => r);
  }

  /** Gradients and hessians of piece `chunk`'s rows at the shared scores; its loss part to lossParts. */
  gradients(chunk: number): void {
    const { scores, y, grad, hess, lossParts } = this.views;
    const from = chunk * gradientChunkRows;
    const to = Math.min(y.length, from + gradientChunkRows);
    lossParts[chunk] = this.objective.gradientsOf(scores, y, grad, hess, from, to);
  }

  /**
   * Grows output c's tree on the first `sampleCount` rows of the shared sample (all rows when
   * sampleCount is the row count) and writes its output per training and validation row into
   * step[c] and validStep[c].
   */
  grow(c: number, sampleCount: number): Tree {
    const { data, validation, limits } = this.setup;
    const { grad, hess, step, validStep, sample, featureMask } = this.views;
    const n = data.rowCount;
    const sampled = sampleCount < n;
    // Each output's tree partitions its own copy of the row order.
    this.rows.set(sampled ? sample.subarray(0, sampleCount) : this.identity);
    const grown = growTree(
      data,
      grad[c] as Float64Array,
      hess[c] as Float64Array,
      this.rows,
      sampleCount,
      featureMask,
      limits,
      this.histograms,
      this.scratch,
    );
    const out = step[c] as Float64Array;
    if (sampled) {
      for (let r = 0; r < n; r++) out[r] = leafOfBinned(grown.tree, data.bins, n, r);
    } else {
      for (const { start, end, value } of grown.leafRanges) {
        for (let i = start; i < end; i++) out[this.rows[i] as number] = value;
      }
    }
    if (validation && validStep) {
      const validOut = validStep[c] as Float64Array;
      for (let r = 0; r < validation.rows; r++)
        validOut[r] = leafOfBinned(grown.tree, validation.bins, validation.rows, r);
    }
    return grown.tree;
  }
}
