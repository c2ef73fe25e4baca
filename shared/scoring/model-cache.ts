// The models this process has loaded: one onnxruntime session per version, created from an
// artifact whose SHA-256 matches the registry, kept in an LRU bounded by an estimate of their
// memory. Concurrent cold requests for one version share one load. A version that cannot be
// served (checksum mismatch, missing blob, a graph onnxruntime refuses) answers 503 with the
// reason; the failure is kept for a few seconds so a broken version is not downloaded per request.
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { loadVerifiedArtifact, type ArtifactOwner } from '../artifacts/model-artifacts.js';
import type { Clock } from '../clock.js';
import { PlatformError } from '../errors.js';
import type { Table } from '../data/table.js';
import { interfaceOf, type ModelInterface } from '../ml/model-interface.js';
import { openSession, type Session } from '../ml/onnx-runtime.js';
import { runTable } from './model-run.js';
import type { Scores } from './scores.js';

// An estimate: a session keeps the graph's weights in its own layout plus its arenas.
const memoryPerArtifactByte = 3;
const failureRetryMs = 5_000;

export class ServedModel {
  private running = 0;
  private retired = false;

  constructor(
    readonly model: string,
    readonly version: number,
    readonly meta: ModelInterface,
    readonly weight: number,
    private readonly session: Session,
  ) {}

  async score(table: Table): Promise<Scores> {
    this.running += 1;
    try {
      return await runTable(this.session, this.meta.features, table);
    } catch (error) {
      throw new PlatformError(
        'INTERNAL',
        `Model ${this.model} version ${this.version} failed to score the request: ${messageOf(error)}`,
        { model: this.model, version: this.version },
        { cause: error },
      );
    } finally {
      this.running -= 1;
      if (this.retired && this.running === 0) void this.session.release();
    }
  }

  /** Frees the session once the requests already using it are done. */
  retire(): void {
    this.retired = true;
    if (this.running === 0) void this.session.release();
  }
}

interface Entry {
  readonly loading: Promise<ServedModel>;
  served?: ServedModel;
  failedAt?: number;
}

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private used = 0;

  constructor(
    private readonly artifacts: () => Promise<ArtifactStore>,
    private readonly budgetBytes: number,
    private readonly clock: Clock,
  ) {}

  get memoryBytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  load(owner: ArtifactOwner): Promise<ServedModel> {
    const key = `${owner.model}/${owner.version}/${owner.artifact.sha256}`;
    const entry = this.entries.get(key);
    if (entry && !(entry.failedAt !== undefined && this.clock.now() - entry.failedAt >= failureRetryMs)) {
      // Map order is the LRU order: a hit moves the entry to the back.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.loading;
    }
    const fresh: Entry = { loading: this.open(owner) };
    this.entries.set(key, fresh);
    fresh.loading.then(
      (served) => {
        fresh.served = served;
        this.used += served.weight;
        this.evict(fresh);
      },
      () => (fresh.failedAt = this.clock.now()),
    );
    return fresh.loading;
  }

  private async open(owner: ArtifactOwner): Promise<ServedModel> {
    try {
      const bytes = await loadVerifiedArtifact(await this.artifacts(), owner);
      const meta = interfaceOf(bytes);
      const session = await openSession(bytes);
      return new ServedModel(owner.model, owner.version, meta, bytes.length * memoryPerArtifactByte, session);
    } catch (error) {
      throw new PlatformError(
        'DEPENDENCY_UNAVAILABLE',
        `Model ${owner.model} version ${owner.version} cannot be served: ${messageOf(error)}`,
        { model: owner.model, version: owner.version, reason: messageOf(error) },
        { cause: error },
      );
    }
  }

  private evict(keep: Entry): void {
    for (const [key, entry] of this.entries) {
      if (this.used <= this.budgetBytes) return;
      if (entry === keep || !entry.served) continue;
      this.entries.delete(key);
      this.used -= entry.served.weight;
      entry.served.retire();
    }
  }
}

function messageOf(error: unknown): string {
  if (error instanceof PlatformError) return error.message;
  // onnxruntime's own messages say what is wrong with the graph; anything else stays generic.
  if (error instanceof Error && /onnx|protobuf|graph|node|tensor/i.test(error.message)) return error.message;
  return 'unexpected failure; see the host log';
}
