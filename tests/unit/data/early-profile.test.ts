import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EarlyProfile } from '../../../shared/data/profile/early-profile.js';
import { profileTable } from '../../../shared/data/profile/profile-builder.js';
import { readCsv } from '../../../shared/data/read-csv.js';
import { readCsvChunks } from '../../../shared/data/read-chunks.js';
import { scanFile } from '../../../shared/data/scan-dataset.js';

/** Validates a CSV text in small chunks, profiling it in the same pass. */
async function scanAndProfile(text: string) {
  const early = new EarlyProfile('label');
  const options = { target: 'label', task: 'binary' } as const;
  const file = await readCsvChunks(Readable.from([Buffer.from(text)]), { chunkRows: 10 });
  const scan = await scanFile(file, options, (chunk, state) => early.addChunk(chunk, state));
  return { scan, profile: early.finish(scan.schema) };
}

const rows = (count: number, code: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => `${(i * 7) % 13},${code(i)},${i % 2 ? 'yes' : 'no'}`);

describe('EarlyProfile', () => {
  it('is the profile of the validated table when the first chunk points to the settled schema', async () => {
    const text = ['x,code,label', ...rows(45, (i) => String(i % 5))].join('\n');
    const { profile } = await scanAndProfile(text);
    const dataset = await readCsv(text, { target: 'label', task: 'binary' });
    expect(profile).toEqual(profileTable(dataset, dataset.schema, 'label'));
  });

  it('is dropped when a column turns out to be text after the first chunk', async () => {
    const text = ['x,code,label', ...rows(45, (i) => (i < 10 ? String(i) : `c${i % 4}`))].join('\n');
    const { scan, profile } = await scanAndProfile(text);
    expect(scan.schema.find((f) => f.name === 'code')?.type).toBe('categorical');
    expect(profile).toBeUndefined();
  });
});
