// The registry's port. Every implementation (Cosmos DB, in memory) passes the same test suite
// and fails only with these PlatformError codes:
//   NOT_FOUND            unknown model, version, alias or run
//   CONFLICT             a replayed run with another artifact; an archived or missing target;
//                        archiving a version an alias serves; nothing to roll back to
//   PRECONDITION_FAILED  If-Match did not match the current ETag
//   DEPENDENCY_UNAVAILABLE  the database could not be reached
import type { AliasChange, AliasRecord, PromotionEvent } from './alias.js';
import type { RecordedEdge } from './lineage.js';
import type { ModelRecord, ModelSpec } from './model-spec.js';
import type { ArtifactRef, ModelVersion, NewVersion, Registration } from './model-version.js';
import type { RunRecord } from './run-record.js';

export interface ResolvedModel {
  readonly model: string;
  readonly alias: string;
  readonly version: number;
  readonly artifact: ArtifactRef;
  /** The alias's ETag: a cache may keep this answer while the alias still has it. */
  readonly etag: string;
}

export interface RegistryStore {
  /** Creates the model or replaces its spec; `ifMatch` guards the replacement. */
  putModel(
    name: string,
    spec: ModelSpec,
    options?: { ifMatch?: string },
  ): Promise<{ model: ModelRecord; created: boolean }>;
  getModel(name: string): Promise<ModelRecord>;
  listModels(): Promise<ModelRecord[]>;

  /**
   * Gives the next version number of the model (1, 2, 3, ... without gaps) to a new version;
   * the same run id again returns the version it already made. Creates the model with the
   * default spec when data arrived before anyone wrote one.
   */
  registerVersion(input: NewVersion): Promise<Registration>;
  getVersion(model: string, version: number): Promise<ModelVersion>;
  /** All versions, archived ones included, in version order. */
  listVersions(model: string): Promise<ModelVersion[]>;
  /** The only change a version ever sees. Refused while an alias serves the version. */
  archiveVersion(model: string, version: number): Promise<ModelVersion>;

  getAlias(model: string, alias: string): Promise<AliasRecord>;
  listAliases(model: string): Promise<AliasRecord[]>;
  promote(model: string, alias: string, version: number, change: AliasChange): Promise<AliasRecord>;
  /** Moves the alias back to the version it held before its last move. */
  rollback(model: string, alias: string, change: AliasChange): Promise<AliasRecord>;
  /** The promotion events of an alias, oldest first. */
  aliasHistory(model: string, alias: string): Promise<PromotionEvent[]>;
  /** Alias to artifact in one read: what a cold scoring instance asks. */
  resolve(model: string, alias: string): Promise<ResolvedModel>;

  saveRun(run: RunRecord): Promise<RunRecord>;
  getRun(model: string, runId: string): Promise<RunRecord>;
  listRuns(model: string): Promise<RunRecord[]>;

  /** Records lineage the registry cannot derive (batch outputs); recording twice is harmless. */
  recordLineage(model: string, edges: readonly RecordedEdge[]): Promise<void>;
  recordedLineage(model: string): Promise<RecordedEdge[]>;
}

export function resolvedFrom(alias: AliasRecord): ResolvedModel {
  return {
    model: alias.model,
    alias: alias.name,
    version: alias.version,
    artifact: alias.artifact,
    etag: alias.etag,
  };
}
