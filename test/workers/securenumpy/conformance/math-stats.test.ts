// Checks var, std, power with negative exponents and weighted averages (public and secret
// weights) against the plaintext reference in both rings (dealer mode), holding each result to
// its documented bound (reference-math.ts); in the wide ring also at money scale (balances near
// 10^13, the 64-bit ring's range being 32,768 at f = 16).

import { describe, it } from 'vitest';
import { type Case, close, input, prodBound, publicNd, rng, runCases, U } from './harness.js';
import { arr, logUniform, RINGS, ringCase, uniform } from './math-inputs.js';
import * as R from './reference.js';
import * as M from './reference-math.js';

describe.each(RINGS.map(ringCase))('ring $ring: var, std, negative powers, weighted averages', (rc) => {
  const { opts, q } = rc;
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
    cases.push(close('var of a constant', (snp, p) => snp.var(input(snp, p, 0, c)), R.scalar(0), M.tolVar(0)));
    cases.push(close('std of a constant', (snp, p) => snp.std(input(snp, p, 0, c)), R.scalar(0), M.tolStd(0)));
    await runCases(cases, opts);
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
    /** g·u/|Σw| + div's bound on Σx·w / Σw. */
    const tolAvg = (want: R.Arr, num: R.Arr, den: R.Arr, g: number) =>
      R.map(want, (_, i) => {
        const d = den.data[i] ?? den.data[0]!;
        return (g * U) / Math.abs(d) + M.tolDivide(num.data[i]!, d, q);
      });
    for (const axis of [null, 1] as const) {
      const want = R.average(data, axis, w);
      const tol = tolAvg(want, R.sum(R.mul(data, w), axis), R.sum(w, axis), axis === null ? 12 : 4);
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
    const want1 = R.map(num1, (v) => v / 6.5);
    cases.push(
      close(
        'average axis 1, secret 1-D weights',
        (snp, p) => snp.average(input(snp, p, 0, data), 1, input(snp, p, 1, w1, 'float64', true)),
        want1,
        tolAvg(want1, num1, R.scalar(6.5), 4),
        'float64',
      ),
    );
    await runCases(cases, opts);
  });
});

describe('ring 128 at money scale', () => {
  const { opts } = ringCase(128);

  it('var and std of balances near 10^13 (var < 2^(70−f), std within sqrt’s domain)', async () => {
    const r = rng(4304);
    const x = arr(
      uniform(r, 24, -1e7, 1e7).map((d) => 1e13 + d),
      [4, 6],
    );
    const cases: Case[] = [];
    for (const axis of [null, 1] as const) {
      const v = M.variance(x, axis);
      cases.push(close(`var axis ${axis}`, (snp, p) => snp.var(input(snp, p, 0, x), axis), v, R.map(v, M.tolVar)));
      cases.push(
        close(`std axis ${axis}`, (snp, p) => snp.std(input(snp, p, 0, x), axis), M.std(x, axis), R.map(v, M.tolStd)),
      );
    }
    await runCases(cases, opts);
  });

  it('averages of balances with public weights (whole and fractional) and secret weights', async () => {
    const r = rng(4305);
    const x = arr(logUniform(r, 12, 1e9, 9e13, true), [3, 4]);
    const whole = arr([1, 3, 2, 5]);
    const frac = arr([0.25, 1.5, 2.125, 0.75]);
    const sw = arr(uniform(r, 12, 0.5, 3), [3, 4]);
    const cases: Case[] = [];
    for (const w of [whole, frac]) {
      const want = R.average(x, 1, w);
      const den = R.sum(w).data[0]!;
      const wholeW = w === whole;
      // u + |avg|·2^-50 (1/Σw with 56 bits, from a float64 quotient); fractional w: each product
      // Σ|x_i|·2^-(f+1) (w rounded to 2^-f) and one more truncation, over |Σw|.
      const tol = R.map(want, (v, i) => {
        const row = x.data.slice(4 * i, 4 * i + 4);
        const extra = wholeW ? 0 : (row.reduce((a, b) => a + Math.abs(b), 0) * U) / 2 / den + U / den;
        return 2 * U + Math.abs(v) * 2 ** -50 + extra;
      });
      cases.push(
        close(
          `public ${wholeW ? 'whole' : 'fractional'} weights`,
          (snp, p) => snp.average(input(snp, p, 0, x), 1, publicNd(w)),
          want,
          tol,
        ),
      );
    }
    const want = R.average(x, 1, sw);
    const num = R.sum(R.mul(x, sw), 1);
    const den = R.sum(sw, 1);
    const tol = R.map(want, (_, i) => (4 * U) / den.data[i]! + M.tolDivide(num.data[i]!, den.data[i]!, 62));
    cases.push(
      close('secret weights', (snp, p) => snp.average(input(snp, p, 0, x), 1, input(snp, p, 1, sw)), want, tol),
    );
    await runCases(cases, opts);
  });
});
