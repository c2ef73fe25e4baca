// A set of category codes (equivalently, of value bins: a categorical feature's bin is its
// code) as 256 bits in eight 32-bit words, so a tree node tests membership with one load.

export const emptyCategorySet = (): Uint32Array => new Uint32Array(8);

export function addToSet(set: Uint32Array, code: number): void {
  set[code >>> 5] = (set[code >>> 5] as number) | (1 << (code & 31));
}

export function inSet(set: Uint32Array, code: number): boolean {
  return (((set[code >>> 5] as number) >>> (code & 31)) & 1) === 1;
}

/** The codes below `limit` in the set, ascending. */
export function setMembers(set: Uint32Array, limit: number): number[] {
  const members: number[] = [];
  for (let c = 0; c < limit; c++) if (inSet(set, c)) members.push(c);
  return members;
}
