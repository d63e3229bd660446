// The Z_2^128 matrix product kernel of shared/ring128/matmul.ts in both loop shapes (one pair of
// terms per iteration, chosen in Node, and two, chosen in Chromium): each against exact BigInt
// sums, for every k mod 4 (the two-pair loop's leftover pair and the odd term), edge values and
// shapes large enough for several row blocks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmul } from '../../../shared/ring128/matmul.js';

const M = 2n ** 128n;
const W = 2n ** 64n;
const MAX = M - 1n;
const EDGES = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, W - 1n, W, W + 1n, 2n ** 127n, MAX];
const mod = (x: bigint) => ((x % M) + M) % M;
const v128 = (xs: readonly bigint[]) => BigUint64Array.from(xs.flatMap((x) => [mod(x) % W, mod(x) / W]));
const values = (a: BigUint64Array) => Array.from({ length: a.length / 2 }, (_, i) => a[2 * i]! + a[2 * i + 1]! * W);
const element = fc.oneof(fc.constantFrom(...EDGES), fc.bigInt({ min: 0n, max: MAX }));

function naive(a: bigint[], b: bigint[], m: number, k: number, n: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0n;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      out.push(mod(s));
    }
  return out;
}

describe('ring128/matmul: both loop shapes', () => {
  for (const pairs of [1, 2] as const) {
    it(`${pairs} pair(s) per step agrees with BigInt on random shapes and every k mod 4`, () => {
      const dims = fc.tuple(fc.nat({ max: 9 }), fc.nat({ max: 13 }), fc.nat({ max: 9 }));
      fc.assert(
        fc.property(
          dims.chain(([m, k, n]) =>
            fc.tuple(
              fc.constant([m, k, n] as const),
              fc.array(element, { minLength: m * k, maxLength: m * k }),
              fc.array(element, { minLength: k * n, maxLength: k * n }),
            ),
          ),
          ([[m, k, n], a, b]) => {
            expect(values(matmul(v128(a), v128(b), m, k, n, pairs))).toEqual(naive(a, b, m, k, n));
          },
        ),
        { numRuns: 60 },
      );
      for (const k of [1, 2, 3, 4, 5, 6, 7]) {
        const ones = (len: number) => Array.from({ length: len }, () => MAX);
        expect(values(matmul(v128(ones(2 * k)), v128(ones(k * 3)), 2, k, 3, pairs))).toEqual(
          Array.from({ length: 6 }, () => BigInt(k)),
        );
      }
    });

    it(`${pairs} pair(s) per step: several row blocks of 2^20 terms`, () => {
      // 40×131 by 131×205: 2^20 / (131·205) = 39 rows a block, so two blocks, the second of one row.
      const [m, k, n] = [40, 131, 205];
      const a = Array.from({ length: m * k }, (_, i) => mod(EDGES[i % EDGES.length]! * BigInt(i + 1)));
      const b = Array.from({ length: k * n }, (_, i) => mod(MAX - BigInt(i) * 0x9e3779b97f4a7c15n));
      const got = values(matmul(v128(a), v128(b), m, k, n, pairs));
      // Check the first and last rows (the two blocks) against BigInt.
      const want = naive(a, b, m, k, n);
      expect(got.slice(0, n)).toEqual(want.slice(0, n));
      expect(got.slice((m - 1) * n)).toEqual(want.slice((m - 1) * n));
    });
  }
});
