// Checks SecureNumpy's normalising math (reciprocal, division by a secret, sqrt, log) against the
// plaintext reference over each function's documented domain in both rings (dealer mode), from
// the smallest values to the edge of the ring's range (2^(31−f) in Z_2^64, 2^(63−f) in Z_2^128),
// holding each result to its documented bound (reference-math.ts). Inputs are rounded to the
// fixed point first, so the bounds measure the engine's own error only. exp, sigmoid and softmax
// are in math-exp.test.ts; var, std, negative powers and weighted averages in math-stats.test.ts.
// The per-value costs (rounds, AND words, triples, truncations with B2A's bit products) are held
// to the documented table in both rings.

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { receivedByParty1 } from '../../../helpers/transcript.js';
import {
  type Case,
  close,
  expectClose,
  input,
  reveal0,
  rng,
  runCases,
  type SA,
  type Snp,
  toRef,
  U,
} from './harness.js';
import { arr, logUniform, RINGS, ringCase, uniform } from './math-inputs.js';
import * as R from './reference.js';
import * as M from './reference-math.js';

const tolOf = (xs: R.Arr, f: (v: number) => number): R.Arr => R.map(xs, f);

describe.each(RINGS.map(ringCase))('ring $ring: reciprocal and division by a secret', (rc) => {
  const { edge, opts, q, sample } = rc;
  /** Wide-ring extras: divisors and values near the top of Z_2^128's range. */
  const wideEdges = rc.ring === 128 ? [1e14, -1e14, 2 ** 46, -(2 ** 46) - 0.5, 123456789012.25, 5e6, -5e6] : [];

  it('reciprocal over 2^-16 ≤ |d| < the edge, edges included, within 2^-24·|1/d| + u', async () => {
    const r = rng(4101);
    const edges = [U, -U, 2 * U, 3 * U, 1, -1, 0.5, 0.75, 2, 3, -7.5, 1000, 1024, 1023, 32767, -(2 ** 14) - U];
    const d = arr([...edges, edge, -edge, ...wideEdges, ...logUniform(r, sample, U, edge)]);
    await runCases(
      [
        close(
          'reciprocal',
          (snp, p) => snp.reciprocal(input(snp, p, 1, d)),
          M.reciprocal(d),
          tolOf(d, M.tolReciprocal),
        ),
      ],
      opts,
    );
  });

  it('x.div(d) and snp.divide with secret divisors, broadcasting, int64 promoted, within 2^-24·|x/d| + |x|·2^-q + u', async () => {
    const r = rng(4102);
    const d = arr([...wideEdges, ...logUniform(r, sample, U, edge)]);
    // Numerators as large as the quotient's range allows (|x/d| < edge), down to tiny ones.
    const x = arr(
      d.data.map((v) => Math.min(edge, Math.abs(v) * edge * 0.999) * (2 * r() - 1) * (r() < 0.2 ? 1e-3 : 1)),
    );
    const tolDiv = (a: number, b: number) => M.tolDivide(a, b, q);
    const dRow = arr([3, -0.25, 7.125], [1, 3]);
    const xCol = arr([1.5, -2, 100, 0.001], [4, 1]);
    const xi: R.Arr = { shape: [3], data: [7, -9, 1000] };
    const di: R.Arr = { shape: [3], data: [2, 4, -3] };
    const cases: Case[] = [
      close('x.div(d)', (snp, p) => input(snp, p, 0, x).div(input(snp, p, 1, d)), R.div(x, d), R.binary(x, d, tolDiv)),
      close(
        'snp.divide, broadcast',
        (snp, p) => snp.divide(input(snp, p, 0, xCol), input(snp, p, 1, dRow)),
        R.div(xCol, dRow),
        R.binary(xCol, dRow, tolDiv),
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
        R.binary(xi, di, tolDiv),
        'float64',
      ),
    ];
    await runCases(cases, opts);
  });

  it('properties: d·reciprocal(d) ≈ 1 and reciprocal(reciprocal(d)) ≈ d; d = 0 runs (undefined result) without failing', async () => {
    const r = rng(4103);
    const d = arr(logUniform(r, 30, 0.01, 100));
    const [prod, twice, zero] = await reveal0((snp, p) => {
      const x = input(snp, p, 0, d);
      return [
        x.mul(snp.reciprocal(x)).revealTo(0),
        snp.reciprocal(snp.reciprocal(x)).revealTo(0),
        snp.reciprocal(input(snp, p, 0, arr([0, 1]))).revealTo(0),
      ];
    }, opts);
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
      const t = await receivedByParty1(
        async (snp, p) => {
          const x = snp.array(p === 0 ? [1, 2, 3, 4] : null, 0, { shape: [4] });
          const d = snp.array(p === 0 ? ds : null, 0, { shape: [4] });
          await x.div(d).revealTo(0);
        },
        'dealer',
        rc.ring,
      );
      return [...t.seen].sort();
    }
    const a = await transcript([U, -U, 2 * U, 3 * U]);
    const b = await transcript([30000, -20000.5, 12345.678, -edge]);
    expect(a.length).toBeGreaterThan(30);
    expect(b).toEqual(a);
  });
});

describe.each(RINGS.map(ringCase))('ring $ring: sqrt and log', ({ edge, opts, sample, ring }) => {
  const wide = ring === 128 ? [1e14, 99999999999999.5, 2 ** 46, 1e10 + 0.25, 7e12] : [];

  it('sqrt over 0 ≤ x < the edge within 2^-22·√x + u; sqrt(x)² ≈ x', async () => {
    const r = rng(4203);
    const x = arr([
      0,
      U,
      2 * U,
      0.25,
      1,
      2,
      4,
      1023,
      1024,
      32767,
      edge,
      ...wide,
      ...logUniform(r, sample, U, edge, true),
    ]);
    const small = arr(logUniform(r, 30, U, 1000, true));
    const [s, sq] = await reveal0((snp, p) => {
      const root = snp.sqrt(input(snp, p, 1, small));
      return [snp.sqrt(input(snp, p, 1, x)).revealTo(0), root.mul(root).revealTo(0)];
    }, opts);
    expectClose(s, M.sqrt(x), tolOf(x, M.tolSqrt), 'sqrt', 'float64');
    expectClose(
      sq,
      small,
      tolOf(small, (v) => 2 * Math.sqrt(v) * M.tolSqrt(v) + 2 * U),
      'sqrt(x)²',
    );
  });

  it('log over 2^-16 ≤ x < the edge within 2^-23 + u', async () => {
    const r = rng(4204);
    const x = arr([U, 2 * U, 3 * U, 0.5, 1, 2, Math.E, 1023, 1024, 1025, 32767, edge, ...wide]);
    const y = arr([...x.data, ...logUniform(r, sample, U, edge, true)]);
    await runCases([close('log', (snp, p) => snp.log(input(snp, p, 0, y)), M.log(y), M.TOL_LOG, 'float64')], opts);
  });
});

describe('ring 64: log(exp(y)) ≈ y', () => {
  it('log(exp(y)) within log of exp’s relative bound plus log’s', async () => {
    const y = arr(uniform(rng(4205), 40, -5, 5));
    const [round] = await reveal0((snp, p) => [snp.log(snp.exp(input(snp, p, 1, y))).revealTo(0)]);
    // exp's error 2^-22·e^y + u is relative (2^-22 + u·e^-y) through log, plus log's own bound.
    expectClose(
      round,
      y,
      R.map(y, (v) => 2 ** -22 + 1.01 * U * Math.exp(-v) + M.TOL_LOG),
      'log(exp(y))',
    );
  });
});

describe.each(RINGS.map(ringCase))('ring $ring: costs per value as documented', ({ ring, opts }) => {
  const H = ring / 2;
  const lg = Math.log2(H);
  /** [op, rounds, AND words, triples, truncations + bit products] per value (docs/securenumpy.md, Math). */
  const table: [string, (snp: Snp, x: SA) => SA, number, number, number, number][] = [
    ['reciprocal', (snp, x) => snp.reciprocal(x), 25 + lg, 12 + lg, 10, 8 + H + 1],
    ['log', (snp, x) => snp.log(x), 28 + lg, 12 + lg, 9, 11 + H - 1],
    ['sqrt', (snp, x) => snp.sqrt(x), 38 + lg, 12 + lg, 15, 15 + H - 1],
    ['exp', (snp, x) => snp.exp(x), ring === 64 ? 20 : 21, ring === 64 ? 12 : 27, 29 + lg - 5, 24 + 25 + lg],
  ];
  it.each(table)('%s', async (_, f, rounds, and, triples, truncations) => {
    const n = 8;
    const [got] = (await runLocal(
      2,
      async (snp, p) => {
        const x = snp.array(p === 0 ? [1, 2, 3, 4, 5, 6, 7, 8] : null, 0, { shape: [n] });
        await x.revealTo(0);
        const before = snp.stats();
        await f(snp, x).revealTo(0);
        const after = snp.stats();
        return [
          after.rounds - before.rounds,
          (after.andWordsConsumed - before.andWordsConsumed) / n,
          (after.triplesConsumed - before.triplesConsumed) / n,
          (after.truncationsConsumed - before.truncationsConsumed) / n,
        ];
      },
      opts,
    )) as number[][];
    expect(got).toEqual([rounds, and, triples, truncations]);
  });
});
