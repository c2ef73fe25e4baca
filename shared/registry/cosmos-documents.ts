// How registry records sit in the one Cosmos DB container: every document of a model lives in
// the model's logical partition (`/model`), with an id that says what it is. Ids are built
// with `~`, a character no model, alias or run id may contain, so no two kinds can collide.
import type { AliasRecord, PromotionEvent } from './alias.js';
import type { RecordedEdge } from './lineage.js';
import type { ModelSpec } from './model-spec.js';
import type { ModelVersion } from './model-version.js';
import type { RunRecord } from './run-record.js';

export const registryContainerId = 'registry';
export const partitionKeyPath = '/model';

/**
 * Only the properties queries filter on are indexed: everything else (signatures, metrics,
 * trainer parameters, specs) is read by point reads or whole-partition queries, and leaving it
 * out of the index keeps writes cheap however large a version record grows.
 */
export const registryIndexingPolicy = {
  indexingMode: 'consistent' as const,
  automatic: true,
  includedPaths: [{ path: '/model/?' }, { path: '/type/?' }, { path: '/alias/?' }, { path: '/from/?' }],
  excludedPaths: [{ path: '/*' }],
};

interface Base {
  id: string;
  model: string;
}

export interface ModelDocument extends Base {
  type: 'model';
  spec: ModelSpec;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The per-model version counter and the registration it last committed. Replacing it under
 * its ETag is the one atomic step of a registration; the version and run-pointer documents
 * are written after it, and any later reader finishes them if the writer stopped in between.
 */
export interface SequenceDocument extends Base {
  type: 'sequence';
  last: number;
  pending: ModelVersion;
}

export interface VersionDocument extends Base {
  type: 'version';
  data: ModelVersion;
}

/** Run id → version: what makes a replayed registration find its version in one read. */
export interface RunVersionDocument extends Base {
  type: 'run-version';
  version: number;
}

/** The alias and the event of its last move, finished into a promotion document by whoever reads it next. */
export interface AliasDocument extends Base {
  type: 'alias';
  alias: string;
  data: AliasRecord;
  event: PromotionEvent;
}

export interface PromotionDocument extends Base {
  type: 'promotion';
  alias: string;
  data: PromotionEvent;
}

export interface RunDocument extends Base {
  type: 'run';
  data: RunRecord;
}

export interface EdgeDocument extends Base {
  type: 'edge';
  from: string;
  data: RecordedEdge;
}

export const documentId = {
  model: () => 'model',
  sequence: () => 'sequence',
  version: (version: number) => `version~${version}`,
  runVersion: (runId: string) => `run-version~${runId}`,
  alias: (alias: string) => `alias~${alias}`,
  promotion: (alias: string, revision: number) => `promotion~${alias}~${revision}`,
  run: (runId: string) => `run~${runId}`,
  edge: (key: string) => `edge~${key}`,
};

export function versionDocument(version: ModelVersion): VersionDocument {
  return { id: documentId.version(version.version), model: version.model, type: 'version', data: version };
}

export function promotionDocument(event: PromotionEvent): PromotionDocument {
  return {
    id: documentId.promotion(event.alias, event.revision),
    model: event.model,
    type: 'promotion',
    alias: event.alias,
    data: event,
  };
}
