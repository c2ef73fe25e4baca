// One drift check as stored and served (`POST /api/monitoring/{model}/check`, `GET /api/monitoring/{model}`).
import type { ColumnVerdict, DriftVerdict } from '../drift/compare-profiles.js';

export interface CheckRecord {
  readonly model: string;
  readonly version: number;
  readonly checkedAt: string;
  readonly window: {
    readonly from: string;
    readonly to: string;
    readonly rows: number;
    /** Where the rows came from: captured requests and batch-scored rows; unreadable lines skipped. */
    readonly requests: number;
    readonly batch: number;
    readonly skipped: number;
  };
  readonly status: DriftVerdict['status'];
  readonly reason?: string;
  readonly features: ColumnVerdict[];
  readonly prediction: ColumnVerdict | null;
  readonly drifted: boolean;
  /** The alert this check published (its messageId), or null when nothing drifted. */
  readonly alert: { readonly messageId: string; readonly features: string[] } | null;
}

/** Checks of the same version and window end are one check run again. */
export function sameCheck(a: CheckRecord, b: CheckRecord): boolean {
  return a.model === b.model && a.version === b.version && a.window.to === b.window.to;
}
