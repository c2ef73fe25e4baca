// Which alias answers a request that pins no version, and which alias sees a mirrored copy.
// Pure: the caller supplies the draw (a number in [0, 1)), random per request or derived from
// the sticky header, so a caller with the same header value always lands on the same alias.
import type { ServingPolicy } from './serving-policy.js';

/** The aliases that take traffic and their shares; the default alias alone when there is no split. */
export function trafficShares(policy: ServingPolicy, defaultAlias: string): [string, number][] {
  const shares = Object.entries(policy.traffic ?? {}).filter(([, share]) => share > 0);
  return shares.length > 0 ? shares : [[defaultAlias, 100]];
}

export function pickAlias(policy: ServingPolicy, defaultAlias: string, draw: number): string {
  const shares = trafficShares(policy, defaultAlias);
  const total = shares.reduce((sum, [, share]) => sum + share, 0);
  let point = draw * total;
  for (const [alias, share] of shares) {
    if (point < share) return alias;
    point -= share;
  }
  return shares.at(-1)![0];
}

/** A stable draw in [0, 1) for a sticky key (32-bit FNV-1a). */
export function stickyDraw(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

/** The alias to mirror this request to, if any: never the alias that answered it. */
export function shadowAlias(policy: ServingPolicy, served: string, draw: number): string | undefined {
  const shadow = policy.shadow;
  if (!shadow || shadow.alias === served) return undefined;
  return draw * 100 < shadow.percent ? shadow.alias : undefined;
}
