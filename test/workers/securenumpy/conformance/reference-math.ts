// Plaintext references for SecureNumpy's non-linear math (NumPy semantics, float64), and the error
// bounds documented in docs/securenumpy.md (Math) and workers/securenumpy/ops-math.ts, ops-exp.ts.
// Shares no code with the engine.

import * as R from './reference.js';

const U = 2 ** -16;

export const reciprocal = (x: R.Operand) => R.map(x, (v) => 1 / v);
export const exp = (x: R.Operand) => R.map(x, (v) => Math.exp(v));
export const sqrt = (x: R.Operand) => R.map(x, (v) => Math.sqrt(v));
export const log = (x: R.Operand) => R.map(x, (v) => Math.log(v));
export const sigmoid = (x: R.Operand) => R.map(x, (v) => 1 / (1 + Math.exp(-v)));

/** Applies `f` to every 1-D lane of x along `axis` (NumPy's apply_along_axis, same shape). */
export function alongAxis(x: R.Arr, axis: number, f: (lane: number[]) => number[]): R.Arr {
  const ax = R.normAxis(axis, x.shape.length);
  const n = x.shape[ax]!;
  const st = R.stridesOf(x.shape)[ax]!;
  const out = [...x.data];
  for (let flat = 0; flat < x.data.length; flat++) {
    if (R.unravel(flat, x.shape)[ax] !== 0) continue;
    const lane = Array.from({ length: n }, (_, j) => x.data[flat + j * st]!);
    f(lane).forEach((v, j) => (out[flat + j * st] = v));
  }
  return { shape: [...x.shape], data: out };
}

export function softmax(x: R.Arr, axis = -1): R.Arr {
  return alongAxis(x, axis, (lane) => {
    const m = Math.max(...lane);
    const e = lane.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

/** NumPy's var with ddof = 0 over `axis` (null: all). */
export function variance(x: R.Arr, axis: R.Axis = null): R.Arr {
  const mu = R.mean(x, axis);
  if (axis === null || axis === undefined)
    return R.mean(
      R.map(x, (v) => (v - mu.data[0]!) ** 2),
      null,
    );
  const ax = R.normAxis(axis, x.shape.length);
  const keep = x.shape.map((d, i) => (i === ax ? 1 : d));
  const dev = R.sub(x, R.reshape(mu, keep));
  return R.mean(R.square(dev), axis);
}

export const std = (x: R.Arr, axis: R.Axis = null) => R.map(variance(x, axis), (v) => Math.sqrt(v));

// ---- documented bounds (f = 16, u = 2^-16) ---------------------------------------------------

/** reciprocal: |r − 1/d| ≤ 2^-24·|1/d| + u, for 2^-f ≤ |d| < 2^(H−1−f), H = ℓ/2 (32 or 64). */
export const tolReciprocal = (d: number) => 2 ** -24 * Math.abs(1 / d) + U;
/** div: |q − x/d| ≤ 2^-24·|x/d| + |x|·2^-q + u (q = 31 in Z_2^64, 62 in Z_2^128), while also |x/d| < 2^(H−1−f). */
export const tolDivide = (x: number, d: number, q = 31) => 2 ** -24 * Math.abs(x / d) + Math.abs(x) * 2 ** -q + U;
/** exp: 2^-22·e^x + u for x < (31 − f)·ln 2 (0 below −(f + 1)·ln 2). */
export const tolExp = (x: number) => 2 ** -22 * Math.exp(x) + U;
/** sigmoid: 2u + 2^-21 over the whole input range. */
export const TOL_SIGMOID = 2 * U + 2 ** -21;
/** sqrt: 2^-22·√x + u for 0 ≤ x < 2^(H−1−f). */
export const tolSqrt = (x: number) => 2 ** -22 * Math.sqrt(x) + U;
/** log: 2^-23 + u for 2^-f ≤ x < 2^(H−1−f). */
export const TOL_LOG = 2 ** -23 + U;
/** softmax over groups of g: (g + 3)·u + 2^-20. */
export const tolSoftmax = (g: number) => (g + 3) * U + 2 ** -20;
/** var: 3u + var·2^-30 (the mean's error enters squared), while var < 2^(30−f) in Z_2^64, 2^(70−f) in Z_2^128. */
export const tolVar = (v: number) => 3 * U + v * 2 ** -30;
/** std: the var error through √ (≤ min(3u/√var, √(3u))) plus sqrt's own bound. */
export const tolStd = (v: number) => Math.min((3 * U) / Math.sqrt(v), Math.sqrt(3 * U)) + tolSqrt(v) + v * 2 ** -30;
