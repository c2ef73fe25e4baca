// The web console's built files (vite writes them to dist/console): found once, read on
// request. Only names the build produces can be served, so a crafted path reaches nothing else.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlatformError } from '../errors.js';

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// The page talks to its own origin only; the key travels in the page's URL, so no referrer.
const pageHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const assetName = /^assets\/[A-Za-z0-9._-]+$/;

/**
 * The build output: dist/console beside dist/functions when running the build, or the project's
 * dist/console when running from sources. The source folder console/ has no build manifest.
 */
export function consoleDir(moduleUrl: string): string | undefined {
  return ['../console/', '../dist/console/']
    .map((relative) => fileURLToPath(new URL(relative, moduleUrl)))
    .find((dir) => existsSync(join(dir, '.vite', 'manifest.json')));
}

export async function consoleAsset(dir: string | undefined, path: string | undefined): Promise<ConsoleAsset> {
  if (dir === undefined) {
    throw new PlatformError('NOT_FOUND', 'The console is not built; run `npm run build`.', {
      path: 'console',
    });
  }
  if (path === undefined || path === '' || path === 'index.html') {
    const body = await readFile(join(dir, 'index.html'));
    return {
      body,
      headers: { ...pageHeaders, 'content-type': contentTypes['.html']!, 'cache-control': 'no-cache' },
    };
  }
  const type = contentTypes[extname(path)];
  if (!assetName.test(path) || type === undefined) {
    throw new PlatformError('NOT_FOUND', `The console has no file ${path}.`, { path });
  }
  const body = await readFile(join(dir, path)).catch(() => {
    throw new PlatformError('NOT_FOUND', `The console has no file ${path}.`, { path });
  });
  // Built names carry a content hash, so a browser may keep them for good.
  return {
    body,
    headers: {
      'content-type': type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    },
  };
}
