// Properties for every input (fast-check): shares reconstruct the encoding, fromShare round trips, exact linear homomorphisms, mul commutes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NDArray } from '../../../../shared/ndarray.js';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { DEALER, input, reveal0, roundFixed, type Snp, toRef, U } from './harness.js';
import * as R from './reference.js';

const RUNS = { numRuns: 8 };

/** A random float64 array with values in [-100, 100] and up to 3 dimensions of length ≤ 3. */
const arrArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 }).chain((shape) =>
  fc
    .array(fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), {
      minLength: R.sizeOf(shape),
      maxLength: R.sizeOf(shape),
    })
    .map((data): R.Arr => ({ shape, data })),
);
/** Two arrays of the same shape. */
const pairArb = arrArb.chain((a) =>
  fc
    .array(fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), {
      minLength: a.data.length,
      maxLength: a.data.length,
    })
    .map((d): [R.Arr, R.Arr] => [a, { shape: a.shape, data: d }]),
);

const encode = (v: number) => BigInt.asIntN(64, BigInt(Math.round(v * 2 ** 16)));
const values = (nd: NDArray) => toRef(nd).data;

describe('properties: shares', () => {
  it('toShare at both parties gives int64 NDArrays whose sum mod 2^64 is round(x·2^16)', async () => {
    await fc.assert(
      fc.asyncProperty(arrArb, fc.integer({ min: 0, max: 1 }), async (x, owner) => {
        const shares = (await runLocal(
          2,
          async (snp: Snp, p: number) => input(snp, p, owner, x, 'float64', true).toShare(),
          DEALER,
        )) as NDArray[];
        for (const s of shares) {
          expect(s.dtype).toBe('int64');
          expect(s.data).toBeInstanceOf(BigInt64Array);
          expect(s.shape).toEqual(x.shape);
        }
        const [s0, s1] = shares.map((s) => s.data as BigInt64Array) as [BigInt64Array, BigInt64Array];
        x.data.forEach((v, i) => expect(BigInt.asIntN(64, s0[i]! + s1[i]!), `element ${i} of ${v}`).toBe(encode(v)));
      }),
      RUNS,
    );
  });

  it('int64 shares add up to the integers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), { minLength: 1, maxLength: 6 }),
        async (xs) => {
          const x = R.fromNested(xs);
          const shares = (await runLocal(
            2,
            async (snp: Snp, p: number) => input(snp, p, 1, x, 'int64', true).toShare(),
            DEALER,
          )) as NDArray[];
          const [s0, s1] = shares.map((s) => s.data as BigInt64Array) as [BigInt64Array, BigInt64Array];
          xs.forEach((v, i) => expect(BigInt.asIntN(64, s0[i]! + s1[i]!)).toBe(BigInt(v)));
        },
      ),
      RUNS,
    );
  });

  it('fromShare(toShare(x)) reveals the rounded x exactly, and computes on', async () => {
    await fc.assert(
      fc.asyncProperty(arrArb, async (x) => {
        const [back, twice] = await reveal0((snp, p) => {
          const y = input(snp, p, 0, x, 'float64', true)
            .toShare()
            .then((sh) => snp.fromShare(sh, 'float64'));
          return [y.then((v) => v.revealTo(0)), y.then((v) => v.add(v).revealTo(0))];
        });
        expect(back!.shape).toEqual(x.shape);
        expect(back!.dtype).toBe('float64');
        expect(values(back!)).toEqual(x.data.map(roundFixed));
        expect(values(twice!)).toEqual(x.data.map((v) => 2 * roundFixed(v)));
      }),
      RUNS,
    );
  });
});

describe('properties: homomorphisms', () => {
  it('(a + b) − b reveals a exactly; 3·x = x + x + x exactly; sum(a + b) = sum(a) + sum(b) exactly', async () => {
    await fc.assert(
      fc.asyncProperty(pairArb, async ([a, b]) => {
        const out = await reveal0((snp, p) => {
          const A = input(snp, p, 0, a, 'float64', true);
          const B = input(snp, p, 1, b);
          return [
            A.add(B).sub(B).revealTo(0),
            A.revealTo(0),
            A.mul(3).revealTo(0),
            A.add(A).add(A).revealTo(0),
            A.add(B).sum().revealTo(0),
            A.sum().add(B.sum()).revealTo(0),
          ];
        });
        const [diff, orig, times3, plus3, sumOfAdd, addOfSums] = out.map(values) as number[][];
        expect(diff).toEqual(orig);
        expect(orig).toEqual(a.data.map(roundFixed));
        expect(times3).toEqual(plus3);
        expect(times3).toEqual(a.data.map((v) => 3 * roundFixed(v)));
        expect(sumOfAdd).toEqual(addOfSums);
      }),
      RUNS,
    );
  });

  it('x·y and y·x agree within two truncations (3u), and both within tolerance of the product', async () => {
    await fc.assert(
      fc.asyncProperty(pairArb, async ([a, b]) => {
        const [xy, yx] = await reveal0((snp, p) => {
          const A = input(snp, p, 0, a, 'float64', true);
          const B = input(snp, p, 1, b, 'float64', true);
          return [A.mul(B).revealTo(0), B.mul(A).revealTo(0)];
        });
        const u = values(xy!);
        const v = values(yx!);
        u.forEach((w, i) => {
          expect(Math.abs(w - v[i]!)).toBeLessThanOrEqual(3 * U);
          const want = a.data[i]! * b.data[i]!;
          expect(Math.abs(w - want)).toBeLessThanOrEqual(
            ((Math.abs(a.data[i]!) + Math.abs(b.data[i]!)) * U) / 2 + 2 * U,
          );
        });
      }),
      RUNS,
    );
  });
});
