// Limited-memory BFGS with a backtracking (Armijo) line search, for the smooth convex losses
// of the linear models.

export type LossAndGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when the loss improves by less than this, relative to its size. */
  tolerance: number;
  memory?: number;
  onIteration?: (iteration: number, loss: number) => void;
}

export function minimizeLbfgs(
  f: LossAndGradient,
  start: Float64Array,
  options: LbfgsOptions,
): { x: Float64Array; loss: number; iterations: number } {
  const n = start.length;
  const memory = options.memory ?? 10;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let loss = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  let iterations = 0;
  for (; iterations < options.maxIterations; iterations++) {
    // Two-loop recursion: d = -H g.
    const d = Float64Array.from(g, (v) => -v);
    for (let i = s.length - 1; i >= 0; i--) {
      const a = (rho[i] as number) * dot(s[i] as Float64Array, d);
      alpha[i] = a;
      axpy(-a, y[i] as Float64Array, d);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma =
        dot(s[last] as Float64Array, y[last] as Float64Array) /
        dot(y[last] as Float64Array, y[last] as Float64Array);
      for (let j = 0; j < n; j++) d[j] = (d[j] as number) * gamma;
    }
    for (let i = 0; i < s.length; i++) {
      const b = (rho[i] as number) * dot(y[i] as Float64Array, d);
      axpy((alpha[i] as number) - b, s[i] as Float64Array, d);
    }
    let slope = dot(g, d);
    if (slope >= 0) {
      // Not a descent direction (curvature info went stale): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -(g[j] as number);
      slope = dot(g, d);
    }
    if (slope === 0) break;
    let step = s.length === 0 ? 1 / Math.max(1, Math.sqrt(dot(g, g))) : 1;
    const next = new Float64Array(n);
    const nextG = new Float64Array(n);
    let nextLoss = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < n; j++) next[j] = (x[j] as number) + step * (d[j] as number);
      nextLoss = f(next, nextG);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextLoss < loss)) break;
    const sNew = new Float64Array(n);
    const yNew = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      sNew[j] = (next[j] as number) - (x[j] as number);
      yNew[j] = (nextG[j] as number) - (g[j] as number);
    }
    const sy = dot(sNew, yNew);
    if (sy > 1e-12) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
    }
    const improvement = loss - nextLoss;
    x = next;
    g = nextG;
    loss = nextLoss;
    options.onIteration?.(iterations + 1, loss);
    if (improvement <= options.tolerance * Math.max(1, Math.abs(loss))) {
      iterations += 1;
      break;
    }
  }
  return { x, loss, iterations };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}
