// Loads the app's entry points the way the Node.js worker does: package.json `main` is a file
// or a glob (globby syntax: `*`, `**`, braces such as `dist/src/{index.js,functions/*.js}`),
// each file imported as ES module or CommonJS by Node itself.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
  const file = resolve(appDir, main);
  if (await isFile(file)) return [file];
  // The glob library loads only for a `main` that names no file: most apps' is one file.
  const { glob, isDynamicPattern } = await import('tinyglobby');
  if (!isDynamicPattern(main)) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `The app entry point ${file} does not exist; build the app first (npm run build).`,
      { file },
    );
  }
  const files = await glob(main, { cwd: appDir, absolute: true, onlyFiles: true, expandDirectories: false });
  if (files.length === 0) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `"main": "${main}" in ${packagePath} matches no file; build the app first.`,
      { file: packagePath },
    );
  }
  return files.sort(byDepthThenName);
}

export async function loadApp(appDir: string): Promise<string[]> {
  const files = await resolveEntryPoints(appDir);
  for (const file of files) await import(pathToFileURL(file).href);
  return files;
}

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** A stable load order: a folder's files before its subfolders' (an index or setup file first). */
function byDepthThenName(a: string, b: string): number {
  const depth = (path: string) => path.split('/').length;
  return depth(a) - depth(b) || a.localeCompare(b);
}
