// App settings of HTTP scoring, read once per process and checked like any outside input.
import { z } from 'zod';
import { parseInput } from '../validate.js';

const number = (fallback: number, schema: z.ZodNumber) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value === '' ? fallback : Number(value)))
    .pipe(schema);

const settingsSchema = z.object({
  SCORING_MAX_ROWS: number(10_000, z.number().int().positive()),
  SCORING_CACHE_MB: number(512, z.number().positive()),
  SCORING_REFRESH_SECONDS: number(2, z.number().min(0)),
  SCORING_STATS_FLUSH_SECONDS: number(5, z.number().positive()),
  SCORING_CAPTURE_FLUSH_SECONDS: number(10, z.number().positive()),
  SCORING_CAPTURE_MAX_ROWS: number(50_000, z.number().int().positive()),
  SCORING_PREWARM_MODELS: number(8, z.number().int().min(0)),
});

export interface ScoringSettings {
  /** Rows one request may carry. */
  readonly maxRows: number;
  /** Memory budget of loaded models (an estimate per session). */
  readonly cacheBytes: number;
  /** How stale an alias resolution or a spec may get before it is read again. */
  readonly refreshMs: number;
  readonly statsFlushMs: number;
  readonly captureFlushMs: number;
  /** Captured rows held in memory awaiting a flush; more are dropped and counted. */
  readonly captureMaxRows: number;
  /** Models whose deployment alias is loaded when the app starts; 0 loads none until asked. */
  readonly prewarmModels: number;
}

export function scoringSettings(settings: Record<string, string | undefined> = process.env): ScoringSettings {
  const s = parseInput(settingsSchema, settings, 'scoring settings', 'INVALID_CONFIG');
  return {
    maxRows: s.SCORING_MAX_ROWS,
    cacheBytes: s.SCORING_CACHE_MB * 2 ** 20,
    refreshMs: s.SCORING_REFRESH_SECONDS * 1000,
    statsFlushMs: s.SCORING_STATS_FLUSH_SECONDS * 1000,
    captureFlushMs: s.SCORING_CAPTURE_FLUSH_SECONDS * 1000,
    captureMaxRows: s.SCORING_CAPTURE_MAX_ROWS,
    prewarmModels: s.SCORING_PREWARM_MODELS,
  };
}
