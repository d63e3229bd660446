// Checks SecureNumpy's dtype rules against NumPy: exact int64 that wraps mod 2^64, promotion, true division, astype, revealed typed arrays.

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import {
  type Case,
  close,
  exact,
  input,
  publicNd,
  randArr,
  randInts,
  randShape,
  reveal0,
  rng,
  runCases,
  type Snp,
  tolBilinear,
  tolLinear,
  U,
} from './harness.js';
import * as R from './reference.js';

describe('dtype: revealed arrays', () => {
  it('float64, int64 and bool reveal as Float64Array, BigInt64Array and Uint8Array', async () => {
    const out = await reveal0((snp, p) => [
      input(snp, p, 0, R.fromNested([1.5, -2])).revealTo(0),
      input(snp, p, 1, R.fromNested([3, -4]), 'int64').revealTo(0),
      input(snp, p, 0, R.fromNested([1, 0]), 'bool').revealTo(0),
    ]);
    expect(out.map((nd) => nd.dtype)).toEqual(['float64', 'int64', 'bool']);
    expect(out[0]!.data).toBeInstanceOf(Float64Array);
    expect(out[1]!.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(out[1]!.data as BigInt64Array)).toEqual([3n, -4n]);
    expect(out[2]!.data).toBeInstanceOf(Uint8Array);
  });

  it('int64 results read as whole numbers through toArray()', async () => {
    const [a, b] = await reveal0((snp, p) => [
      input(
        snp,
        p,
        0,
        R.fromNested([
          [3, -4],
          [5, 6],
        ]),
        'int64',
      ).revealTo(0),
      input(snp, p, 1, R.fromNested(9), 'int64').sum().revealTo(0),
    ]);
    expect(a!.toArray()).toEqual([
      [3, -4],
      [5, 6],
    ]);
    expect(b!.toArray()).toBe(9);
  });

  it('the secret arrays report their dtype', async () => {
    const [d0, d1] = await runLocal(
      2,
      (snp, p) => {
        const f = input(snp, p, 0, R.fromNested([1.5]));
        const i = input(snp, p, 1, R.fromNested([1]), 'int64');
        const b = input(snp, p, 0, R.fromNested([1]), 'bool');
        return [
          f.dtype,
          i.dtype,
          b.dtype,
          i.add(f).dtype,
          b.add(i).dtype,
          b.add(b).dtype,
          i.div(2).dtype,
          i.mean().dtype,
          b.sum().dtype,
          i.mul(i).dtype,
        ];
      },
      { preprocessing: 'dealer' },
    );
    const want = ['float64', 'int64', 'bool', 'float64', 'int64', 'bool', 'float64', 'float64', 'int64', 'int64'];
    expect(d0).toEqual(want);
    expect(d1).toEqual(want);
  });
});

describe('dtype: int64 is exact', () => {
  it('add, sub, mul, neg, matmul, sum, cumsum and prod of int64 secrets', async () => {
    const r = rng(801);
    const cases: Case[] = [];
    for (let i = 0; i < 5; i++) {
      const s = randShape(r, 1, 3);
      const a = randInts(r, s, -1e6, 1e6);
      const b = randInts(r, s, -1e6, 1e6);
      const A = (snp: Snp, p: number) => input(snp, p, 0, a, 'int64', i % 2 === 0);
      const B = (snp: Snp, p: number) => input(snp, p, 1, b, 'int64');
      cases.push(exact(`int64 add [${s}]`, (snp, p) => A(snp, p).add(B(snp, p)), R.add(a, b), 'int64'));
      cases.push(exact(`int64 sub [${s}]`, (snp, p) => A(snp, p).sub(B(snp, p)), R.sub(a, b), 'int64'));
      cases.push(exact(`int64 mul [${s}]`, (snp, p) => A(snp, p).mul(B(snp, p)), R.mul(a, b), 'int64'));
      cases.push(exact(`int64 neg [${s}]`, (snp, p) => A(snp, p).neg(), R.neg(a), 'int64'));
      cases.push(exact(`int64 sum [${s}]`, (snp, p) => A(snp, p).sum(), R.sum(a), 'int64'));
      cases.push(exact(`int64 cumsum [${s}] axis -1`, (snp, p) => A(snp, p).cumsum(-1), R.cumsum(a, -1), 'int64'));
      cases.push(
        exact(`int64 + public int [${s}]`, (snp, p) => A(snp, p).add(publicNd(b, 'int64')), R.add(a, b), 'int64'),
      );
      cases.push(exact(`int64 * 3 [${s}]`, (snp, p) => A(snp, p).mul(3), R.mul(a, 3), 'int64'));
    }
    const m = randInts(r, [3, 4], -1000, 1000);
    const n = randInts(r, [4, 2], -1000, 1000);
    const q = randInts(r, [2, 3], -20, 20);
    cases.push(
      exact(
        'int64 matmul [3,4]@[4,2]',
        (snp, p) => input(snp, p, 0, m, 'int64').matmul(input(snp, p, 1, n, 'int64')),
        R.matmul(m, n),
        'int64',
      ),
    );
    cases.push(exact('int64 prod axis 1', (snp, p) => input(snp, p, 1, q, 'int64').prod(1), R.prod(q, 1), 'int64'));
    await runCases(cases);
  });

  it('int64 wraps mod 2^64 as NumPy does', async () => {
    const big = 2 ** 52;
    const out = await reveal0((snp, p) => {
      const x = input(snp, p, 0, R.fromNested([big, -big]), 'int64');
      const y = input(snp, p, 1, R.fromNested([2 ** 11, 2 ** 12]), 'int64');
      const u = input(snp, p, 0, R.fromNested([2 ** 33]), 'int64');
      const v = input(snp, p, 1, R.fromNested([2 ** 30]), 'int64');
      return [x.mul(y).revealTo(0), x.mul(4096).revealTo(0), u.mul(v).revealTo(0), u.mul(v).mul(2).revealTo(0)];
    });
    const data = out.map((nd) => Array.from(nd.data as BigInt64Array));
    expect(data[0]).toEqual([-(2n ** 63n), 0n]); // 2^63 wraps to -2^63; -2^64 wraps to 0
    expect(data[1]).toEqual([0n, 0n]);
    expect(data[2]).toEqual([-(2n ** 63n)]);
    expect(data[3]).toEqual([0n]);
  });
});

describe('dtype: promotion and conversion', () => {
  it('int64 with float64 gives float64; int64 divided by a public value is true division', async () => {
    const r = rng(802);
    const cases: Case[] = [];
    for (let i = 0; i < 5; i++) {
      const s = randShape(r, 0, 3);
      const n = randInts(r, s, -100, 100);
      const f = randArr(r, s);
      const d = [2, 3, -7, 0.5, 4][i]!;
      const N = (snp: Snp, p: number) => input(snp, p, 0, n, 'int64', true);
      const F = (snp: Snp, p: number) => input(snp, p, 1, f);
      cases.push(close(`int64 + float64 [${s}]`, (snp, p) => N(snp, p).add(F(snp, p)), R.add(n, f), U / 2, 'float64'));
      cases.push(close(`float64 - int64 [${s}]`, (snp, p) => F(snp, p).sub(N(snp, p)), R.sub(f, n), U / 2, 'float64'));
      cases.push(
        close(
          `int64 * float64 [${s}]`,
          (snp, p) => N(snp, p).mul(F(snp, p)),
          R.mul(n, f),
          tolBilinear(R.mul, n, f),
          'float64',
        ),
      );
      cases.push(close(`int64 + 0.5 [${s}]`, (snp, p) => N(snp, p).add(0.5), R.add(n, 0.5), 0, 'float64'));
      cases.push(
        close(
          `int64 / ${d} [${s}]`,
          (snp, p) => N(snp, p).div(d),
          R.div(n, d),
          tolBilinear(R.mul, n, R.scalar(1 / d)),
          'float64',
        ),
      );
      cases.push(close(`int64 astype float64 [${s}]`, (snp, p) => N(snp, p).astype('float64'), n, 0, 'float64'));
      cases.push(
        close(
          `int64 mean [${s}]`,
          (snp, p) => N(snp, p).mean(),
          R.mean(n),
          (Math.abs(R.sum(n).data[0]!) * U) / 2 + 2 * U,
          'float64',
        ),
      );
      cases.push(exact(`int64 astype int64 [${s}]`, (snp, p) => N(snp, p).astype('int64'), n, 'int64'));
      cases.push(
        close(
          `float64 astype float64 [${s}]`,
          (snp, p) => F(snp, p).astype('float64'),
          f,
          tolLinear(R.onesLike(f)),
          'float64',
        ),
      );
    }
    await runCases(cases);
  });
});
