// Key checks for HTTP routes, as the Azure host applies them: a function-level route accepts a
// function key or the master key; admin needs the master key; system routes (extension
// webhooks) accept the system key or the master key. Keys come in `x-functions-key` or `?code=`.
import { hash, timingSafeEqual } from 'node:crypto';
import type { AuthLevel } from '../extension.js';

export interface Keys {
  readonly function: string;
  readonly master: string;
  readonly system: string;
}

export function presentedKey(headers: Record<string, string>, url: URL): string | undefined {
  return headers['x-functions-key'] ?? url.searchParams.get('code') ?? undefined;
}

export function isAuthorized(level: AuthLevel, key: string | undefined, keys: Keys): boolean {
  if (level === 'anonymous') return true;
  if (key === undefined) return false;
  const accepted =
    level === 'function'
      ? [keys.function, keys.master]
      : level === 'system'
        ? [keys.system, keys.master]
        : [keys.master];
  const given = digest(key);
  return accepted.some((candidate) => timingSafeEqual(expectedDigest(candidate), given));
}

// Digests are compared, so the time taken says nothing about the key, not even its length. The
// host's own keys are hashed once, not on every request.
const digest = (text: string) => hash('sha256', text, 'buffer');
const expected = new Map<string, Buffer>();

function expectedDigest(secret: string): Buffer {
  let known = expected.get(secret);
  if (!known) expected.set(secret, (known = digest(secret)));
  return known;
}
