// L-BFGS minimisation of a smooth function: the two-loop recursion (Nocedal & Wright, Alg. 7.4)
// with a strong-Wolfe line search (Alg. 3.5/3.6, cubic interpolation in the zoom). Deterministic.

/** Writes ∇f(x) into `grad` and returns f(x). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max_i |∇f(x)_i| ≤ gtol (default 1e-5). */
  gtol?: number;
  /** Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol (default 64·ε, as scipy in sklearn). */
  ftol?: number;
  /** Iteration cap (default 1000). */
  maxIter?: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
  /** Function evaluations allowed per line search (default 40). */
  maxLineSearch?: number;
}

export type LbfgsStop = 'gradient_tolerance' | 'function_tolerance' | 'max_iter' | 'line_search_failed';

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  /** max_i |∇f(x)_i| at the returned point. */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  /** True when a tolerance was met (gradient or relative function reduction). */
  converged: boolean;
  reason: LbfgsStop;
}

const C1 = 1e-4; // sufficient decrease (Armijo)
const C2 = 0.9; // curvature (strong Wolfe)

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Minimiser of the cubic through (a, fa, ga) and (b, fb, gb), or NaN when it has none. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
}

interface Trial {
  alpha: number;
  f: number;
  /** Directional derivative ∇f(x + αd)·d. */
  d: number;
}

/**
 * Strong-Wolfe line search along `dir` from x (value f0, slope g0 < 0). On success the point,
 * value and gradient of the accepted step are left in xOut / gOut and its trial is returned.
 */
function wolfeSearch(
  fn: Objective,
  x: Float64Array,
  dir: Float64Array,
  f0: number,
  g0: number,
  alpha0: number,
  maxEvals: number,
  xOut: Float64Array,
  gOut: Float64Array,
  count: { evals: number },
): Trial | null {
  let evals = 0;
  let lastAlpha = NaN;
  const phi = (alpha: number): Trial => {
    for (let i = 0; i < x.length; i++) xOut[i] = x[i] + alpha * dir[i];
    const f = fn(xOut, gOut);
    evals++;
    count.evals++;
    lastAlpha = alpha;
    return { alpha, f, d: dot(gOut, dir) };
  };
  const accept = (t: Trial): Trial => (lastAlpha === t.alpha ? t : phi(t.alpha));

  const zoom = (lo: Trial, hi: Trial): Trial | null => {
    while (evals < maxEvals) {
      const left = Math.min(lo.alpha, hi.alpha);
      const right = Math.max(lo.alpha, hi.alpha);
      const width = right - left;
      if (width <= 1e-16 * Math.max(1, right)) break;
      let alpha = cubicMin(lo.alpha, lo.f, lo.d, hi.alpha, hi.f, hi.d);
      if (!(alpha > left + 0.1 * width && alpha < right - 0.1 * width)) alpha = left + width / 2;
      const t = phi(alpha);
      if (!Number.isFinite(t.f) || t.f > f0 + C1 * alpha * g0 || t.f >= lo.f) {
        hi = t;
      } else {
        if (Math.abs(t.d) <= -C2 * g0) return t;
        if (t.d * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = t;
      }
    }
    // Out of evaluations: a step that decreased f enough is still usable.
    return lo.alpha > 0 && lo.f <= f0 + C1 * lo.alpha * g0 ? accept(lo) : null;
  };

  let prev: Trial = { alpha: 0, f: f0, d: g0 };
  let alpha = alpha0;
  while (evals < maxEvals) {
    const t = phi(alpha);
    if (!Number.isFinite(t.f) || t.f > f0 + C1 * alpha * g0 || (prev.alpha > 0 && t.f >= prev.f)) {
      if (!Number.isFinite(t.f)) {
        // Overshot into overflow: shrink without interpolating through a non-finite value.
        alpha = prev.alpha + (alpha - prev.alpha) / 10;
        if (alpha - prev.alpha <= 1e-20) return null;
        continue;
      }
      return zoom(prev, t);
    }
    if (Math.abs(t.d) <= -C2 * g0) return t;
    if (t.d >= 0) return zoom(t, prev);
    prev = t;
    alpha *= 2;
  }
  return null;
}

/**
 * Minimise `fn` from `x0` with L-BFGS.
 * @example
 *   // f(x) = (x0 − 1)² + 10·(x1 + 2)²
 *   const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 1); g[1] = 20 * (x[1] + 2);
 *     return (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2; }, new Float64Array(2));
 *   // r.x ≈ [1, −2], r.converged === true, r.reason === 'gradient_tolerance'
 */
export function minimizeLbfgs(fn: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 64 * Number.EPSILON;
  const maxIter = options.maxIter ?? 1000;
  const m = options.memory ?? 10;
  const maxLs = options.maxLineSearch ?? 40;
  const n = x0.length;

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  const count = { evals: 0 };
  let f = fn(x, g);
  count.evals++;
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const dir = new Float64Array(n);
  const alphas = new Float64Array(m);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];

  const done = (iterations: number, converged: boolean, reason: LbfgsStop): LbfgsResult => ({
    x,
    f,
    gradientNorm: maxAbs(g),
    iterations,
    evaluations: count.evals,
    converged,
    reason,
  });

  if (maxAbs(g) <= gtol) return done(0, true, 'gradient_tolerance');

  for (let iter = 1; iter <= maxIter; iter++) {
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      const a = rho[j] * dot(S[j], dir);
      alphas[j] = a;
      const y = Y[j];
      for (let i = 0; i < n; i++) dir[i] -= a * y[i];
    }
    if (k > 0) {
      const gamma = dot(S[k - 1], Y[k - 1]) / dot(Y[k - 1], Y[k - 1]);
      for (let i = 0; i < n; i++) dir[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const b = rho[j] * dot(Y[j], dir);
      const s = S[j];
      const a = alphas[j];
      for (let i = 0; i < n; i++) dir[i] += (a - b) * s[i];
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i];
      slope = dot(g, dir);
    }
    // First step (no curvature yet): a unit-length move; afterwards the quasi-Newton step α = 1.
    const alpha0 = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let trial = wolfeSearch(fn, x, dir, f, slope, alpha0, maxLs, xNew, gNew, count);
    if (trial === null && S.length > 0) {
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i];
      slope = dot(g, dir);
      trial = wolfeSearch(fn, x, dir, f, slope, Math.min(1, 1 / Math.sqrt(-slope)), maxLs, xNew, gNew, count);
    }
    if (trial === null) return done(iter - 1, maxAbs(g) <= gtol, 'line_search_failed');

    const fPrev = f;
    // Correction pair s = x_{k+1} − x_k, y = g_{k+1} − g_k; skipped unless sᵀy > 0.
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = trial.f;

    if (maxAbs(g) <= gtol) return done(iter, true, 'gradient_tolerance');
    if ((fPrev - f) / Math.max(Math.abs(fPrev), Math.abs(f), 1) <= ftol) return done(iter, true, 'function_tolerance');
  }
  return done(maxIter, false, 'max_iter');
}
