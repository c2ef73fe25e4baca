// Averages boosted models trained on the same features into one: the blend's raw scores are the
// mean of the members' (base scores and every leaf scaled by 1/members), so it exports as one
// tree ensemble, with the members' trees one after another, and scores as fast as their sum.
import type { GbdtModel } from './model.js';

/** One model whose raw scores are the mean of the members' (same task, features and classes). */
export function blendModels(members: readonly GbdtModel[]): GbdtModel {
  const [first] = members;
  if (!first) throw new RangeError('blendModels needs at least one model');
  const share = 1 / members.length;
  return {
    ...first,
    baseScores: first.baseScores.map(
      (_, c) => members.reduce((sum, m) => sum + (m.baseScores[c] as number), 0) * share,
    ),
    // Leaf values stay float32, as the graph stores them, so the parity check compares like with like.
    trees: members.flatMap((m) =>
      m.trees.map((tree) => ({ ...tree, value: tree.value.map((v) => Math.fround(v * share)) })),
    ),
  };
}

/** The mean of row-major score arrays of equal length. */
export function meanScores(scores: readonly Float64Array[]): Float64Array {
  const mean = new Float64Array(scores[0]?.length ?? 0);
  for (const s of scores)
    for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] as number) + (s[i] as number);
  for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] as number) / scores.length;
  return mean;
}
