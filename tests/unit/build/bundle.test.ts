// The bundler on a small compiled tree: each bundled module, loaded at once or lazily, still
// sees its own compiled file as import.meta.url, and zod keeps English alone of its locales.
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../../build/bundle.js';

const nodeModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
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
  const root = await mkdtemp(join(tmpdir(), 'bundle-'));
  // The fixture resolves zod from the project's packages.
  await symlink(nodeModules, join(root, 'node_modules'));
  dist = join(root, 'dist');
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
