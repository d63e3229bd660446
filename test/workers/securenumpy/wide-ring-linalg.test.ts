// Matrix products in the wide ring (ring: 128, issue 15), dealer mode: int64 matmul, dot, inner
// and outer (secret × secret with the dealer's matrix triples in Z_2^128, or × public), exact, with
// sums past 2^64 wrapping as NumPy's int64 does (checked against BigInt.asIntN(64, exact product)),
// the same programs in ring 64 for comparison; NumPy's shape errors alike in both rings; float64 ×
// float64 products, truncated exactly, within one unit in the last place per term at money scale.
// (Kept apart from wide-ring.test.ts so each file stays short.)

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../workers/securenumpy/index.js';
import { dealerIn, mine, RINGS, type RingBits, revealFlat, type SA, type Snp } from './conformance/harness.js';

/** Party 0's reveals of `build`'s arrays in the dealer mode of `ring` (party 1 gets nulls). */
const reveal = (ring: RingBits, build: (snp: Snp, p: number) => SA[]) => revealFlat(dealerIn(ring), build);

/** Deterministic int64 entries within 2^10 of ±2^31, so 8-term sums of products pass 2^64. */
function near31(count: number, seed: number): bigint[] {
  let s = seed;
  return Array.from({ length: count }, (_, i) => {
    s = (s * 48271) % 2147483647; // Park–Miller: exact in float64
    const v = 2n ** 31n - BigInt(s % 1024);
    return i % 3 === 1 ? -v : v;
  });
}

/** Row-major (m×k)·(k×n) of bigints, exact (no wrap). */
function matmulExact(a: readonly bigint[], b: readonly bigint[], m: number, k: number, n: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0n;
      for (let l = 0; l < k; l++) acc += a[i * k + l]! * b[l * n + j]!;
      out.push(acc);
    }
  return out;
}

/** NumPy's int64 result: the exact value wrapped to 64 bits. */
const int64 = (v: readonly bigint[]) => v.map((x) => BigInt.asIntN(64, x));
/** Nested rows of `n` (the data of an m×n matrix). */
const rows = <T>(v: readonly T[], n: number): T[][] =>
  Array.from({ length: v.length / n }, (_, i) => v.slice(i * n, (i + 1) * n));

describe.each(RINGS)('ring %i (dealer): int64 matmul, dot, inner and outer', (ring) => {
  const A = near31(16 * 8, 7);
  const B = near31(8 * 4, 11);
  const exact = matmulExact(A, B, 16, 8, 4);

  it('16×8 by 8×4 near 2^31, secret × secret and with either side public, wraps as NumPy int64', async () => {
    // The check covers the wrap: some exact sums leave the int64 range.
    expect(exact.some((v) => v !== BigInt.asIntN(64, v))).toBe(true);
    const [ss, sp, ps] = await reveal(ring, (snp, p) => {
      const x = snp.array(mine(p, 0, rows(A, 8)), 0, 'int64', { shape: [16, 8] });
      const y = snp.array(mine(p, 1, rows(B, 4)), 1, 'int64', { shape: [8, 4] });
      return [x.matmul(y), snp.matmul(x, rows(B.map(Number), 4)), snp.matmul(rows(A.map(Number), 8), y)];
    });
    for (const r of [ss, sp, ps]) expect(r).toEqual({ shape: [16, 4], values: int64(exact) });
  });

  it('dot, inner and outer of int64 secrets, and a float64 price vector · int64 quantities', async () => {
    const u = A.slice(0, 8);
    const v = B.slice(0, 8);
    const [d, dm, inn, out, money] = await reveal(ring, (snp, p) => {
      const x = snp.array(mine(p, 0, u), 0, 'int64', { shape: [8] });
      const y = snp.array(mine(p, 1, v), 1, 'int64', { shape: [8] });
      const m = snp.array(mine(p, 0, rows(A, 8)), 0, 'int64', { shape: [16, 8] });
      const price = snp.array(mine(p, 0, [19.75, 3.5, -2.25]), 0, 'float64', { shape: [3] });
      const qty = snp.array(mine(p, 1, [1000, 7, 4]), 1, 'int64', { shape: [3] });
      return [snp.dot(x, y), m.dot(y), snp.inner(m, y), snp.outer(x, y), snp.dot(price, qty)];
    });
    const dotUV = matmulExact(u, v, 1, 8, 1);
    expect(d).toEqual({ shape: [], values: int64(dotUV) });
    expect(dm).toEqual({ shape: [16], values: int64(matmulExact(A, v, 16, 8, 1)) });
    expect(inn).toEqual({ shape: [16], values: int64(matmulExact(A, v, 16, 8, 1)) });
    expect(out).toEqual({ shape: [8, 8], values: int64(matmulExact(u, v, 8, 1, 8)) });
    expect(money).toEqual({ shape: [], values: [19.75 * 1000 + 3.5 * 7 - 2.25 * 4] });
  });

  it('refuses mismatched shapes with ERR_SHAPE at both parties, at the call', async () => {
    const [r0] = await runLocal(
      2,
      async (snp, p) => {
        const x = snp.array(
          mine(p, 0, [
            [1, 2, 3],
            [4, 5, 6],
          ]),
          0,
          'int64',
          { shape: [2, 3] },
        );
        const bad = [
          () => x.matmul(x),
          () => snp.matmul(x, [1, 2]),
          () => snp.matmul(x, 2),
          () => x.dot(x),
          () => snp.inner(x, [1, 2]),
        ];
        for (const f of bad) expect(f).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
        return snp.outer(x, [1, -1]).revealTo(0);
      },
      dealerIn(ring),
    );
    expect(Array.from(r0!.data as BigInt64Array)).toEqual([1n, -1n, 2n, -2n, 3n, -3n, 4n, -4n, 5n, -5n, 6n, -6n]);
  });
});

describe('ring 128 (dealer): float64 matrix products (truncated after the product)', () => {
  // Balances near 10^10 times rates: far beyond ring 64's range, exact to 2^-16 per product term.
  const balances = [12_345_678_901.5, -9_876_543_210.25, 5_000_000.75, 1_000_000_000];
  const rates = [1.0375, 0.0125, -0.5, 2];
  const fx = (snp: Snp, p: number) => snp.array(mine(p, 0, balances), 0, 'float64', { shape: [4] });
  const fy = (snp: Snp, p: number) => snp.array(mine(p, 1, rates), 1, 'float64', { shape: [4] });
  const enc = (v: number) => Math.round(v * 2 ** 16) / 2 ** 16;
  const exactDot = balances.reduce((acc, b, i) => acc + enc(b) * enc(rates[i]!), 0);

  it.each([
    ['matmul', (snp: Snp, p: number) => snp.matmul(fx(snp, p), fy(snp, p))],
    ['dot', (snp: Snp, p: number) => snp.dot(fx(snp, p), fy(snp, p))],
    ['inner', (snp: Snp, p: number) => snp.inner(fx(snp, p), fy(snp, p))],
  ])('%s of balances and rates matches the exact sum within 4 units of 2^-16 (and float64 rounding)', async (_, f) => {
    const [r] = await reveal(128, (snp, p) => [f(snp, p)]);
    expect(r!.shape).toEqual([]);
    expect(Math.abs(Number(r!.values[0]) - exactDot)).toBeLessThanOrEqual(4 * 2 ** -16 + Math.abs(exactDot) * 2 ** -52);
  });

  it('outer with a public float', async () => {
    const [r] = await reveal(128, (snp, p) => [snp.outer([0.5, -3], fx(snp, p))]);
    expect(r!.shape).toEqual([2, 4]);
    const want = [0.5, -3].flatMap((a) => balances.map((b) => a * enc(b)));
    r!.values.forEach((v, i) =>
      expect(Math.abs(Number(v) - want[i]!)).toBeLessThanOrEqual(2 ** -16 + Math.abs(want[i]!) * 2 ** -52),
    );
  });
});
