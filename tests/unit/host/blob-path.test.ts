import { describe, expect, it } from 'vitest';
import { parseBlobPath } from '../../../local/host/storage/blob-path.js';

describe('blob trigger paths', () => {
  it('splits the container, the listing prefix and the named values', () => {
    const pattern = parseBlobPath('datasets/{model}/{file}.csv');
    expect(pattern.container).toBe('datasets');
    expect(pattern.prefix).toBe('');
    expect(pattern.match('iris/train.csv')).toEqual({ model: 'iris', file: 'train' });
    expect(pattern.match('iris/train.parquet')).toBeUndefined();
    expect(pattern.match('iris/2026/train.csv')).toEqual({ model: 'iris', file: '2026/train' });
  });

  it('lists by the literal prefix and escapes regex characters in literals', () => {
    const pattern = parseBlobPath('scoring-input/shard+{n}.csv');
    expect(pattern.prefix).toBe('shard+');
    expect(pattern.match('shard+1.csv')).toEqual({ n: '1' });
    expect(pattern.match('shardd1.csv')).toBeUndefined();
  });

  it('matches any blob of a container given alone', () => {
    expect(parseBlobPath('uploads').match('a/b.txt')).toEqual({ name: 'a/b.txt' });
  });

  it('refuses a path without a literal container', () => {
    expect(() => parseBlobPath('{container}/x')).toThrow(/must start with a literal container name/);
    expect(() => parseBlobPath('Bad_Container/x')).toThrow(/must start with a literal container name/);
  });
});
