import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveEntryPoints } from '../../../local/host/load-app.js';

let appDir: string;
const withMain = async (main: string) => {
  await writeFile(join(appDir, 'package.json'), JSON.stringify({ main }));
  return (await resolveEntryPoints(appDir)).map((file) => relative(appDir, file));
};

beforeAll(async () => {
  appDir = await mkdtemp(join(tmpdir(), 'load-app-'));
  await mkdir(join(appDir, 'dist/src/functions/nested'), { recursive: true });
  for (const file of [
    'index.js',
    'setup.js',
    'other.js',
    'functions/b.js',
    'functions/a.js',
    'functions/a.js.map',
  ])
    await writeFile(join(appDir, 'dist/src', file), '');
  await writeFile(join(appDir, 'dist/src/functions/nested/c.js'), '');
});

describe('entry points from package.json main', () => {
  it('expands braces as the worker (globby) does, a folder’s files before its subfolders’', async () => {
    expect(await withMain('dist/src/{index.js,setup.js,functions/*.js}')).toEqual([
      'dist/src/index.js',
      'dist/src/setup.js',
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
    ]);
  });

  it('expands * and ** and takes a plain path as it is', async () => {
    expect(await withMain('dist/src/functions/*.js')).toEqual([
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
    ]);
    expect(await withMain('dist/src/functions/**/*.js')).toEqual([
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
      'dist/src/functions/nested/c.js',
    ]);
    expect(await withMain('dist/src/index.js')).toEqual(['dist/src/index.js']);
  });

  it('says what is missing: a file, or any match of a pattern', async () => {
    await expect(withMain('dist/src/missing.js')).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('missing.js does not exist'),
    });
    await expect(withMain('dist/{none,zero}/*.js')).rejects.toMatchObject({
      message: expect.stringContaining('matches no file'),
    });
  });
});
