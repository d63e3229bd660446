// The wide ring (ring: 128, issue 15) with dealer-free preprocessing (the default): a
// representative sample of what dealer mode covers in full (wide-ring.test.ts,
// wide-ring-linalg.test.ts), since every triple here is made by OT: money-scale float64 products
// truncated exactly, a fractional public factor and a mean (truncation by bit products), an int64
// product past 2^64, float64 and int64 matrix products (dealer-free matrix triples in Z_2^128);
// the preprocessing counts per item; and parties on different rings refused at both.

import { describe, expect, it } from 'vitest';
import type { NDArray } from '../../../shared/ndarray.js';
import { RING64, RING128 } from '../../../shared/rings.js';
import { DealerFreeMaker } from '../../../workers/securenumpy/dealer-free.js';
import { createSession, runLocal } from '../../../workers/securenumpy/index.js';
import { poolGroup } from '../../helpers/pools.js';
import { mine, type Snp } from './conformance/harness.js';

const WIDE = { ring: 128 } as const; // preprocessing: 'dealer-free' is the default

/** Input units: round(x·2^16), the fixed-point integer the engine encodes x as (f = 16). */
const units = (x: number) => BigInt(Math.round(x * 2 ** 16));
/** x as an exact fraction g / 2^k. */
function exact(x: number): [bigint, bigint] {
  let k = 0;
  while (!Number.isInteger(x * 2 ** k)) k++;
  return [BigInt(x * 2 ** k), 1n << BigInt(k)];
}
/** |got − num/den| ≤ 2^-16, plus half a float64 ulp of got (past 2^37 it cannot hold every 2^-16). */
function expectNear(got: number, num: bigint, den: bigint): void {
  const [g, gd] = exact(got);
  const diff = Math.abs(Number(g * den - num * gd) / Number(gd * den));
  expect(diff, `${got} vs ${num}/${den}`).toBeLessThanOrEqual(2 ** -16 + Math.abs(got) * 2 ** -53);
}

async function reveal(build: (snp: Snp, p: number) => ReturnType<Snp['zeros']>[]) {
  const [r0, r1] = (await runLocal(
    2,
    (snp, p) => Promise.all(build(snp, p).map((a) => a.revealTo(0))),
    WIDE,
  )) as (NDArray | null)[][];
  expect(r1!.every((v) => v === null)).toBe(true);
  return r0!.map((nd) => Array.from(nd!.data as ArrayLike<number | bigint>));
}

describe('ring 128, dealer-free', () => {
  const X = [5_000_000.25, 12_345_678.5, -9_999_999.5, 0.5];
  const Y = [1.0375, 3_162_277.5, 1_000_000.25, -0.25];

  it('multiplies money-scale secrets, scales by a public fraction and means, each within 2^-16', async () => {
    const [prod, scaled, mean, ints] = await reveal((snp, p) => {
      const x = snp.array(mine(p, 0, X), 0);
      const y = snp.array(mine(p, 1, Y), 1);
      const k = snp.array(mine(p, 1, [2 ** 40, -(2 ** 33) - 5]), 1, 'int64');
      return [x.mul(y), x.mul(0.0125), x.mean(), k.mul(k)];
    });
    // A product of encodings is units(x)·units(y) / 2^32, truncated to 2^-16 within one unit.
    prod!.forEach((v, i) => expectNear(v as number, units(X[i]!) * units(Y[i]!), 1n << 32n));
    const [pn, pd] = exact(0.0125); // a public factor is taken exactly (as a float64 fraction)
    scaled!.forEach((v, i) => expectNear(v as number, units(X[i]!) * pn, pd << 16n));
    expectNear(
      mean![0] as number,
      X.map(units).reduce((a, b) => a + b, 0n),
      4n << 16n,
    );
    expect(ints).toEqual([BigInt.asIntN(64, 2n ** 80n), BigInt.asIntN(64, (2n ** 33n + 5n) ** 2n)]);
  }, 120_000);

  it('multiplies matrices: float64 balances by rates, and int64 with sums past 2^64', async () => {
    const B = [
      [12_345_678_901.5, -9_876_543_210.25],
      [5_000_000.75, 1_000_000_000],
    ];
    const R = [
      [1.0375, -0.5],
      [0.0125, 2],
    ];
    const A = [
      [2 ** 31 - 1, -(2 ** 31) + 7],
      [3, 2 ** 31 - 5],
    ];
    const [f, n] = await reveal((snp, p) => [
      snp
        .array(mine(p, 0, B), 0, 'float64', { shape: [2, 2] })
        .matmul(snp.array(mine(p, 1, R), 1, 'float64', { shape: [2, 2] })),
      snp
        .array(mine(p, 0, A), 0, 'int64', { shape: [2, 2] })
        .matmul(snp.array(mine(p, 1, A), 1, 'int64', { shape: [2, 2] })),
    ]);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        const exact = units(B[i]![0]!) * units(R[0]![j]!) + units(B[i]![1]!) * units(R[1]![j]!);
        expectNear(f![2 * i + j] as number, exact, 1n << 32n); // one truncation after the sum
        const e = BigInt(A[i]![0]!) * BigInt(A[0]![j]!) + BigInt(A[i]![1]!) * BigInt(A[1]![j]!);
        expect(n![2 * i + j]).toBe(BigInt.asIntN(64, e));
      }
  }, 120_000);

  it('counts its preprocessing per item as in ring 64: a triple per product, a bit product per truncation', async () => {
    const [s0] = await runLocal(
      2,
      async (snp, p) => {
        const x = snp.array(mine(p, 0, [1.5, 2.5, 3.5]), 0, 'float64', { shape: [3] });
        await x.mul(x).revealTo(0);
        return snp.stats();
      },
      WIDE,
    );
    expect(s0).toMatchObject({ mode: 'dealer-free', triplesConsumed: 3, truncationsConsumed: 3 });
  }, 120_000);

  it('refuses parties on different rings at both with ERR_BAD_REQUEST', async () => {
    const g = poolGroup(2);
    const sessions = [64, 128].map((ring, p) => createSession(g.pools[p]!, { party: p, ring: ring as 64 | 128 }));
    const runs = sessions.map((s, p) =>
      s.snp
        .array(mine(p, 0, [1.5]), 0, 'float64', { shape: [1] })
        .mul(s.snp.array(mine(p, 1, [2]), 1, 'float64', { shape: [1] }))
        .revealTo(0),
    );
    const outcomes = await Promise.allSettled(runs);
    for (const o of outcomes) expect(o).toMatchObject({ status: 'rejected', reason: { code: 'ERR_BAD_REQUEST' } });
    await Promise.allSettled(sessions.map((s) => s.close()));
    g.close();
  }, 60_000);
});

describe('dealer-free matrix triples: the size limit per ring', () => {
  // Refused before any traffic: at most 2^27 words per opened operand, so 2^27 scalar triples in
  // Z_2^64 and 2^26 in Z_2^128 (a 512³ triple would open 4 GiB per party in the wide ring).
  const maker = (ring: typeof RING64) => new DealerFreeMaker(poolGroup(2).pools[0]!, 0, { ring });
  it('takes 512×512×512 in the standard ring and refuses one more column', async () => {
    await expect(maker(RING64).matrixTriple(512, 512, 513)).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
  });
  it('refuses 512×512×512 in the wide ring, naming its limit', async () => {
    await expect(maker(RING128).matrixTriple(512, 512, 512)).rejects.toMatchObject({
      code: 'ERR_TOO_LARGE',
      message: expect.stringContaining('at most 67108864 in the 128-bit ring'),
    });
  });
});
