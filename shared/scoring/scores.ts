// What scoring produces and what its observers (rollback statistics, capture) are told.
import type { Table } from '../data/table.js';
import type { ModelInterface } from '../ml/model-interface.js';
import type { ServingPolicy } from '../serving/serving-policy.js';

export interface Scores {
  /** Classification: the predicted class per row. */
  readonly labels?: readonly string[];
  /** Classification: [rows, classes] row-major, in the order of the model's classes. */
  readonly probabilities?: Float32Array;
  /** Regression: one value per row. */
  readonly values?: Float32Array;
}

export interface Scored {
  readonly model: string;
  readonly version: number;
  /** Absent when the request pinned a version. */
  readonly alias?: string;
  readonly meta: ModelInterface;
  readonly table: Table;
  readonly scores: Scores;
}

/** What observers hear about every request that reached a model (bad input does not). */
export interface ScoreEvent {
  readonly at: number;
  readonly model: string;
  readonly version: number;
  readonly alias?: string;
  readonly requestId: string;
  readonly ms: number;
  readonly shadow: boolean;
  /** Present when the model answered. */
  readonly scored?: Scored;
  readonly policy: ServingPolicy;
  /** The model's deployment alias: the one a split's challengers are measured against. */
  readonly defaultAlias: string;
}

export type ScoreObserver = (event: ScoreEvent) => void;
