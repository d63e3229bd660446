// Checks SecureNumpy's non-linear math (reciprocal, division by a secret, exp, sigmoid, sqrt,
// softmax, var, std, power with negative exponents, average with secret weights) against the
// plaintext reference over each function's documented domain, from the smallest values to the
// edge of the range, holding each result to its documented bound (reference-math.ts). Inputs are
// rounded to the fixed point first, so the bounds measure the engine's own error only.

import { describe, expect, it } from 'vitest';
import { receivedByParty1 } from '../../../helpers/transcript.js';
import {
  type Case,
  close,
  expectClose,
  input,
  prodBound,
  type Rng,
  reveal0,
  rng,
  roundFixed,
  runCases,
  toRef,
  U,
} from './harness.js';
import * as R from './reference.js';
import * as M from './reference-math.js';

const EDGE = 32768 - U;
const arr = (data: number[], shape: number[] = [data.length]): R.Arr => ({ shape, data: data.map(roundFixed) });
/** Log-uniform magnitudes in [lo, hi), random signs (unless positive). */
function logUniform(r: Rng, n: number, lo: number, hi: number, positive = false): number[] {
  return Array.from({ length: n }, () => {
    const m = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * r());
    return roundFixed(positive || r() < 0.5 ? m : -m) || U;
  });
}
const uniform = (r: Rng, n: number, lo: number, hi: number) =>
  Array.from({ length: n }, () => roundFixed(lo + (hi - lo) * r()));
const tolOf = (xs: R.Arr, f: (v: number) => number): R.Arr => R.map(xs, f);

describe('reciprocal and division by a secret', () => {
  it('reciprocal over 2^-16 ≤ |d| < 2^15, edges included, within 2^-24·|1/d| + u', async () => {
    const r = rng(4101);
    const edges = [
      U,
      -U,
      2 * U,
      3 * U,
      1,
      -1,
      0.5,
      0.75,
      2,
      3,
      -7.5,
      1000,
      1024,
      1023,
      EDGE,
      -EDGE,
      2 ** 14,
      -(2 ** 14) - U,
    ];
    const d = arr([...edges, ...logUniform(r, 300, U, EDGE)]);
    await runCases([
      close(
        'reciprocal',
        (snp, p) => snp.reciprocal(input(snp, p, 1, d)),
        M.reciprocal(d),
        tolOf(d, M.tolReciprocal),
        'float64',
      ),
    ]);
  });

  it('x.div(d) and snp.divide with secret divisors, broadcasting, int64 promoted, within 2^-24·|x/d| + |x|·2^-31 + u', async () => {
    const r = rng(4102);
    const d = arr(logUniform(r, 200, U, EDGE));
    // Numerators as large as the quotient's range allows (|x/d| < 2^15), down to tiny ones.
    const x = arr(
      d.data.map((v) => Math.min(EDGE, Math.abs(v) * 32767 * 0.999) * (2 * r() - 1) * (r() < 0.2 ? 1e-3 : 1)),
    );
    const want = R.div(x, d);
    const tol = R.binary(x, d, M.tolDivide);
    const dRow = arr([3, -0.25, 7.125], [1, 3]);
    const xCol = arr([1.5, -2, 100, 0.001], [4, 1]);
    const xi: R.Arr = { shape: [3], data: [7, -9, 1000] };
    const di: R.Arr = { shape: [3], data: [2, 4, -3] };
    const cases: Case[] = [
      close('x.div(d)', (snp, p) => input(snp, p, 0, x).div(input(snp, p, 1, d)), want, tol, 'float64'),
      close(
        'snp.divide, broadcast',
        (snp, p) => snp.divide(input(snp, p, 0, xCol), input(snp, p, 1, dRow)),
        R.div(xCol, dRow),
        R.binary(xCol, dRow, M.tolDivide),
        'float64',
      ),
      close(
        'public numerator',
        (snp, p) => snp.divide([1, 2, 3], input(snp, p, 1, arr([4, 5, 6]))),
        R.div([1, 2, 3], arr([4, 5, 6])),
        1.5 * U,
        'float64',
      ),
      close(
        'int64 / int64 (true division)',
        (snp, p) => input(snp, p, 0, xi, 'int64').div(input(snp, p, 1, di, 'int64')),
        R.div(xi, di),
        R.binary(xi, di, M.tolDivide),
        'float64',
      ),
    ];
    await runCases(cases);
  });

  it('properties: d·reciprocal(d) ≈ 1 and reciprocal(reciprocal(d)) ≈ d; d = 0 runs (undefined result) without failing', async () => {
    const r = rng(4103);
    const d = arr(logUniform(r, 50, 0.01, 100));
    const [prod, twice, zero] = await reveal0((snp, p) => {
      const x = input(snp, p, 0, d);
      return [
        x.mul(snp.reciprocal(x)).revealTo(0),
        snp.reciprocal(snp.reciprocal(x)).revealTo(0),
        snp.reciprocal(input(snp, p, 0, arr([0, 1]))).revealTo(0),
      ];
    });
    // |d·r − 1| ≤ |d|·(2^-24/|d| + u) + u (the product's truncation).
    expectClose(
      prod,
      R.map(d, () => 1),
      R.map(d, (v) => 2 ** -24 + Math.abs(v) * U + U),
      'd·(1/d)',
    );
    // 1/r with r = 1/d·(1 ± 2^-24) ± u: relative error of r is at most 2^-24 + u·|d|.
    expectClose(
      twice,
      d,
      R.map(d, (v) => Math.abs(v) * (2 ** -23 + 2 * U * Math.abs(v)) + U),
      '1/(1/d)',
    );
    const z = toRef(zero!);
    expect(z.data[1]).toBe(1);
    expect(Number.isFinite(z.data[0])).toBe(true);
  });

  it('leak nothing about the divisor: party 1 receives the same keys and sizes for divisors of very different magnitude', async () => {
    async function transcript(ds: number[]): Promise<string[]> {
      const t = await receivedByParty1(async (snp, p) => {
        const x = snp.array(p === 0 ? [1, 2, 3, 4] : null, 0, { shape: [4] });
        const d = snp.array(p === 0 ? ds : null, 0, { shape: [4] });
        await x.div(d).toShare();
      });
      return [...t.seen].sort();
    }
    const a = await transcript([U, -U, 2 * U, 3 * U]);
    const b = await transcript([30000, -20000.5, 12345.678, -EDGE]);
    expect(a.length).toBeGreaterThan(30);
    expect(b).toEqual(a);
  });
});

describe('exp, sigmoid, sqrt', () => {
  it('exp over the domain (−2^15, 10.39): saturates to 0 below −(f + 1)·ln 2, within 2^-22·e^x + u', async () => {
    const r = rng(4201);
    const hi = 15 * Math.LN2 - 1e-3;
    const edges = [0, U, -U, 1, -1, hi, -11.7, -11.8, -12, -100, -EDGE, 5, -5, 0.5];
    const x = arr([...edges, ...uniform(r, 200, -13, hi), ...logUniform(r, 50, 12, EDGE).map((v) => -Math.abs(v))]);
    await runCases([close('exp', (snp, p) => snp.exp(input(snp, p, 0, x)), M.exp(x), tolOf(x, M.tolExp), 'float64')]);
  });

  it('sigmoid over the whole input range within 2u + 2^-21, and sigmoid(−x) = 1 − sigmoid(x)', async () => {
    const r = rng(4202);
    const x = arr([
      0,
      U,
      -U,
      1,
      -1,
      12,
      -12,
      20,
      -20,
      EDGE,
      -EDGE,
      ...uniform(r, 150, -15, 15),
      ...logUniform(r, 60, 15, EDGE),
    ]);
    const [sg, mirror] = await reveal0((snp, p) => {
      const a = input(snp, p, 0, x);
      return [snp.sigmoid(a).revealTo(0), snp.sigmoid(a).add(snp.sigmoid(a.neg())).revealTo(0)];
    });
    expectClose(sg, M.sigmoid(x), M.TOL_SIGMOID, 'sigmoid', 'float64');
    expectClose(
      mirror,
      R.map(x, () => 1),
      2 * M.TOL_SIGMOID,
      'sigmoid(x) + sigmoid(−x)',
    );
    // In [0, 1] up to the error bound: σ(|x|) may round above 1 (rarely, with the truncations'
    // randomness), so 1 − σ(|x|) may be −u; the bound, not exactly [0, 1], is the contract.
    const g = toRef(sg!).data;
    expect(g.every((v) => v >= -M.TOL_SIGMOID && v <= 1 + M.TOL_SIGMOID)).toBe(true);
  });

  it('sqrt over 0 ≤ x < 2^15 within 2^-22·√x + u; sqrt(x)² ≈ x', async () => {
    const r = rng(4203);
    const x = arr([0, U, 2 * U, 0.25, 1, 2, 4, 1023, 1024, EDGE, ...logUniform(r, 200, U, EDGE, true)]);
    const [s, sq] = await reveal0((snp, p) => {
      const a = input(snp, p, 1, x);
      const root = snp.sqrt(a);
      return [root.revealTo(0), root.mul(root).revealTo(0)];
    });
    expectClose(s, M.sqrt(x), tolOf(x, M.tolSqrt), 'sqrt', 'float64');
    expectClose(
      sq,
      x,
      tolOf(x, (v) => 2 * Math.sqrt(v) * M.tolSqrt(v) + 2 * U),
      'sqrt(x)²',
    );
  });
});

describe('log', () => {
  it('log over 2^-16 ≤ x < 2^15 within 2^-23 + u; log(exp(y)) ≈ y', async () => {
    const r = rng(4204);
    const x = arr([U, 2 * U, 3 * U, 0.5, 1, 2, Math.E, 1023, 1024, 1025, EDGE, ...logUniform(r, 200, U, EDGE, true)]);
    const y = arr(uniform(r, 40, -5, 5));
    const [l, round] = await reveal0((snp, p) => [
      snp.log(input(snp, p, 0, x)).revealTo(0),
      snp.log(snp.exp(input(snp, p, 1, y))).revealTo(0),
    ]);
    expectClose(l, M.log(x), M.TOL_LOG, 'log', 'float64');
    // exp's error 2^-22·e^y + u is relative (2^-22 + u·e^-y) through log, plus log's own bound.
    expectClose(
      round,
      y,
      R.map(y, (v) => 2 ** -22 + 1.01 * U * Math.exp(-v) + M.TOL_LOG),
      'log(exp(y))',
    );
  });
});

describe('softmax, var, std, negative powers, average with secret weights', () => {
  it('softmax along the last axis, axis 0 and all axes; rows sum to 1', async () => {
    const r = rng(4301);
    const x = arr(uniform(r, 24, -20, 20), [4, 6]);
    const big = arr([...uniform(r, 8, -EDGE, EDGE), 0, 0], [2, 5]);
    const cases: Case[] = [
      close('softmax(x)', (snp, p) => snp.softmax(input(snp, p, 0, x)), M.softmax(x, -1), M.tolSoftmax(6), 'float64'),
      close(
        'softmax(x, 0)',
        (snp, p) => snp.softmax(input(snp, p, 0, x), 0),
        M.softmax(x, 0),
        M.tolSoftmax(4),
        'float64',
      ),
      close(
        'softmax of wide values',
        (snp, p) => snp.softmax(input(snp, p, 1, big)),
        M.softmax(big, -1),
        M.tolSoftmax(5),
        'float64',
      ),
      close(
        'row sums',
        (snp, p) => snp.sum(snp.softmax(input(snp, p, 0, x)), 1),
        R.map(R.sum(x, 1), () => 1),
        6 * M.tolSoftmax(6),
        'float64',
      ),
    ];
    const all = arr(uniform(r, 6, -3, 3), [2, 3]);
    const want = M.softmax({ shape: [6], data: all.data }, -1);
    cases.push(
      close(
        'softmax(x, null)',
        (snp, p) => snp.softmax(input(snp, p, 0, all), null),
        { shape: [2, 3], data: want.data },
        M.tolSoftmax(6),
        'float64',
      ),
    );
    await runCases(cases);
  });

  it('var and std (ddof = 0) along an axis and over all, within 3u + var·2^-30 and its square root', async () => {
    const r = rng(4302);
    const x = arr(uniform(r, 30, -120, 120), [5, 6]);
    const c = arr([5, 5, 5, 5]);
    const cases: Case[] = [];
    for (const axis of [null, 0, 1, -1] as const) {
      const v = M.variance(x, axis);
      cases.push(
        close(`var axis ${axis}`, (snp, p) => snp.var(input(snp, p, 0, x), axis), v, R.map(v, M.tolVar), 'float64'),
      );
      cases.push(
        close(
          `std axis ${axis}`,
          (snp, p) => snp.std(input(snp, p, 0, x), axis),
          M.std(x, axis),
          R.map(v, M.tolStd),
          'float64',
        ),
      );
    }
    cases.push(
      close('var of a constant', (snp, p) => snp.var(input(snp, p, 0, c)), R.scalar(0), M.tolVar(0), 'float64'),
    );
    cases.push(
      close('std of a constant', (snp, p) => snp.std(input(snp, p, 0, c)), R.scalar(0), M.tolStd(0), 'float64'),
    );
    await runCases(cases);
  });

  it('power with negative exponents and average with secret weights', async () => {
    const r = rng(4303);
    const x = arr(logUniform(r, 40, 0.5, 10));
    const cases: Case[] = [];
    for (const k of [-1, -2, -3]) {
      const want = R.power(x, k);
      // x^|k| within prodBound (the power's own bound), then the reciprocal's relative error:
      // |x^k − 1/p̂| ≤ err/p² (to first order, doubled for margin) + 2^-24/p + u.
      const tol = R.map(x, (v) => {
        const pk = Math.abs(v) ** -k;
        const err = prodBound(Array.from({ length: -k }, () => v));
        return (2 * err) / pk ** 2 + 2 ** -24 / pk + U;
      });
      cases.push(close(`power(x, ${k})`, (snp, p) => snp.power(input(snp, p, 0, x), k), want, tol, 'float64'));
    }
    const data = arr(uniform(r, 12, -50, 50), [3, 4]);
    const w = arr(uniform(r, 12, 0.5, 3), [3, 4]);
    for (const axis of [null, 1] as const) {
      const want = R.average(data, axis, w);
      const num = R.sum(R.mul(data, w), axis);
      const den = R.sum(w, axis);
      const g = axis === null ? 12 : 4;
      const tol = R.map(
        want,
        (q, i) => (g * U) / Math.abs(den.data[i]!) + 2 ** -24 * Math.abs(q) + Math.abs(num.data[i]!) * 2 ** -31 + U,
      );
      cases.push(
        close(
          `average axis ${axis}, secret weights`,
          (snp, p) => snp.average(input(snp, p, 0, data), axis, input(snp, p, 1, w)),
          want,
          tol,
          'float64',
        ),
      );
    }
    const w1 = arr([1, 2, 0.5, 3]);
    const num1 = R.sum(R.mul(data, w1), 1); // w1 broadcasts along the last axis
    const den1 = R.sum(w1).data[0]!;
    const want1 = R.map(num1, (v) => v / den1);
    const tol1 = R.map(
      want1,
      (q, i) => (4 * U) / den1 + 2 ** -24 * Math.abs(q) + Math.abs(num1.data[i]!) * 2 ** -31 + U,
    );
    cases.push(
      close(
        'average axis 1, secret 1-D weights',
        (snp, p) => snp.average(input(snp, p, 0, data), 1, input(snp, p, 1, w1, 'float64', true)),
        want1,
        tol1,
        'float64',
      ),
    );
    await runCases(cases);
  });
});

describe('dealer-free', () => {
  it('reciprocal, division, exp and sigmoid agree with the reference', async () => {
    const d = arr([3, -0.01, 1000]);
    const x = arr([-2, 0.5, 10]);
    await runCases(
      [
        close(
          'reciprocal',
          (snp, p) => snp.reciprocal(input(snp, p, 0, d)),
          M.reciprocal(d),
          tolOf(d, M.tolReciprocal),
        ),
        close(
          'div',
          (snp, p) => input(snp, p, 1, x).div(input(snp, p, 0, d)),
          R.div(x, d),
          R.binary(x, d, M.tolDivide),
        ),
        close('exp', (snp, p) => snp.exp(input(snp, p, 1, x)), M.exp(x), tolOf(x, M.tolExp)),
        close('sigmoid', (snp, p) => snp.sigmoid(input(snp, p, 1, x)), M.sigmoid(x), M.TOL_SIGMOID),
      ],
      { preprocessing: 'dealer-free' },
    );
  });
});
