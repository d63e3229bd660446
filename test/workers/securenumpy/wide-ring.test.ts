// The wide ring (ring: 128, issue 15) in dealer mode: money-sized inputs, reveals, shape and
// indexing ops, linear ops, whole public factors and int64 products, exact against BigInt/Number
// references, the same programs in both rings where both take them; float64 products, fractional
// public factors, division by public values and means within 2^-16 of the exact rational result
// (exact truncation in Z_2^128, protocols.ts); and the 64-bit ring's range error naming the index
// and pointing at the wide ring. (Comparisons, math, conversions and shares have their own files,
// each in both rings.)

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../workers/securenumpy/index.js';
import { dealerIn, mine, RINGS, type RingBits, revealFlat, type SA, type Snp } from './conformance/harness.js';

/** Party 0's reveals of `build`'s arrays in the dealer mode of `ring` (party 1 gets nulls). */
const reveal = (ring: RingBits, build: (snp: Snp, p: number) => SA[]) => revealFlat(dealerIn(ring), build);

describe.each(RINGS)('ring %i (dealer): inputs, reveals, shape ops and linear ops', (ring) => {
  it('shares float64, int64 and bool inputs and reveals them exactly', async () => {
    const [f, i, b] = await reveal(ring, (snp, p) => [
      snp.array(
        mine(p, 0, [
          [1.5, -2.25, 3],
          [0, 1000.5, -7],
        ]),
        0,
      ),
      snp.array(mine(p, 1, [-5, 7, 2 ** 40]), 1, 'int64'),
      snp.array(mine(p, 0, [true, false, true]), 0, 'bool'),
    ]);
    expect(f).toEqual({ shape: [2, 3], values: [1.5, -2.25, 3, 0, 1000.5, -7] });
    expect(i).toEqual({ shape: [3], values: [-5n, 7n, 2n ** 40n] });
    expect(b).toEqual({ shape: [3], values: [1, 0, 1] });
  });

  it('moves shares as NumPy moves values: reshape, transpose, get, set, concatenate, stack, tile, repeat, resize', async () => {
    const out = await reveal(ring, (snp, p) => {
      const x = snp.array(
        mine(p, 0, [
          [1, 2, 3],
          [4, 5, 6],
        ]),
        0,
        'float64',
        { shape: [2, 3] },
      );
      const y = snp.array(mine(p, 1, [[10, 20, 30]]), 1, 'float64', { shape: [1, 3] });
      const z = snp.array(
        mine(p, 1, [
          [7, 8, 9],
          [1, 1, 1],
        ]),
        1,
        'float64',
        { shape: [2, 3] },
      );
      z.set([1, ':'], y.reshape([3]));
      return [
        x.reshape([3, 2]),
        x.T,
        x.get(1, '::-1'),
        snp.concatenate([x, y], 0),
        snp.stack([x, x], 2),
        snp.hstack([x, [[0.5], [-0.5]]]),
        snp.tile(y, [2, 1]),
        snp.repeat(x, 2, 1),
        snp.resize(x, [4]),
        z,
      ];
    });
    expect(out.map((o) => o.values)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [1, 4, 2, 5, 3, 6],
      [6, 5, 4],
      [1, 2, 3, 4, 5, 6, 10, 20, 30],
      [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
      [1, 2, 3, 0.5, 4, 5, 6, -0.5],
      [10, 20, 30, 10, 20, 30],
      [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
      [1, 2, 3, 4],
      [7, 8, 9, 10, 20, 30],
    ]);
    expect(out.map((o) => o.shape)).toEqual([
      [3, 2],
      [3, 2],
      [3],
      [3, 3],
      [2, 3, 2],
      [2, 4],
      [2, 3],
      [2, 6],
      [4],
      [2, 3],
    ]);
  });

  it('adds, subtracts, negates, sums and multiplies by whole numbers and int64 secrets exactly', async () => {
    const out = await reveal(ring, (snp, p) => {
      const x = snp.array(mine(p, 0, [1.25, -3.5, 100]), 0);
      const y = snp.array(mine(p, 1, [0.5, 0.25, -0.75]), 1);
      const k = snp.array(mine(p, 1, [3, -4, 5]), 1, 'int64');
      const j = snp.array(mine(p, 0, [-7, 11, 2 ** 20]), 0, 'int64');
      return [
        x.add(y),
        x.sub(y),
        x.neg(),
        snp.sum(x),
        snp.cumsum(x),
        x.mul(3),
        x.mul(k),
        k.mul(j),
        x.add(k),
        x.div(0.5),
      ];
    });
    expect(out.map((o) => o.values)).toEqual([
      [1.75, -3.25, 99.25],
      [0.75, -3.75, 100.75],
      [-1.25, 3.5, -100],
      [97.75],
      [1.25, -2.25, 97.75],
      [3.75, -10.5, 300],
      [3.75, 14, 500],
      [-21n, -44n, 5n * 2n ** 20n],
      [4.25, -7.5, 105],
      [2.5, -7, 200],
    ]);
  });
});

describe('ring 128 (dealer): money-sized values, exact', () => {
  it('takes balances of millions and billions, and sums of 10^13-scale values', async () => {
    const balances = [5_000_000.25, 12_345_678_901.5, -987_654_321.75];
    const big = [9.5e13, 4.25e13, -3e13, 1.2e13];
    const [b, total, s, scaled] = await reveal(128, (snp, p) => {
      const x = snp.array(mine(p, 0, balances), 0);
      const y = snp.array(mine(p, 1, big), 1);
      return [x, x.add(snp.array(mine(p, 1, [1, 2, 3]), 1)), snp.sum(y), x.mul(1000)];
    });
    expect(b!.values).toEqual(balances);
    expect(total!.values).toEqual([5_000_001.25, 12_345_678_903.5, -987_654_318.75]);
    expect(s!.values).toEqual([big.reduce((a, v) => a + v, 0)]); // 1.2575·10^14: past the input range, still exact
    expect(scaled!.values).toEqual(balances.map((v) => v * 1000));
  });

  it('multiplies int64 secrets near 2^40 exactly (NumPy wraps at 2^64), and a balance by a secret quantity', async () => {
    const a = [2n ** 40n + 12345n, -(2n ** 40n) + 7n, 2n ** 31n + 1n];
    const c = [2n ** 40n - 99n, 2n ** 39n + 5n, 2n ** 31n - 1n];
    const [prod, amount] = await reveal(128, (snp, p) => {
      const x = snp.array(mine(p, 0, a), 0, 'int64');
      const y = snp.array(mine(p, 1, c), 1, 'int64');
      const price = snp.array(mine(p, 0, [5_000_000.25, 19.99]), 0);
      const qty = snp.array(mine(p, 1, [3, 1_000_000]), 1, 'int64');
      return [x.mul(y), price.mul(qty)];
    });
    expect(prod!.values).toEqual(a.map((v, i) => BigInt.asIntN(64, v * c[i]!)));
    // 19.99 is encoded as round(19.99·2^16)/2^16; the product by a whole number is exact in that encoding.
    expect(amount!.values).toEqual([15_000_000.75, (Math.round(19.99 * 2 ** 16) * 1_000_000) / 2 ** 16]);
  });
});

/** x as an exact rational n / 2^k (every float64 is one). */
function exact(x: number): [bigint, bigint] {
  let k = 0;
  while (!Number.isInteger(x * 2 ** k)) k++;
  return [BigInt(x * 2 ** k), 1n << BigInt(k)];
}

/** Input units: round(x·2^16), the fixed-point integer the engine encodes x as (f = 16). */
const units = (x: number) => BigInt(Math.round(x * 2 ** 16));

/** |got − num/den| ≤ 2^-16, plus half a float64 ulp of got (past 2^37 it cannot hold every 2^-16). */
function expectNear(got: number, num: bigint, den: bigint): void {
  const [g, gd] = exact(got);
  const diff = Math.abs(Number(g * den - num * gd) / Number(gd * den));
  expect(diff, `${got} vs ${num}/${den}`).toBeLessThanOrEqual(2 ** -16 + Math.abs(got) * 2 ** -53);
}

describe('ring 128 (dealer): float64 products, public fractions and means, truncated exactly', () => {
  const X = [5_000_000.25, 12_345_678.5, 3_162_277.75, -9_999_999.5, 0.5, -123_456.789];
  const Y = [1.0375, 0.0125, 3_162_277.5, 1_000_000.25, -0.25, 7.125];

  it('multiplies money-scale float64 secrets (products near ±10^13) within 2^-16 of the exact product of the encodings', async () => {
    const [prod, sq, pw] = await reveal(128, (snp, p) => {
      const x = snp.array(mine(p, 0, X), 0);
      const y = snp.array(mine(p, 1, Y), 1);
      return [x.mul(y), snp.square(x), snp.power(snp.array(mine(p, 1, [21_544.25, -10_000.5]), 1), 3)];
    });
    prod!.values.forEach((v, i) => expectNear(v as number, units(X[i]!) * units(Y[i]!), 1n << 32n));
    sq!.values.forEach((v, i) => expectNear(v as number, units(X[i]!) ** 2n, 1n << 32n));
    // x³ truncates twice: x² then x²·x, each within one unit; the bound is x's units³ over 2^48 plus x·2^-16.
    const [c0, c1] = pw!.values as number[];
    expect(Math.abs(c0! - 21_544.25 ** 3)).toBeLessThan(2 * 21_544.25 * 2 ** -16);
    expect(Math.abs(c1! - (-10_000.5) ** 3)).toBeLessThan(2 * 10_000.5 * 2 ** -16);
  });

  it('multiplies by fractional public factors and divides by public 3 within 2^-16 of the exact rational', async () => {
    const P = [1.0375, 0.0125, 0.001, -2.5e-5, 1e6 + 0.5, 3.75];
    const [byP, byThree, byMany] = await reveal(128, (snp, p) => {
      const x = snp.array(mine(p, 0, X), 0);
      return [x.mul(P), x.div(3), x.div([3, 7, 1000, -3, 0.25, 12])];
    });
    byP!.values.forEach((v, i) => {
      const [pn, pd] = exact(P[i]!);
      expectNear(v as number, units(X[i]!) * pn, pd << 16n);
    });
    byThree!.values.forEach((v, i) => expectNear(v as number, units(X[i]!), 3n << 16n));
    const D = [3n, 7n, 1000n, -3n];
    D.forEach((d, i) => expectNear(byMany!.values[i] as number, units(X[i]!), d << 16n));
    expectNear(byMany!.values[4] as number, units(X[4]!) * 4n, 1n << 16n);
  });

  it('multiplies along axes with prod: float64 rates and int64 counts, an odd factor out and an empty axis', async () => {
    const R = [1.05, 0.975, 1.0125, 1.1, 2_000_000.5, 0.5, -3, 1.25, 1.5];
    const [all, rows, ints, empty] = await reveal(128, (snp, p) => {
      const r = snp.array(mine(p, 0, R), 0, 'float64', { shape: [9] });
      const k = snp.array(mine(p, 1, [2 ** 20, -(2 ** 21), 3, 5, 7]), 1, 'int64', { shape: [5] });
      return [
        snp.prod(r.get('0:4')),
        snp.prod(r.reshape([3, 3]), 1),
        k.prod(),
        snp.prod(r.reshape([9, 1]).get('0:0'), 0),
      ];
    });
    // Each of the g − 1 products truncates once, within one unit, and the error carries through later factors (|x| ≤ 1.1).
    const u = R.map(units);
    const near = (got: number, f: bigint[], tol: number) => {
      const num = f.reduce((a, v) => a * v, 1n);
      const [g, gd] = exact(got);
      const den = 1n << BigInt(16 * f.length);
      expect(Math.abs(Number(g * den - num * gd) / Number(gd * den))).toBeLessThanOrEqual(tol);
    };
    near(all!.values[0] as number, u.slice(0, 4), 4 * 2 ** -16);
    near(rows!.values[0] as number, u.slice(0, 3), 3 * 2 ** -16);
    near(rows!.values[1] as number, u.slice(3, 6), 2 * 2 ** -16);
    near(rows!.values[2] as number, u.slice(6, 9), 4 * 2 ** -16);
    expect(ints!.values).toEqual([BigInt.asIntN(64, 2n ** 20n * -(2n ** 21n) * 105n)]);
    expect(empty!.values).toEqual([1]);
  });

  it('means balances of 10^9 scale within 2^-16 of the exact mean, over all and along an axis', async () => {
    const B = [1_234_567_890.25, 2_500_000_000.5, -987_654_321.75, 4_000_000_000, 3_333_333_333.25, 7.5];
    const [all, rows, cols] = await reveal(128, (snp, p) => {
      const b = snp.array(mine(p, 1, B), 1, 'float64', { shape: [6] });
      const m = b.reshape([2, 3]);
      return [b.mean(), snp.mean(m, 1), snp.mean(m, 0)];
    });
    const u = B.map(units);
    expectNear(
      all!.values[0] as number,
      u.reduce((a, v) => a + v, 0n),
      6n << 16n,
    );
    for (let r = 0; r < 2; r++)
      expectNear(rows!.values[r] as number, u[3 * r]! + u[3 * r + 1]! + u[3 * r + 2]!, 3n << 16n);
    for (let c = 0; c < 3; c++) expectNear(cols!.values[c] as number, u[c]! + u[c + 3]!, 2n << 16n);
  });
});

describe('ranges', () => {
  it('ring 64 refuses 5,000,000 at its owner naming the index and suggesting the wide ring; ring 128 takes it', async () => {
    let message = '';
    await runLocal(
      2,
      async (snp, p) => {
        if (p === 1) {
          try {
            snp.array(
              [
                [1, 2],
                [3, 5_000_000],
              ],
              1,
            );
          } catch (e) {
            message = (e as Error).message;
            expect(e).toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
          }
        } else await expect(snp.array(null, 1).revealTo(0)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
      },
      dealerIn(64),
    );
    expect(message).toMatch(/index \[1, 1\] \(row 2, column 2\)/);
    expect(message).toMatch(/ring: 128/);
    const [r] = await reveal(128, (snp, p) => [
      snp.array(
        mine(p, 1, [
          [1, 2],
          [3, 5_000_000],
        ]),
        1,
      ),
    ]);
    expect(r!.values).toEqual([1, 2, 3, 5_000_000]);
  });

  it('ring 128 refuses |x| ≥ 2^47 at f = 16, naming the index', async () => {
    await runLocal(
      2,
      async (snp, p) => {
        if (p === 0)
          expect(() => snp.array([1, 2 ** 47], 0)).toThrow(
            expect.objectContaining({ code: 'ERR_OUT_OF_RANGE', message: expect.stringMatching(/value 1 is/) }),
          );
        else await expect(snp.array(null, 0).revealTo(0)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
      },
      dealerIn(128),
    );
  });
});
