// Test helpers: build CSV text and pull the problem list out of an INVALID_DATASET error.
import { expect } from 'vitest';
import { PlatformError } from '../../../shared/errors.js';
import type { DatasetProblem } from '../../../shared/data/validate-dataset.js';

export function csv(header: string, rows: readonly string[]): string {
  return [header, ...rows].join('\n');
}

/** `count` rows of a valid binary data set: numeric x, categorical colour, label a/b. */
export function goodRows(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `${i},${i % 3 === 0 ? 'red' : 'blue'},${i % 2 === 0 ? 'a' : 'b'}`,
  );
}

export async function problemsOf(work: Promise<unknown>): Promise<DatasetProblem[]> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlatformError);
  const platformError = error as PlatformError;
  expect(platformError.code).toBe('INVALID_DATASET');
  expect(platformError.message).toMatch(/Fix the file/);
  return platformError.details['problems'] as DatasetProblem[];
}
