// Reads the trainer's input files through the platform's dataset reader, so the trainer
// accepts and rejects exactly what the pipeline's validation step does.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { PlatformError } from '../../shared/errors.js';
import { defaultLimits, type Dataset } from '../../shared/data/dataset.js';
import { readCsv } from '../../shared/data/read-csv.js';
import { datasetError, tooLarge } from '../../shared/data/validate-dataset.js';
import type { FeatureSpec } from '../../shared/data/table.js';
import { parseInput } from '../../shared/validate.js';
import { trainerSpecSchema, type TrainerSpec } from './spec.js';

/** The file's size; refused when it is not a regular file (a FIFO or /dev/zero would be read forever). */
async function ensureFile(path: string, what: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile())
    throw new PlatformError('INVALID_INPUT', `The ${what} '${path}' does not exist or is not a file.`, {
      path,
    });
  return info.size;
}

const maxSpecBytes = 1024 * 1024;

export async function loadSpec(path: string): Promise<TrainerSpec> {
  if ((await ensureFile(path, 'spec file')) > maxSpecBytes)
    throw new PlatformError(
      'INVALID_INPUT',
      `The spec file '${path}' is larger than ${maxSpecBytes} bytes.`,
      {
        path,
      },
    );
  let json: unknown;
  try {
    json = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PlatformError(
      'INVALID_INPUT',
      `The spec file '${path}' is not valid JSON.`,
      { path },
      { cause: error },
    );
  }
  return parseInput(trainerSpecSchema, json, 'spec');
}

/** Reads a CSV with the spec's target and task; `features` pins column types (the training file's for validation). */
export async function loadDataset(
  path: string,
  what: string,
  spec: TrainerSpec,
  features: readonly FeatureSpec[] | undefined,
): Promise<Dataset> {
  try {
    // The size is known up front: refuse before reading a byte rather than after half a gigabyte.
    if ((await ensureFile(path, what)) > defaultLimits.maxBytes)
      throw datasetError([tooLarge(defaultLimits.maxBytes)]);
    return await readCsv(createReadStream(path), { target: spec.target, task: spec.task, features });
  } catch (error) {
    if (error instanceof PlatformError) {
      throw new PlatformError(error.code, `${what} '${path}': ${error.message}`, error.details, {
        cause: error,
      });
    }
    throw error;
  }
}
