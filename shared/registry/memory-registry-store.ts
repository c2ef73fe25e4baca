// The registry in process memory: for unit tests and for a laptop without the Cosmos DB
// emulator. JavaScript runs each method body between awaits without interleaving, which gives
// it the same atomicity the Cosmos DB store gets from ETags.
import { systemClock, type Clock } from '../clock.js';
import {
  checkIfMatch,
  etagOf,
  planPromotion,
  planRollback,
  rollbackTarget,
  type AliasChange,
  type AliasRecord,
  type PromotionEvent,
} from './alias.js';
import { nodeId, type RecordedEdge } from './lineage.js';
import { defaultModelSpec, type ModelRecord, type ModelSpec } from './model-spec.js';
import {
  assertSameArtifact,
  versionRecord,
  type ModelVersion,
  type NewVersion,
  type Registration,
} from './model-version.js';
import {
  aliasNotFound,
  modelNotFound,
  runNotFound,
  servedVersionConflict,
  versionNotFound,
} from './registry-errors.js';
import { resolvedFrom, type RegistryStore, type ResolvedModel } from './registry-store.js';
import type { RunRecord } from './run-record.js';

interface ModelState {
  record: ModelRecord;
  revision: number;
  versions: ModelVersion[];
  versionByRun: Map<string, number>;
  aliases: Map<string, AliasRecord>;
  events: PromotionEvent[];
  runs: Map<string, RunRecord>;
  edges: Map<string, RecordedEdge>;
}

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryRegistryStore implements RegistryStore {
  private readonly models = new Map<string, ModelState>();

  constructor(private readonly clock: Clock = systemClock) {}

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private state(model: string): ModelState {
    const state = this.models.get(model);
    if (!state) throw modelNotFound(model);
    return state;
  }

  private create(name: string, spec: ModelSpec): ModelState {
    const now = this.now();
    const state: ModelState = {
      record: { name, spec, createdAt: now, updatedAt: now, etag: etagOf(1) },
      revision: 1,
      versions: [],
      versionByRun: new Map(),
      aliases: new Map(),
      events: [],
      runs: new Map(),
      edges: new Map(),
    };
    this.models.set(name, state);
    return state;
  }

  async putModel(
    name: string,
    spec: ModelSpec,
    options: { ifMatch?: string } = {},
  ): Promise<{ model: ModelRecord; created: boolean }> {
    const state = this.models.get(name);
    checkIfMatch(`Model ${name}`, state?.record, options.ifMatch);
    if (!state) return { model: clone(this.create(name, spec).record), created: true };
    state.revision += 1;
    state.record = { ...state.record, spec, updatedAt: this.now(), etag: etagOf(state.revision) };
    return { model: clone(state.record), created: false };
  }

  async getModel(name: string): Promise<ModelRecord> {
    return clone(this.state(name).record);
  }

  async listModels(): Promise<ModelRecord[]> {
    return [...this.models.values()]
      .map((state) => clone(state.record))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async registerVersion(input: NewVersion): Promise<Registration> {
    const state = this.models.get(input.model) ?? this.create(input.model, defaultModelSpec);
    const existing = state.versionByRun.get(input.runId);
    if (existing !== undefined) {
      const version = state.versions[existing - 1] as ModelVersion;
      assertSameArtifact(version, input);
      return { version: clone(version), created: false };
    }
    const version = versionRecord(input, state.versions.length + 1, this.now());
    state.versions.push(version);
    state.versionByRun.set(input.runId, version.version);
    return { version: clone(version), created: true };
  }

  async getVersion(model: string, version: number): Promise<ModelVersion> {
    const found = this.state(model).versions[version - 1];
    if (!found) throw versionNotFound(model, version);
    return clone(found);
  }

  async listVersions(model: string): Promise<ModelVersion[]> {
    return clone(this.state(model).versions);
  }

  async archiveVersion(model: string, version: number): Promise<ModelVersion> {
    const state = this.state(model);
    const found = state.versions[version - 1];
    if (!found) throw versionNotFound(model, version);
    const serving = [...state.aliases.values()]
      .filter((alias) => alias.version === version)
      .map((alias) => alias.name);
    if (serving.length > 0) throw servedVersionConflict(model, version, serving);
    if (found.archived) return clone(found);
    const archived: ModelVersion = { ...found, archived: true, archivedAt: this.now() };
    state.versions[version - 1] = archived;
    return clone(archived);
  }

  async getAlias(model: string, alias: string): Promise<AliasRecord> {
    const found = this.state(model).aliases.get(alias);
    if (!found) throw aliasNotFound(model, alias);
    return clone(found);
  }

  async listAliases(model: string): Promise<AliasRecord[]> {
    return [...this.state(model).aliases.values()].map(clone).sort((a, b) => a.name.localeCompare(b.name));
  }

  async promote(model: string, alias: string, version: number, change: AliasChange): Promise<AliasRecord> {
    const state = this.state(model);
    const target = state.versions[version - 1];
    if (!target) throw versionNotFound(model, version);
    return this.apply(state, planPromotion(state.aliases.get(alias), target, alias, change, this.now()));
  }

  async rollback(model: string, alias: string, change: AliasChange): Promise<AliasRecord> {
    const state = this.state(model);
    const current = state.aliases.get(alias);
    if (!current) throw aliasNotFound(model, alias);
    const target = state.versions[rollbackTarget(model, alias, current) - 1] as ModelVersion;
    return this.apply(state, planRollback(current, target, change, this.now()));
  }

  private apply(state: ModelState, plan: { alias: AliasRecord; event?: PromotionEvent }): AliasRecord {
    state.aliases.set(plan.alias.name, plan.alias);
    if (plan.event) state.events.push(plan.event);
    return clone(plan.alias);
  }

  async aliasHistory(model: string, alias: string): Promise<PromotionEvent[]> {
    const state = this.state(model);
    if (!state.aliases.has(alias)) throw aliasNotFound(model, alias);
    return clone(state.events.filter((event) => event.alias === alias));
  }

  async resolve(model: string, alias: string): Promise<ResolvedModel> {
    return resolvedFrom(await this.getAlias(model, alias));
  }

  async saveRun(run: RunRecord): Promise<RunRecord> {
    const state = this.models.get(run.model) ?? this.create(run.model, defaultModelSpec);
    state.runs.set(run.runId, clone(run));
    return clone(run);
  }

  async getRun(model: string, runId: string): Promise<RunRecord> {
    const found = this.state(model).runs.get(runId);
    if (!found) throw runNotFound(model, runId);
    return clone(found);
  }

  async listRuns(model: string): Promise<RunRecord[]> {
    return [...this.state(model).runs.values()]
      .map(clone)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  async recordLineage(model: string, edges: readonly RecordedEdge[]): Promise<void> {
    const state = this.state(model);
    for (const edge of edges)
      state.edges.set(`${nodeId(edge.from)} ${edge.kind} ${nodeId(edge.to)}`, clone(edge));
  }

  async recordedLineage(model: string): Promise<RecordedEdge[]> {
    return [...this.state(model).edges.values()].map(clone);
  }
}
