// What the console reads. Registry shapes come from the registry's own types (erased at build);
// runs, monitoring and batch follow DESIGN.md section 4, with fields beyond it read when present.
import type { AliasRecord, PromotionEvent } from '../../shared/registry/alias.js';
import type { LineageGraph, LineageNode } from '../../shared/registry/lineage.js';
import type { ModelRecord } from '../../shared/registry/model-spec.js';
import type { ModelVersion } from '../../shared/registry/model-version.js';
import type { GateReport } from '../../shared/pipeline/gate.js';
import type { BatchManifest } from '../../shared/batch/batch-manifest.js';

export type {
  AliasRecord,
  BatchManifest,
  GateReport,
  LineageGraph,
  LineageNode,
  ModelRecord,
  ModelVersion,
  PromotionEvent,
};

export type ModelDetail = ModelRecord & { aliases: AliasRecord[]; latestVersion: number | null };
export type AliasDetail = AliasRecord & { history: PromotionEvent[] };

export type RunStatus = 'pending' | 'running' | 'awaiting-approval' | 'succeeded' | 'rejected' | 'failed';

export interface RunStep {
  name: string;
  status: string;
  startedAt?: string;
  endedAt?: string;
  detail?: unknown;
}

export type Metrics = Record<string, number | null>;

export interface Run {
  runId: string;
  model: string;
  status: RunStatus;
  startedAt?: string;
  endedAt?: string;
  cause?: { kind: 'upload' } | { kind: 'drift'; alertId: string };
  dataset?: { uri?: string; sha256?: string; rows?: number };
  steps?: RunStep[];
  metrics?: Metrics;
  champion?: { version?: number; metrics?: Metrics } | null;
  version?: number | null;
  alias?: string | null;
  /** Why the run ended as it did, in one sentence. */
  reason?: string;
  report?: Partial<GateReport> & Record<string, unknown>;
  error?: { code?: string; message?: string } & Record<string, unknown>;
}

export interface Histogram {
  /** Bin labels: category names, or ranges of a numeric feature. */
  labels?: string[];
  edges?: number[];
  baseline: number[];
  window: number[];
}

export interface FeatureDrift {
  name: string;
  metric: string;
  value: number;
  threshold: number;
  drifted: boolean;
  /** Every metric of the column's type; the top-level one decides. */
  metrics?: { metric: string; value: number; threshold: number; drifted: boolean }[];
  histogram?: Histogram;
}

export interface DriftCheck {
  model: string;
  version: number;
  checkedAt?: string;
  status?: 'drift' | 'no-drift' | 'insufficient-data';
  reason?: string;
  window: { from: string; to: string; rows: number; requests?: number; batch?: number };
  features: FeatureDrift[];
  prediction?: Partial<FeatureDrift> | null;
  drifted: boolean;
  alert?: unknown;
}

/** A batch run as the runs route shows it: live progress while it runs, its manifest once done. */
export interface BatchRun {
  runId: string;
  model: string;
  partition: string;
  version: number;
  status: 'running' | 'succeeded' | 'failed';
  progress?: {
    files: number;
    filesDone: number;
    filesFailed: number;
    rows: number;
    scored: number;
    rejected: number;
  };
  manifest?: BatchManifest;
  reason?: string;
  createdAt?: string;
  updatedAt?: string;
}
