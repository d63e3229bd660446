// Checks SecureNumpy's bool arrays against NumPy: and/or/xor/not, + as or and * as and, promotion to numbers, counting with sum; all exact.

import { describe, expect, it } from 'vitest';
import {
  type Case,
  close,
  dealerIn,
  exact,
  input,
  partnerShape,
  publicNd,
  RINGS,
  randArr,
  randBools,
  randInts,
  randShape,
  rng,
  runCases,
  type Snp,
  toBoolNested,
  tolBilinear,
  U,
} from './harness.js';
import * as R from './reference.js';

/** Random broadcasting pairs of bool arrays. */
function boolPairs(seed: number, n: number): [R.Arr, R.Arr][] {
  const r = rng(seed);
  const out: [R.Arr, R.Arr][] = [
    [randBools(r, [3, 1]), randBools(r, [1, 4])],
    [randBools(r, []), randBools(r, [2, 3])],
  ];
  while (out.length < n) {
    const s = randShape(r, 0, 3);
    out.push([randBools(r, s), randBools(r, partnerShape(r, s))]);
  }
  return out;
}

describe.each(RINGS)('bool: logic, ring %i (dealer)', (ring) => {
  it('and, or, xor of two secrets and not, broadcast', async () => {
    const cases: Case[] = [];
    boolPairs(701, 8).forEach(([a, b], i) => {
      const lab = `[${a.shape}] ? [${b.shape}]`;
      const A = (snp: Snp, p: number) => input(snp, p, 0, a, 'bool', true);
      const B = (snp: Snp, p: number) => input(snp, p, 1, b, 'bool', i % 2 === 0);
      cases.push(exact(`and ${lab}`, (snp, p) => A(snp, p).and(B(snp, p)), R.logicalAnd(a, b), 'bool'));
      cases.push(exact(`or ${lab}`, (snp, p) => A(snp, p).or(B(snp, p)), R.logicalOr(a, b), 'bool'));
      cases.push(exact(`xor ${lab}`, (snp, p) => A(snp, p).xor(B(snp, p)), R.logicalXor(a, b), 'bool'));
      cases.push(exact(`not [${a.shape}]`, (snp, p) => A(snp, p).not(), R.logicalNot(a), 'bool'));
      cases.push(exact(`not not [${b.shape}]`, (snp, p) => B(snp, p).not().not(), b, 'bool'));
    });
    await runCases(cases, dealerIn(ring));
  });

  it('and, or, xor with public booleans, bool nested arrays and bool NDArrays', async () => {
    const cases: Case[] = [];
    boolPairs(702, 6).forEach(([a, b], i) => {
      const A = (snp: Snp, p: number) => input(snp, p, i % 2, a, 'bool', true);
      cases.push(exact(`and true [${a.shape}]`, (snp, p) => A(snp, p).and(true), R.logicalAnd(a, 1), 'bool'));
      cases.push(exact(`or false [${a.shape}]`, (snp, p) => A(snp, p).or(false), R.logicalOr(a, 0), 'bool'));
      cases.push(exact(`xor true [${a.shape}]`, (snp, p) => A(snp, p).xor(true), R.logicalXor(a, 1), 'bool'));
      cases.push(
        exact(`and nested [${b.shape}]`, (snp, p) => A(snp, p).and(toBoolNested(b)), R.logicalAnd(a, b), 'bool'),
      );
      cases.push(
        exact(`xor NDArray [${b.shape}]`, (snp, p) => A(snp, p).xor(publicNd(b, 'bool')), R.logicalXor(a, b), 'bool'),
      );
    });
    await runCases(cases, dealerIn(ring));
  });
});

describe.each(RINGS)('bool: arithmetic as NumPy defines it, ring %i (dealer)', (ring) => {
  it('bool + bool is or, bool * bool is and (dtype bool)', async () => {
    const cases: Case[] = [];
    boolPairs(703, 6).forEach(([a, b], i) => {
      const A = (snp: Snp, p: number) => input(snp, p, 0, a, 'bool', true);
      const B = (snp: Snp, p: number) => input(snp, p, 1, b, 'bool', true);
      cases.push(exact(`[${a.shape}] + [${b.shape}]`, (snp, p) => A(snp, p).add(B(snp, p)), R.logicalOr(a, b), 'bool'));
      cases.push(
        exact(`[${a.shape}] * [${b.shape}]`, (snp, p) => A(snp, p).mul(B(snp, p)), R.logicalAnd(a, b), 'bool'),
      );
      if (i === 0) cases.push(exact('bool + public true', (snp, p) => A(snp, p).add(true), R.logicalOr(a, 1), 'bool'));
    });
    await runCases(cases, dealerIn(ring));
  });

  it('bool with int64 promotes to int64 (exact); with float64 to float64', async () => {
    const r = rng(704);
    const cases: Case[] = [];
    for (let i = 0; i < 5; i++) {
      const s = randShape(r, 0, 3);
      const b = randBools(r, s);
      const n = randInts(r, s, -1000, 1000);
      const f = randArr(r, s);
      const B = (snp: Snp, p: number) => input(snp, p, i % 2, b, 'bool', true);
      cases.push(
        exact(
          `bool + int64 [${s}]`,
          (snp, p) => B(snp, p).add(input(snp, p, 1 - (i % 2), n, 'int64')),
          R.add(b, n),
          'int64',
        ),
      );
      cases.push(
        exact(
          `int64 * bool [${s}]`,
          (snp, p) => input(snp, p, 1 - (i % 2), n, 'int64').mul(B(snp, p)),
          R.mul(n, b),
          'int64',
        ),
      );
      cases.push(
        exact(
          `bool - int64 [${s}]`,
          (snp, p) => B(snp, p).sub(input(snp, p, 1 - (i % 2), n, 'int64')),
          R.sub(b, n),
          'int64',
        ),
      );
      cases.push(
        close(
          `bool + float64 [${s}]`,
          (snp, p) => B(snp, p).add(input(snp, p, 1 - (i % 2), f)),
          R.add(b, f),
          U / 2,
          'float64',
        ),
      );
      cases.push(
        close(
          `float64 * bool [${s}]`,
          (snp, p) => input(snp, p, 1 - (i % 2), f).mul(B(snp, p)),
          R.mul(f, b),
          tolBilinear(R.mul, f, b),
          'float64',
        ),
      );
      cases.push(
        close(
          `bool * 2.5 [${s}]`,
          (snp, p) => B(snp, p).mul(2.5),
          R.mul(b, 2.5),
          tolBilinear(R.mul, b, R.scalar(2.5)),
          'float64',
        ),
      );
    }
    await runCases(cases, dealerIn(ring));
  });

  it('sum of bools counts (int64), astype gives 0/1', async () => {
    const r = rng(705);
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) {
      const b = randBools(r, randShape(r, 1, 3, 5));
      const B = (snp: Snp, p: number) => input(snp, p, i % 2, b, 'bool');
      cases.push(exact(`sum [${b.shape}]`, (snp, p) => B(snp, p).sum(), R.sum(b), 'int64'));
      cases.push(exact(`sum [${b.shape}] axis -1`, (snp, p) => B(snp, p).sum(-1), R.sum(b, -1), 'int64'));
      cases.push(exact(`astype int64 [${b.shape}]`, (snp, p) => B(snp, p).astype('int64'), b, 'int64'));
      cases.push(exact(`astype float64 [${b.shape}]`, (snp, p) => B(snp, p).astype('float64'), b, 'float64'));
      cases.push(exact(`astype bool [${b.shape}]`, (snp, p) => B(snp, p).astype('bool'), b, 'bool'));
    }
    await runCases(cases, dealerIn(ring));
  });

  it('revealed bools are a Uint8Array of 0/1 and read as booleans', async () => {
    const b = R.fromNested([
      [1, 0],
      [0, 1],
    ]);
    const cases: Case[] = [
      {
        label: 'bool reveal',
        run: (snp, p) => input(snp, p, 0, b, 'bool').and(true),
        check: (nd) => {
          expect(nd.dtype).toBe('bool');
          expect(nd.data).toBeInstanceOf(Uint8Array);
          expect(nd.toArray()).toEqual([
            [true, false],
            [false, true],
          ]);
        },
      },
    ];
    await runCases(cases, dealerIn(ring));
  });
});
