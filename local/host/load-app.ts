// Loads the app's entry point the way the Node.js worker does: package.json `main` (a file or
// a glob such as `dist/functions/*.js`), imported as ES module or CommonJS by Node itself.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PlatformError } from '../../shared/errors.js';

export async function resolveEntryPoints(appDir: string): Promise<string[]> {
  const packagePath = join(appDir, 'package.json');
  let main: unknown;
  try {
    main = (JSON.parse(await readFile(packagePath, 'utf8')) as { main?: unknown }).main;
  } catch (error) {
    throw new PlatformError('INVALID_CONFIG', `Cannot read ${packagePath}: ${(error as Error).message}`, {
      file: packagePath,
    });
  }
  if (typeof main !== 'string' || main === '') {
    throw new PlatformError(
      'INVALID_CONFIG',
      `${packagePath} has no "main"; point it at the app's entry file.`,
      { file: packagePath },
    );
  }
  const files = main.includes('*') ? await expandGlob(appDir, main) : [resolve(appDir, main)];
  for (const file of files) {
    const found = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!found) {
      throw new PlatformError(
        'INVALID_CONFIG',
        `The app entry point ${file} does not exist; build the app first (npm run build).`,
        {
          file,
        },
      );
    }
  }
  if (files.length === 0) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `"main": "${main}" in ${packagePath} matches no file; build the app first.`,
      {
        file: packagePath,
      },
    );
  }
  return files;
}

export async function loadApp(appDir: string): Promise<string[]> {
  const files = await resolveEntryPoints(appDir);
  for (const file of files) await import(pathToFileURL(file).href);
  return files;
}

/** Supports `*` in the last path segment, and a `**` directory segment, like common `main` globs. */
async function expandGlob(appDir: string, pattern: string): Promise<string[]> {
  const absolute = resolve(appDir, pattern);
  const recursive = absolute.includes('/**/');
  const root = recursive ? absolute.slice(0, absolute.indexOf('/**/')) : dirname(absolute);
  const name = new RegExp(
    `^${basename(absolute)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')}$`,
  );
  const entries = await readdir(root, { recursive, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && name.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
