// The tails of the distributions the drift tests need: Kolmogorov's (KS) and chi-square.
// Written out rather than imported: they are a few lines each, and no maintained npm package
// offers both without a large numeric library behind it.

/** P(K > lambda) for Kolmogorov's limiting distribution (scipy's `kstwobign.sf`). */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  let sum = 0;
  if (lambda < 1.18) {
    // Jacobi's theta form of the CDF converges fast for small lambda, where the series below does not.
    const factor = -(Math.PI * Math.PI) / (8 * lambda * lambda);
    for (let k = 1; k <= 20; k += 1) sum += Math.exp((2 * k - 1) ** 2 * factor);
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum;
  }
  for (let k = 1; k <= 100; k += 1) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let series = lanczos[0] as number;
  for (let i = 1; i < lanczos.length; i += 1) series += (lanczos[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

/** The regularized upper incomplete gamma function Q(a, x). */
function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // The lower function's series, then its complement.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n += 1) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  // Lentz's continued fraction for Q.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/** P(X > x) for a chi-square variable with `df` degrees of freedom (scipy's `chi2.sf`). */
export function chiSquareSurvival(x: number, df: number): number {
  return upperGamma(df / 2, x / 2);
}
