// The registry on Azure Cosmos DB (or the local emulator). Every model is one logical
// partition. Writes are compare-and-swap on ETags; where a change touches two documents, the
// ETag-guarded document carries the whole change and the other document is written after it
// with a deterministic id, so a crash in between is finished by the next reader instead of
// leaving a gap, a duplicate or a lost audit event. (A transactional batch would do this in
// one call on Azure, but the local emulator applies batches without rollback; this way the
// tests prove what runs in production.)
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Container, CosmosClient, ItemDefinition, SqlParameter } from '@azure/cosmos';
import { PlatformError } from '../errors.js';
import { systemClock, type Clock } from '../clock.js';
import { storageError, storageStatus } from '../storage-status.js';
import {
  checkIfMatch,
  etagOf,
  planPromotion,
  planRollback,
  rollbackTarget,
  type AliasChange,
  type AliasPlan,
  type AliasRecord,
  type PromotionEvent,
} from './alias.js';
import {
  documentId,
  partitionKeyPath,
  promotionDocument,
  registryContainerId,
  registryIndexingPolicy,
  versionDocument,
  type AliasDocument,
  type EdgeDocument,
  type ModelDocument,
  type PromotionDocument,
  type RunDocument,
  type RunVersionDocument,
  type SequenceDocument,
  type VersionDocument,
} from './cosmos-documents.js';
import { KeyedQueue } from './keyed-queue.js';
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

type Stored<T> = T & { _etag: string };

/** Enough for 20+ writers racing on one model; each lost race costs one read and one write. */
const maxAttempts = 100;

/** A lost compare-and-swap (412) or create race (409): read again and retry. */
function lostRace(error: unknown): boolean {
  const status = storageStatus(error);
  return status === 409 || status === 412;
}

const databaseError = (error: unknown) => storageError(error, 'The registry database');

/** Full-jitter exponential backoff: losers spread out instead of racing again in lockstep. */
const backoff = (attempt: number) => delay(Math.random() * Math.min(500, 5 * 2 ** attempt));

export class CosmosRegistryStore implements RegistryStore {
  private readonly registrations = new KeyedQueue();

  private constructor(
    private readonly container: Container,
    private readonly clock: Clock,
  ) {}

  /** Opens the registry, creating the database and its container when they are missing. */
  static async open(
    client: CosmosClient,
    databaseId: string,
    clock: Clock = systemClock,
  ): Promise<CosmosRegistryStore> {
    try {
      const { database } = await client.databases.createIfNotExists({ id: databaseId });
      const { container } = await database.containers.createIfNotExists({
        id: registryContainerId,
        partitionKey: { paths: [partitionKeyPath] },
        indexingPolicy: registryIndexingPolicy,
      });
      return new CosmosRegistryStore(container, clock);
    } catch (error) {
      throw databaseError(error);
    }
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private async read<T extends ItemDefinition>(model: string, id: string): Promise<Stored<T> | undefined> {
    try {
      const { resource } = await this.container.item(id, model).read<Stored<T>>();
      return resource;
    } catch (error) {
      throw databaseError(error);
    }
  }

  /** Single-partition query; the model filter is explicit because the emulator ignores the partition option. */
  private async query<T>(
    model: string,
    type: string,
    extra = '',
    parameters: SqlParameter[] = [],
  ): Promise<Stored<T>[]> {
    try {
      const { resources } = await this.container.items
        .query<Stored<T>>(
          {
            query: `SELECT * FROM c WHERE c.model = @model AND c.type = @type${extra}`,
            parameters: [{ name: '@model', value: model }, { name: '@type', value: type }, ...parameters],
          },
          { partitionKey: model },
        )
        .fetchAll();
      return resources;
    } catch (error) {
      throw databaseError(error);
    }
  }

  /** Creates a document whose content is fixed by its id; one that already exists is the same write done before. */
  private async createOnce(document: ItemDefinition): Promise<void> {
    try {
      await this.container.items.create(document);
    } catch (error) {
      if (storageStatus(error) !== 409) throw databaseError(error);
    }
  }

  /** Writes `next` over `current` (or creates it) only if nobody else wrote in between; false when someone did. */
  private async swap(current: Stored<ItemDefinition> | undefined, next: ItemDefinition): Promise<boolean> {
    try {
      if (current)
        await this.container
          .item(current.id as string, next.model as string)
          .replace(next, { accessCondition: { type: 'IfMatch', condition: current._etag } });
      else await this.container.items.create(next);
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw databaseError(error);
    }
  }

  private async retrying<T>(
    what: string,
    details: Record<string, unknown>,
    attempt: () => Promise<T | undefined>,
  ): Promise<T> {
    for (let round = 0; round < maxAttempts; round += 1) {
      const result = await attempt();
      if (result !== undefined) return result;
      await backoff(round);
    }
    throw new PlatformError(
      'DEPENDENCY_UNAVAILABLE',
      `${what} kept losing to concurrent writers; retry later.`,
      details,
    );
  }

  private async modelDocument(name: string): Promise<Stored<ModelDocument>> {
    const document = await this.read<ModelDocument>(name, documentId.model());
    if (!document) throw modelNotFound(name);
    return document;
  }

  private toModel(document: ModelDocument): ModelRecord {
    return {
      name: document.model,
      spec: document.spec,
      createdAt: document.createdAt,
      updatedAt: document.updatedAt,
      etag: etagOf(document.revision),
    };
  }

  async putModel(
    name: string,
    spec: ModelSpec,
    options: { ifMatch?: string } = {},
  ): Promise<{ model: ModelRecord; created: boolean }> {
    return this.retrying(`Writing model ${name}`, { model: name }, async () => {
      const current = await this.read<ModelDocument>(name, documentId.model());
      checkIfMatch(`Model ${name}`, current && this.toModel(current), options.ifMatch);
      const now = this.now();
      const next: ModelDocument = {
        id: documentId.model(),
        model: name,
        type: 'model',
        spec,
        revision: (current?.revision ?? 0) + 1,
        createdAt: current?.createdAt ?? now,
        updatedAt: now,
      };
      return (await this.swap(current, next)) ? { model: this.toModel(next), created: !current } : undefined;
    });
  }

  private async ensureModel(name: string): Promise<void> {
    if (await this.read<ModelDocument>(name, documentId.model())) return;
    const now = this.now();
    await this.createOnce({
      id: documentId.model(),
      model: name,
      type: 'model',
      spec: defaultModelSpec,
      revision: 1,
      createdAt: now,
      updatedAt: now,
    } satisfies ModelDocument);
  }

  async getModel(name: string): Promise<ModelRecord> {
    return this.toModel(await this.modelDocument(name));
  }

  async listModels(): Promise<ModelRecord[]> {
    try {
      const { resources } = await this.container.items
        .query<ModelDocument>({
          query: 'SELECT * FROM c WHERE c.type = @type',
          parameters: [{ name: '@type', value: 'model' }],
        })
        .fetchAll();
      return resources.map((document) => this.toModel(document)).sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      throw databaseError(error);
    }
  }

  /**
   * Writes the run-pointer and version documents of a committed registration; safe to repeat.
   * The version document goes last, so its existence proves both are written and a reader
   * pays one point read, not two refused creates, to learn that nothing is left to do.
   */
  private async materialize(version: ModelVersion): Promise<void> {
    if (await this.read<VersionDocument>(version.model, documentId.version(version.version))) return;
    await this.writeOut(version);
  }

  private async writeOut(version: ModelVersion): Promise<void> {
    await this.createOnce({
      id: documentId.runVersion(version.runId),
      model: version.model,
      type: 'run-version',
      version: version.version,
    } satisfies RunVersionDocument);
    await this.createOnce(versionDocument(version));
  }

  /**
   * Registrations of one model inside this process queue up instead of racing: they would
   * all lose to each other but one. Between processes, the sequence document's ETag decides.
   */
  registerVersion(input: NewVersion): Promise<Registration> {
    return this.registrations.run(input.model, () => this.register(input));
  }

  private async register(input: NewVersion): Promise<Registration> {
    await this.ensureModel(input.model);
    // Versions up to this one are known not to belong to this run.
    let checked: number | undefined;
    return this.retrying(
      `Registering a version of ${input.model}`,
      { model: input.model, runId: input.runId },
      async () => {
        const sequence = await this.read<SequenceDocument>(input.model, documentId.sequence());
        if (sequence) {
          await this.materialize(sequence.pending);
          if (sequence.pending.runId === input.runId) {
            assertSameArtifact(sequence.pending, input);
            // The document, not the sequence's copy: the version may have been archived since.
            return { version: await this.getVersion(input.model, sequence.pending.version), created: false };
          }
        }
        // Only the latest version can be unwritten (each writer finishes the previous one before
        // committing), so after one lost race with a single commit in between, the pending
        // comparison above already covered it and the run pointer need not be read again.
        const last = sequence?.last ?? 0;
        const pointer =
          checked !== undefined && last === checked + 1
            ? undefined
            : await this.read<RunVersionDocument>(input.model, documentId.runVersion(input.runId));
        checked = last;
        if (pointer) {
          const existing = await this.getVersion(input.model, pointer.version);
          assertSameArtifact(existing, input);
          return { version: existing, created: false };
        }
        const version = versionRecord(input, (sequence?.last ?? 0) + 1, this.now());
        const next: SequenceDocument = {
          id: documentId.sequence(),
          model: input.model,
          type: 'sequence',
          last: version.version,
          pending: version,
        };
        if (!(await this.swap(sequence, next))) return undefined;
        await this.writeOut(version);
        return { version, created: true };
      },
    );
  }

  async getVersion(model: string, version: number): Promise<ModelVersion> {
    const document = await this.read<VersionDocument>(model, documentId.version(version));
    if (document) return document.data;
    // Committed in the sequence but not yet written out: the registering writer stopped.
    const sequence = await this.read<SequenceDocument>(model, documentId.sequence());
    if (sequence?.pending.version === version) {
      await this.writeOut(sequence.pending);
      return sequence.pending;
    }
    if (!sequence) await this.modelDocument(model);
    throw versionNotFound(model, version);
  }

  async listVersions(model: string): Promise<ModelVersion[]> {
    const [documents, sequence] = await Promise.all([
      this.query<VersionDocument>(model, 'version'),
      this.read<SequenceDocument>(model, documentId.sequence()),
    ]);
    const versions = documents.map((document) => document.data);
    if (sequence && !versions.some((version) => version.version === sequence.pending.version)) {
      await this.writeOut(sequence.pending);
      versions.push(sequence.pending);
    }
    if (!sequence) await this.modelDocument(model);
    return versions.sort((a, b) => a.version - b.version);
  }

  async archiveVersion(model: string, version: number): Promise<ModelVersion> {
    return this.retrying(`Archiving version ${version} of ${model}`, { model, version }, async () => {
      // getVersion finishes a half-written registration; the read after it brings the ETag.
      await this.getVersion(model, version);
      const document = await this.read<VersionDocument>(model, documentId.version(version));
      if (!document) throw versionNotFound(model, version);
      const serving = (await this.listAliases(model))
        .filter((alias) => alias.version === version)
        .map((alias) => alias.name);
      if (serving.length > 0) throw servedVersionConflict(model, version, serving);
      if (document.data.archived) return document.data;
      const archived: ModelVersion = { ...document.data, archived: true, archivedAt: this.now() };
      return (await this.swap(document, versionDocument(archived))) ? archived : undefined;
    });
  }

  private async aliasDocument(model: string, alias: string): Promise<Stored<AliasDocument> | undefined> {
    const document = await this.read<AliasDocument>(model, documentId.alias(alias));
    // The event of the alias's last move may not be written out yet if its writer stopped.
    if (document) await this.createOnce(promotionDocument(document.event));
    return document;
  }

  async getAlias(model: string, alias: string): Promise<AliasRecord> {
    const document = await this.read<AliasDocument>(model, documentId.alias(alias));
    if (!document) throw aliasNotFound(model, alias);
    return document.data;
  }

  async listAliases(model: string): Promise<AliasRecord[]> {
    const documents = await this.query<AliasDocument>(model, 'alias');
    if (documents.length === 0) await this.modelDocument(model);
    return documents.map((document) => document.data).sort((a, b) => a.name.localeCompare(b.name));
  }

  private async move(
    model: string,
    alias: string,
    plan: (current: AliasDocument | undefined) => Promise<AliasPlan>,
  ): Promise<AliasRecord> {
    return this.retrying(`Moving alias ${alias} of ${model}`, { model, alias }, async () => {
      const current = await this.aliasDocument(model, alias);
      const { alias: record, event } = await plan(current);
      if (!event) return record;
      const next: AliasDocument = {
        id: documentId.alias(alias),
        model,
        type: 'alias',
        alias,
        data: record,
        event,
      };
      if (!(await this.swap(current, next))) return undefined;
      await this.createOnce(promotionDocument(event));
      return record;
    });
  }

  async promote(model: string, alias: string, version: number, change: AliasChange): Promise<AliasRecord> {
    const target = await this.getVersion(model, version);
    return this.move(model, alias, async (current) =>
      planPromotion(current?.data, target, alias, change, this.now()),
    );
  }

  async rollback(model: string, alias: string, change: AliasChange): Promise<AliasRecord> {
    return this.move(model, alias, async (current) => {
      if (!current) throw aliasNotFound(model, alias);
      const target = await this.getVersion(model, rollbackTarget(model, alias, current.data));
      return planRollback(current.data, target, change, this.now());
    });
  }

  async aliasHistory(model: string, alias: string): Promise<PromotionEvent[]> {
    if (!(await this.aliasDocument(model, alias))) throw aliasNotFound(model, alias);
    const documents = await this.query<PromotionDocument>(model, 'promotion', ' AND c.alias = @alias', [
      { name: '@alias', value: alias },
    ]);
    return documents.map((document) => document.data).sort((a, b) => a.revision - b.revision);
  }

  async resolve(model: string, alias: string): Promise<ResolvedModel> {
    return resolvedFrom(await this.getAlias(model, alias));
  }

  async saveRun(run: RunRecord): Promise<RunRecord> {
    await this.ensureModel(run.model);
    try {
      await this.container.items.upsert({
        id: documentId.run(run.runId),
        model: run.model,
        type: 'run',
        data: run,
      } satisfies RunDocument);
      return run;
    } catch (error) {
      throw databaseError(error);
    }
  }

  async getRun(model: string, runId: string): Promise<RunRecord> {
    const document = await this.read<RunDocument>(model, documentId.run(runId));
    if (!document) throw runNotFound(model, runId);
    return document.data;
  }

  async listRuns(model: string): Promise<RunRecord[]> {
    await this.modelDocument(model);
    const documents = await this.query<RunDocument>(model, 'run');
    return documents.map((document) => document.data).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  async recordLineage(model: string, edges: readonly RecordedEdge[]): Promise<void> {
    await this.modelDocument(model);
    for (const edge of edges) {
      const key = createHash('sha256')
        .update(`${nodeId(edge.from)} ${edge.kind} ${nodeId(edge.to)}`)
        .digest('hex');
      await this.createOnce({
        id: documentId.edge(key),
        model,
        type: 'edge',
        from: nodeId(edge.from),
        data: edge,
      } satisfies EdgeDocument);
    }
  }

  async recordedLineage(model: string): Promise<RecordedEdge[]> {
    await this.modelDocument(model);
    return (await this.query<EdgeDocument>(model, 'edge')).map((document) => document.data);
  }
}
