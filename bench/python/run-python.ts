// Runs the reference scripts of this folder with Debian's Python (the first python3 on PATH
// may not see Debian's modules), after checking that the packages they import are installed.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlatformError } from '../../shared/errors.js';

export const python = '/usr/bin/python3';
// The scripts stay in the source tree: next to this file, or, once compiled to dist/, back there.
const here = dirname(fileURLToPath(import.meta.url));
const scripts = existsSync(join(here, 'hist-gbdt-fit.py')) ? here : join(here, '../../../bench/python');

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python, args, { maxBuffer: 16 * 1024 * 1024, timeout: 20 * 60_000 }, (error, stdout, stderr) => {
      if (error)
        reject(
          new PlatformError(
            'DEPENDENCY_UNAVAILABLE',
            `${python} ${args.join(' ')} failed: ${stderr.trim() || error.message}`,
          ),
        );
      else resolve(stdout);
    });
  });
}

/** Fails with a message naming the Debian packages when a module is missing. */
export async function requireModules(modules: Record<string, string>): Promise<void> {
  const missing: string[] = [];
  for (const [module, debianPackage] of Object.entries(modules)) {
    await run(['-c', `import ${module}`]).catch(() => missing.push(debianPackage));
  }
  if (missing.length > 0) {
    throw new PlatformError(
      'DEPENDENCY_UNAVAILABLE',
      `This benchmark's reference needs the Debian package(s) ${missing.join(', ')} for ${python}: run apt-get install -y ${missing.join(' ')}`,
    );
  }
}

/** Runs bench/python/NAME with arguments; the script prints one JSON object as its last line. */
export async function runScript<T>(name: string, args: string[]): Promise<T> {
  const stdout = await run([join(scripts, name), ...args]);
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}
