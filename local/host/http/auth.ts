// Key checks for HTTP routes, as the Azure host applies them: a function-level route accepts a
// function key or the master key; admin needs the master key; system routes (extension
// webhooks) accept the system key or the master key. Keys come in `x-functions-key` or `?code=`.
import { createHash, timingSafeEqual } from 'node:crypto';
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
  return accepted.some((candidate) => sameSecret(candidate, key));
}

/** Compares digests, so the time taken says nothing about the key, not even its length. */
function sameSecret(expected: string, given: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}
