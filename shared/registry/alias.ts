// Aliases (champion, challenger, any name) point at versions and move only through a
// compare-and-swap on their ETag. Each move is a promotion event; rollback moves an alias back
// to the version it held before, and is an event too. The planning here is pure so that every
// store applies exactly the same rules.
import { z } from 'zod';
import { PlatformError } from '../errors.js';
import { actorSchema, runIdSchema } from './names.js';
import type { ArtifactRef, ModelVersion } from './model-version.js';

export const approvalSchema = z.strictObject({
  by: actorSchema,
  at: z.iso.datetime(),
  /** The pipeline run whose approval event this was, when it came through a run. */
  runId: runIdSchema.optional(),
  comment: z.string().max(2000).optional(),
});

export type Approval = z.output<typeof approvalSchema>;

export interface AliasRecord {
  readonly model: string;
  readonly name: string;
  readonly version: number;
  /** The version held before the last move: where a rollback goes. */
  readonly previous: number | null;
  /** Copied from the immutable version, so resolving an alias to an artifact is one read. */
  readonly artifact: ArtifactRef;
  /** Counts moves; the ETag is derived from it. */
  readonly revision: number;
  readonly etag: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export type PromotionKind = 'promote' | 'rollback';

export interface PromotionEvent {
  readonly model: string;
  readonly alias: string;
  /** The alias revision this event produced; history is ordered by it. */
  readonly revision: number;
  readonly kind: PromotionKind;
  readonly from: number | null;
  readonly to: number;
  readonly actor: string;
  readonly reason: string;
  readonly at: string;
  readonly approval?: Approval;
}

export interface AliasChange {
  readonly actor: string;
  readonly reason?: string;
  /** The ETag the caller last saw; `*` means "the alias must exist". Absent: last writer wins. */
  readonly ifMatch?: string;
  /** The caller gave no ETag: the alias may be created (or re-pointed where it is), never moved. */
  readonly createOnly?: boolean;
  readonly approval?: Approval;
}

export interface AliasPlan {
  readonly alias: AliasRecord;
  /** Absent when the alias already points at the requested version (a retried promotion). */
  readonly event?: PromotionEvent;
}

export function etagOf(revision: number): string {
  return `"${revision}"`;
}

export function checkIfMatch(
  what: string,
  current: { etag: string } | undefined,
  ifMatch: string | undefined,
): void {
  if (ifMatch === undefined) return;
  if (current && (ifMatch === '*' || ifMatch === current.etag)) return;
  throw new PlatformError(
    'PRECONDITION_FAILED',
    `${what} has changed since ETag ${ifMatch} was read; read it again and retry.`,
    {
      expected: ifMatch,
      current: current?.etag ?? null,
    },
  );
}

function assertServable(target: ModelVersion, alias: string): void {
  if (!target.archived) return;
  throw new PlatformError(
    'CONFLICT',
    `Version ${target.version} of ${target.model} is archived; alias ${alias} cannot point at it.`,
    {
      model: target.model,
      alias,
      version: target.version,
    },
  );
}

function moved(
  current: AliasRecord | undefined,
  target: ModelVersion,
  name: string,
  kind: PromotionKind,
  change: AliasChange,
  now: string,
): AliasPlan {
  const revision = (current?.revision ?? 0) + 1;
  const alias: AliasRecord = {
    model: target.model,
    name,
    version: target.version,
    previous: current?.version ?? null,
    artifact: target.artifact,
    revision,
    etag: etagOf(revision),
    updatedAt: now,
    updatedBy: change.actor,
  };
  const event: PromotionEvent = {
    model: target.model,
    alias: name,
    revision,
    kind,
    from: current?.version ?? null,
    to: target.version,
    actor: change.actor,
    reason: change.reason ?? (kind === 'rollback' ? 'rollback' : 'promotion'),
    at: now,
    ...(change.approval ? { approval: change.approval } : {}),
  };
  return { alias, event };
}

/** Points `name` at `target`. Re-promoting the version it already holds changes nothing. */
export function planPromotion(
  current: AliasRecord | undefined,
  target: ModelVersion,
  name: string,
  change: AliasChange,
  now: string,
): AliasPlan {
  checkIfMatch(`Alias ${name} of ${target.model}`, current, change.ifMatch);
  if (current?.version === target.version) return { alias: current };
  if (current && change.createOnly) {
    throw new PlatformError(
      'PRECONDITION_REQUIRED',
      `Alias ${name} of ${target.model} exists; moving it needs If-Match with its ETag ${current.etag}.`,
      { field: 'if-match', current: current.etag },
    );
  }
  assertServable(target, name);
  return moved(current, target, name, 'promote', change, now);
}

/** The version a rollback of `current` goes to; CONFLICT when the alias has never moved. */
export function rollbackTarget(model: string, name: string, current: AliasRecord | undefined): number {
  if (current?.previous != null) return current.previous;
  throw new PlatformError('CONFLICT', `Alias ${name} of ${model} has no previous version to roll back to.`, {
    model,
    alias: name,
  });
}

export function planRollback(
  current: AliasRecord,
  target: ModelVersion,
  change: AliasChange,
  now: string,
): AliasPlan {
  checkIfMatch(`Alias ${current.name} of ${current.model}`, current, change.ifMatch);
  assertServable(target, current.name);
  return moved(current, target, current.name, 'rollback', change, now);
}
