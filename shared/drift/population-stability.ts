// The population stability index over two vectors of bin shares or counts.

/**
 * An empty bin would make the index infinite; like Evidently, a share of 0 counts as 0.0001,
 * so one new or vanished category adds a large but finite term.
 */
export const emptyBinShare = 0.0001;

function normalized(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (total > 0 ? v / total : 0));
}

/** PSI = sum over bins of (current - reference) * ln(current / reference), natural log. */
export function populationStability(reference: readonly number[], current: readonly number[]): number {
  const p = normalized(reference);
  const q = normalized(current);
  let index = 0;
  p.forEach((share, i) => {
    const r = share === 0 ? emptyBinShare : share;
    const c = (q[i] as number) === 0 ? emptyBinShare : (q[i] as number);
    index += (c - r) * Math.log(c / r);
  });
  return index;
}
