// Checks exp, sigmoid and softmax against the plaintext reference over each function's documented
// domain (reference-math.ts) in both rings (dealer mode), from the saturated end to the top of
// exp's range ((H − 1 − f)·ln 2: 10.39 in Z_2^64, 32.58 in Z_2^128 at f = 16); and the math ops
// in dealer-free mode on a sample (Z_2^64). Inputs are rounded to the fixed point first, so the bounds
// measure the engine's own error only.

import { describe, expect, it } from 'vitest';
import { type Case, close, expectClose, input, reveal0, rng, runCases, toRef, U } from './harness.js';
import { arr, logUniform, RINGS, ringCase, uniform } from './math-inputs.js';
import * as R from './reference.js';
import * as M from './reference-math.js';

const tolOf = (xs: R.Arr, f: (v: number) => number): R.Arr => R.map(xs, f);

describe.each(RINGS.map(ringCase))('ring $ring: exp, sigmoid and softmax', ({ ring, edge: EDGE, opts, sample }) => {
  it('exp over the domain (−edge, (H − 1 − f)·ln 2): saturates to 0 below −(f + 1)·ln 2, within 2^-22·e^x + u', async () => {
    const r = rng(4201);
    const hi = (ring / 2 - 1 - 16) * Math.LN2 - 1e-3;
    const edges = [0, U, -U, 1, -1, hi, hi - 1, 10.39, -11.7, -11.8, -12, -100, -EDGE, 5, -5, 0.5];
    const x = arr([
      ...edges,
      ...uniform(r, sample, -13, hi),
      ...logUniform(r, sample / 4, 12, EDGE).map((v) => -Math.abs(v)),
    ]);
    await runCases(
      [close('exp', (snp, p) => snp.exp(input(snp, p, 0, x)), M.exp(x), tolOf(x, M.tolExp), 'float64')],
      opts,
    );
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
      ...uniform(r, sample, -15, 15),
      ...logUniform(r, sample / 4, 15, EDGE),
    ]);
    const [sg, mirror] = await reveal0((snp, p) => {
      const a = input(snp, p, 0, x);
      return [snp.sigmoid(a).revealTo(0), snp.sigmoid(a).add(snp.sigmoid(a.neg())).revealTo(0)];
    }, opts);
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
    await runCases(cases, opts);
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
