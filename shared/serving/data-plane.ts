// The one scoring core both front ends (the score route and the V2 protocol) call, as in
// MLServer's data plane: pick the alias by the model's serving policy (or the request's pin),
// resolve it through a cache revalidated in the background, load the version once per
// process, check the request against that version's features, score, and tell the observers
// (rollback statistics, capture). A shadow copy runs after the answer has been returned.
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Clock } from '../clock.js';
import { isPlatformError } from '../errors.js';
import type { Table } from '../data/table.js';
import type { ModelInterface } from '../ml/model-interface.js';
import type { ModelRecord } from '../registry/model-spec.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { servableModel, type ServableModel, type VersionPin } from '../registry/servable-model.js';
import { FreshCache } from '../scoring/fresh-cache.js';
import { ModelCache, type ServedModel } from '../scoring/model-cache.js';
import type { ScoreEvent, ScoreObserver, Scored, Scores } from '../scoring/scores.js';
import { servingPolicySchema, type ServingPolicy } from './serving-policy.js';
import { pickAlias, shadowAlias, stickyDraw } from './traffic.js';

export interface ScoreRequest {
  readonly model: string;
  readonly pin: VersionPin;
  readonly requestId: string;
  header(name: string): string | null;
  /** Checks the request against the served version's features (a 400 naming row and field when not). */
  parse(meta: ModelInterface): Table;
}

export interface DataPlaneOptions {
  readonly registry: () => Promise<RegistryStore>;
  readonly artifacts: () => Promise<ArtifactStore>;
  readonly clock: Clock;
  readonly random: () => number;
  readonly cacheBytes: number;
  /** How old a cached alias resolution or spec may get before it is read again. */
  readonly refreshMs: number;
  readonly observers: readonly ScoreObserver[];
  readonly log: (message: string, error?: unknown) => void;
}

interface RunContext extends ModelPolicy {
  readonly started: number;
  readonly shadow: boolean;
}

interface ModelPolicy {
  readonly policy: ServingPolicy;
  readonly defaultAlias: string;
}

export class DataPlane {
  readonly models: ModelCache;
  private readonly specs: FreshCache<ModelPolicy>;
  private readonly resolutions: FreshCache<ServableModel>;

  constructor(private readonly options: DataPlaneOptions) {
    const onError = (key: string, error: unknown) => options.log(`registry read for ${key} failed`, error);
    this.models = new ModelCache(options.artifacts, options.cacheBytes, options.clock);
    this.specs = new FreshCache(options.clock, options.refreshMs, onError);
    this.resolutions = new FreshCache(options.clock, options.refreshMs, onError);
  }

  async policyOf(model: string): Promise<ModelPolicy> {
    return this.specs.get(model, async () => policyOf(await (await this.options.registry()).getModel(model)));
  }

  /** The version a pin (or, without one, the serving policy) selects, loaded and ready. */
  async target(model: string, pin: VersionPin): Promise<{ resolved: ServableModel; served: ServedModel }> {
    const resolved = await this.resolve(model, pin ?? { alias: (await this.policyOf(model)).defaultAlias });
    return { resolved, served: await this.models.load(resolved) };
  }

  /**
   * Loads the version behind the deployment alias of up to `limit` models, one at a time, as
   * KServe loads its model before traffic: a request arriving meanwhile shares the load.
   */
  async prewarm(limit: number): Promise<void> {
    if (limit <= 0) return;
    const models = await (await this.options.registry()).listModels();
    for (const { name } of models.slice(0, limit)) {
      await this.target(name, undefined).catch((error: unknown) => {
        // A model with nothing promoted yet is no failure.
        if (!isPlatformError(error) || error.code !== 'NOT_FOUND')
          this.options.log(`pre-warming ${name} failed`, error);
      });
    }
  }

  /** The versions of a model that can be served (not archived). */
  async servableVersions(model: string): Promise<number[]> {
    const versions = await (await this.options.registry()).listVersions(model);
    return versions.filter((v) => !v.archived).map((v) => v.version);
  }

  async score(request: ScoreRequest): Promise<Scored> {
    const started = performance.now();
    const { policy, defaultAlias } = await this.policyOf(request.model);
    let pin = request.pin;
    if (!pin) {
      const sticky = policy.stickyHeader ? request.header(policy.stickyHeader) : null;
      pin = { alias: pickAlias(policy, defaultAlias, sticky ? stickyDraw(sticky) : this.options.random()) };
    }
    const context = { policy, defaultAlias, started, shadow: false };
    const scored = await this.run(request, pin, context);
    if (!request.pin && scored.alias) {
      const mirror = shadowAlias(policy, scored.alias, this.options.random());
      // setImmediate: the answer is handed back to the host before the mirror starts.
      if (mirror) setImmediate(() => void this.mirror(request, mirror, context));
    }
    return scored;
  }

  private async mirror(request: ScoreRequest, alias: string, context: RunContext): Promise<void> {
    try {
      await this.run(request, { alias }, { ...context, started: performance.now(), shadow: true });
    } catch (error) {
      if (!isPlatformError(error) || error.status >= 500)
        this.options.log(`shadow scoring on ${alias} failed`, error);
    }
  }

  private async run(
    request: ScoreRequest,
    pin: NonNullable<VersionPin>,
    context: RunContext,
  ): Promise<Scored> {
    const { started, shadow, policy, defaultAlias } = context;
    const resolved = await this.resolve(request.model, pin);
    const event = {
      at: this.options.clock.now(),
      model: request.model,
      version: resolved.version,
      alias: resolved.alias,
      requestId: request.requestId,
      shadow,
      policy,
      defaultAlias,
    };
    let served: ServedModel;
    try {
      served = await this.models.load(resolved);
    } catch (error) {
      this.notify({ ...event, ms: performance.now() - started });
      throw error;
    }
    const table = request.parse(served.meta);
    let scores: Scores;
    try {
      scores = await served.score(table);
    } catch (error) {
      this.notify({ ...event, ms: performance.now() - started });
      throw error;
    }
    const scored: Scored = {
      model: request.model,
      version: resolved.version,
      alias: resolved.alias,
      meta: served.meta,
      table,
      scores,
    };
    this.notify({ ...event, ms: performance.now() - started, scored });
    return scored;
  }

  private resolve(model: string, pin: NonNullable<VersionPin>): Promise<ServableModel> {
    const key = 'version' in pin ? `${model}@${pin.version}` : `${model}:${pin.alias}`;
    return this.resolutions.get(key, async () => {
      const resolved = await servableModel(await this.options.registry(), model, pin);
      // Load a newly resolved version before the cache hands it out, so an alias move is
      // picked up without a cold request; a failure here is kept and answered by load().
      await this.models.load(resolved).catch(() => undefined);
      return resolved;
    });
  }

  private notify(event: ScoreEvent): void {
    for (const observer of this.options.observers) {
      try {
        observer(event);
      } catch (error) {
        this.options.log('a scoring observer failed', error);
      }
    }
  }
}

function policyOf(record: ModelRecord): ModelPolicy {
  // Specs stored before serving policies existed have no `serving` part.
  const policy = servingPolicySchema.parse(record.spec.serving ?? {});
  return { policy, defaultAlias: record.spec.deployment.alias };
}
