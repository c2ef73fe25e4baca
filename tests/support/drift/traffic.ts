// Generated data for drift tests through the host: a version's baseline (`profile.json`, built
// with the same ProfileBuilder as training) and captured scoring rows (DESIGN.md section 4's
// inference-log lines), optionally with `age` shifted by some standard deviations.
import { ProfileBuilder } from '../../../shared/data/profile/profile-builder.js';
import { seededRandom, type Random } from '../../../shared/data/prng.js';
import { category, normal } from './samples.js';

const plans = ['basic', 'plus', 'pro'];
const planShares = [0.5, 0.3, 0.2];

export interface Row {
  age: number;
  plan: string;
  prediction: string;
}

function row(random: Random, ageShift: number): Row {
  const age = 40 + 12 * (normal(random) + ageShift);
  const plan = plans[category(random, planShares)] as string;
  return { age, plan, prediction: age + (plan === 'pro' ? 10 : 0) > 50 ? 'yes' : 'no' };
}

export function rows(n: number, seed: number, ageShift = 0): Row[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => row(random, ageShift));
}

/** The baseline a registered version carries: training profile plus holdout predictions. */
export function baselineJson(n = 5000, seed = 1): string {
  const features = new ProfileBuilder(
    [
      { name: 'age', type: 'numeric' },
      { name: 'plan', type: 'categorical' },
    ],
    null,
  );
  const predictions = new ProfileBuilder([{ name: 'prediction', type: 'categorical' }], null);
  for (const r of rows(n, seed)) {
    features.addRow([r.age, r.plan]);
    predictions.addRow([r.prediction]);
  }
  return JSON.stringify({ ...features.finish(), predictions: predictions.finish() });
}

/** Inference-log lines, one per row, stamped from `start` a second apart. */
export function capturedLines(model: string, version: number, data: readonly Row[], start: Date): string {
  return data
    .map((r, i) =>
      JSON.stringify({
        ts: new Date(start.getTime() + i * 1000).toISOString(),
        requestId: `req-${i}`,
        model,
        version,
        alias: 'champion',
        inputs: { age: r.age, plan: r.plan },
        outputs: { prediction: r.prediction, probabilities: [0.5, 0.5] },
      }),
    )
    .join('\n');
}
