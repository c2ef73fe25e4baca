import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleAsset, consoleDir } from '../../../shared/console/console-assets.js';

let root: string;
let built: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'console-assets-'));
  built = join(root, 'dist', 'console');
  await mkdir(join(built, '.vite'), { recursive: true });
  await mkdir(join(built, 'assets'));
  await mkdir(join(root, 'console'));
  await writeFile(join(root, 'console', 'index.html'), 'sources, not a build');
  await writeFile(join(built, '.vite', 'manifest.json'), '{}');
  await writeFile(join(built, 'index.html'), '<!doctype html>');
  await writeFile(join(built, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.json'), '{"key":"x"}');
});

describe('console assets', () => {
  it('finds the build beside the compiled functions or under dist/, never the sources', () => {
    expect(consoleDir(pathToFileURL(join(root, 'functions', 'console.ts')).href)).toBe(`${built}/`);
    expect(consoleDir(pathToFileURL(join(root, 'dist', 'functions', 'console.js')).href)).toBe(`${built}/`);
    expect(consoleDir(pathToFileURL(join(tmpdir(), 'nowhere', 'functions', 'x.js')).href)).toBeUndefined();
  });

  it('serves the page with a strict policy and hashed assets for good', async () => {
    const page = await consoleAsset(built, undefined);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = await consoleAsset(built, 'assets/index-abc123.js');
    expect(script.body.toString()).toBe('console.log(1)');
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.headers['cache-control']).toContain('immutable');
  });

  it('serves nothing outside the build, nor what the build did not make', async () => {
    for (const path of [
      '../../secret.json',
      'assets/../../../secret.json',
      '.vite/manifest.json',
      'assets/missing.js',
    ]) {
      await expect(consoleAsset(built, path)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(consoleAsset(undefined, undefined)).rejects.toThrow(/npm run build/);
  });
});
