// The bundler on a small compiled tree: each bundled module, loaded at once or lazily, still
// sees its own compiled file as import.meta.url, and zod keeps English alone of its locales.
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../../build/bundle.js';

// Inside the project, so the fixture resolves zod from its node_modules.
const scratch = fileURLToPath(new URL('../../../.tmp/', import.meta.url));
let dist: string;

const files: Record<string, string> = {
  'functions/where.js': [
    "import { z } from 'zod';",
    "export { here } from '../shared/place.js';",
    "export const later = () => import('../shared/deep/lazy.js');",
    'export const locales = Object.keys(z.locales);',
    'export const message = z.string().safeParse(1).error.issues[0].message;',
  ].join('\n'),
  'shared/place.js': 'export const here = import.meta.url;',
  'shared/deep/lazy.js': 'export const here = import.meta.url;',
  'local/host-cli.js': '',
};

beforeAll(async () => {
  await mkdir(scratch, { recursive: true });
  dist = join(await mkdtemp(join(scratch, 'bundle-')), 'dist');
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(dist, path)), { recursive: true });
    await writeFile(join(dist, path), source);
  }
  await bundle(dist);
}, 60_000);

describe('bundle', () => {
  it('gives each module the import.meta.url of its compiled file, in a lazy chunk too', async () => {
    const where = (await import(pathToFileURL(join(dist, 'bundle/where.js')).href)) as {
      here: string;
      later(): Promise<{ here: string }>;
    };
    expect(where.here).toBe(pathToFileURL(join(dist, 'shared/place.js')).href);
    expect((await where.later()).here).toBe(pathToFileURL(join(dist, 'shared/deep/lazy.js')).href);
    expect(
      (await readdir(join(dist, 'bundle'))).filter((f) => f.startsWith('chunk-')).length,
    ).toBeGreaterThan(0);
  });

  it("keeps zod's English messages and drops its other locales", async () => {
    const where = (await import(pathToFileURL(join(dist, 'bundle/where.js')).href)) as {
      locales: string[];
      message: string;
    };
    expect(where.locales).toEqual(['en']);
    expect(where.message).toBe('Invalid input: expected string, received number');
  });
});
