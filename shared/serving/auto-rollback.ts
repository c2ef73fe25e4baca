// Watches what every request did and takes a misbehaving alias out of service. Each instance
// counts requests, errors and latencies per alias, version and 10-second bucket, writes its
// counts to the shared stats store every flush, then judges the window from all instances'
// counts, so the decision is the same whichever instance makes it. Acting goes through the
// registry with If-Match: when several instances see the same breach, one change wins and the
// others' 412s are the expected outcome.
import type { Clock } from '../clock.js';
import { isPlatformError } from '../errors.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { ScoreEvent } from '../scoring/scores.js';
import { record, type Histogram } from './latency-histogram.js';
import { breach, judgeAlias, type Verdict } from './rollback-rule.js';
import { servingPolicySchema, type ServingPolicy } from './serving-policy.js';
import { bucketMs, type StatsCell, type StatsStore } from './stats-store.js';
import { PeriodicFlush } from './periodic-flush.js';

export interface AutoRollbackOptions {
  readonly store: StatsStore;
  readonly registry: () => Promise<RegistryStore>;
  readonly clock: Clock;
  /** Names this process's rows in the store (WEBSITE_INSTANCE_ID in Azure). */
  readonly instance: string;
  readonly flushMs: number;
  readonly log: (message: string, error?: unknown) => void;
}

interface Cell {
  model: string;
  alias: string;
  version: number;
  bucket: number;
  requests: number;
  errors: number;
  histogram: Histogram;
}

// Cells older than this are flushed for good and dropped from memory.
const keepMs = 10 * 60_000;

export class AutoRollback {
  private readonly cells = new Map<string, Cell>();
  private readonly dirty = new Set<string>();
  private readonly policies = new Map<string, { policy: ServingPolicy; defaultAlias: string }>();
  private readonly flusher: PeriodicFlush;

  constructor(private readonly options: AutoRollbackOptions) {
    this.flusher = new PeriodicFlush(() => this.flushOnce(), options.flushMs);
  }

  /** The data plane's observer: counts one request. Pinned versions have no alias to judge. */
  readonly observe = (event: ScoreEvent): void => {
    if (!event.alias) return;
    const bucket = Math.floor(event.at / bucketMs) * bucketMs;
    const key = `${event.model}|${event.alias}|${event.version}|${bucket}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = {
        model: event.model,
        alias: event.alias,
        version: event.version,
        bucket,
        requests: 0,
        errors: 0,
        histogram: {},
      };
      this.cells.set(key, cell);
    }
    cell.requests += 1;
    if (!event.scored) cell.errors += 1;
    record(cell.histogram, event.ms);
    this.dirty.add(key);
    this.policies.set(event.model, { policy: event.policy, defaultAlias: event.defaultAlias });
    this.flusher.arm();
  };

  /** Writes this instance's changed counts, then judges what they touched. */
  private async flushOnce(): Promise<void> {
    const keys = [...this.dirty];
    this.dirty.clear();
    const cells: StatsCell[] = keys.map((key) => ({
      ...this.cells.get(key)!,
      instance: this.options.instance,
    }));
    try {
      await this.options.store.put(cells);
    } catch (error) {
      for (const key of keys) this.dirty.add(key);
      this.options.log('writing serving statistics failed; retrying at the next flush', error);
      return;
    }
    const now = this.options.clock.now();
    for (const [key, cell] of this.cells)
      if (cell.bucket < now - keepMs && !this.dirty.has(key)) this.cells.delete(key);
    const judged = new Set<string>();
    for (const cell of cells) {
      const target = `${cell.model}|${cell.alias}|${cell.version}`;
      if (judged.has(target)) continue;
      judged.add(target);
      try {
        await this.judge(cell.model, cell.alias, cell.version, now);
      } catch (error) {
        this.options.log(`judging alias ${cell.alias} of ${cell.model} failed`, error);
      }
    }
  }

  private async judge(model: string, alias: string, version: number, now: number): Promise<void> {
    const known = this.policies.get(model);
    const rules = known?.policy.autoRollback;
    if (!known || !rules) return;
    const stats = await this.options.store.window(
      model,
      alias,
      version,
      now - rules.windowSeconds * 1000,
      now + bucketMs,
    );
    if (!breach(known.policy, stats)) return;
    const registry = await this.options.registry();
    const current = await registry.getAlias(model, alias);
    if (current.version !== version) return;
    const verdict = judgeAlias(known.policy, known.defaultAlias, current, stats, now);
    if (verdict) await this.act(registry, model, verdict, current.etag);
  }

  private async act(
    registry: RegistryStore,
    model: string,
    verdict: Verdict,
    aliasEtag: string,
  ): Promise<void> {
    const reason = `automatic rollback: ${verdict.reason}`;
    try {
      if (verdict.action === 'rollback') {
        const moved = await registry.rollback(model, verdict.alias, {
          actor: 'auto-rollback',
          reason,
          ifMatch: aliasEtag,
        });
        this.options.log(
          `rolled ${verdict.alias} of ${model} back from ${verdict.version} to ${moved.version}: ${reason}`,
        );
        return;
      }
      const record = await registry.getModel(model);
      const policy = servingPolicySchema.parse(record.spec.serving ?? {});
      if (!policy.traffic?.[verdict.alias]) return;
      const serving = { ...policy, traffic: { ...policy.traffic, [verdict.alias]: 0 } };
      await registry.putModel(model, { ...record.spec, serving }, { ifMatch: record.etag });
      this.options.log(
        `set the traffic of ${verdict.alias} (version ${verdict.version}) of ${model} to 0: ${reason}`,
      );
    } catch (error) {
      // Another instance acted on the same breach first.
      if (isPlatformError(error) && error.code === 'PRECONDITION_FAILED') return;
      throw error;
    }
  }
}
