// Z_2^64 kernels of workers/securenumpy/ring.ts: known answers, properties against a naive BigInt reference, refusals.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  addScalar,
  dot1,
  msb,
  mul,
  mulScalar,
  neg,
  PORTABLE_CHUNK,
  ringMatmul,
  ringMatmulPortable,
  shiftRightLogical,
  sub,
} from '../../shared/ring.js';

const M = 2n ** 64n;
const MAX = M - 1n;
const EDGES = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 63n, MAX];
const u64 = (xs: readonly bigint[]) => BigUint64Array.from(xs, (x) => ((x % M) + M) % M);
const code = (c: string) => expect.objectContaining({ code: c });

const element = fc.oneof(fc.constantFrom(...EDGES), fc.bigInt({ min: 0n, max: MAX }));
const vector = (len: number) => fc.array(element, { minLength: len, maxLength: len }).map(u64);
const pair = fc.nat({ max: 40 }).chain((len) => fc.tuple(vector(len), vector(len)));
const DIMS = [0, 1, 2, 3, 7, 17];
const shape = fc.tuple(fc.constantFrom(...DIMS), fc.constantFrom(...DIMS), fc.constantFrom(...DIMS));
const matmulCase = shape.chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n] as const), vector(m * k), vector(k * n)));

/** The definition: exact integer sums, reduced once at the end. */
function naiveMatmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  const out = new BigUint64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0n;
      for (let p = 0; p < k; p++) acc += a[i * k + p]! * b[p * n + j]!;
      out[i * n + j] = acc % M;
    }
  }
  return out;
}

const zip = (a: BigUint64Array, b: BigUint64Array, f: (x: bigint, y: bigint) => bigint) =>
  u64(Array.from(a, (x, i) => f(x, b[i]!)));
const KERNELS = [
  ['ringMatmul', ringMatmul],
  ['ringMatmulPortable', ringMatmulPortable],
] as const;

describe('element-wise ring ops: known answers', () => {
  it('wraps products mod 2^64', () => {
    expect(mul(u64([MAX, 2n ** 63n, 2n ** 32n]), u64([MAX, 2n, 2n ** 32n]))).toEqual(u64([1n, 0n, 0n]));
    expect(mul(u64([2n ** 32n - 1n]), u64([2n ** 32n + 1n]))).toEqual(u64([2n ** 64n - 1n]));
    expect(mulScalar(u64([3n, MAX]), -1n)).toEqual(u64([MAX - 2n, 1n]));
    expect(mulScalar(u64([5n]), 2n ** 64n + 3n)).toEqual(u64([15n]));
  });

  it('wraps sums and differences mod 2^64', () => {
    expect(add(u64([MAX, 2n ** 63n]), u64([1n, 2n ** 63n]))).toEqual(u64([0n, 0n]));
    expect(sub(u64([0n, 5n]), u64([1n, 3n]))).toEqual(u64([MAX, 2n]));
    expect(neg(u64([0n, 1n, 2n ** 63n]))).toEqual(u64([0n, MAX, 2n ** 63n]));
    expect(addScalar(u64([MAX, 7n]), -8n)).toEqual(u64([MAX - 8n, MAX]));
    expect(addScalar(u64([7n]), 2n ** 64n)).toEqual(u64([7n]));
  });

  it('shifts across the 32-bit word boundary and reads the top bit', () => {
    const x = u64([MAX, 2n ** 32n, 0x1_8000_0000n, 2n ** 63n]);
    expect(shiftRightLogical(x, 0)).toEqual(x);
    expect(shiftRightLogical(x, 31)).toEqual(u64([2n ** 33n - 1n, 2n, 3n, 2n ** 32n]));
    expect(shiftRightLogical(x, 32)).toEqual(u64([2n ** 32n - 1n, 1n, 1n, 2n ** 31n]));
    expect(shiftRightLogical(x, 63)).toEqual(u64([1n, 0n, 0n, 1n]));
    expect(shiftRightLogical(x, 64)).toEqual(u64([0n, 0n, 0n, 0n]));
    expect(msb(u64([0n, 2n ** 63n - 1n, 2n ** 63n, MAX]))).toEqual(u64([0n, 0n, 1n, 1n]));
  });

  it('sums products mod 2^64', () => {
    expect(dot1(u64([MAX, MAX, 2n]), u64([MAX, MAX, 3n]))).toBe(8n);
    expect(dot1(u64([2n ** 63n]), u64([2n]))).toBe(0n);
    expect(dot1(new BigUint64Array(0), new BigUint64Array(0))).toBe(0n);
  });

  it('works on views that start inside a buffer, and returns fresh arrays', () => {
    const whole = u64([9n, MAX, 2n ** 40n]);
    const view = whole.subarray(1);
    expect(shiftRightLogical(view, 8)).toEqual(u64([2n ** 56n - 1n, 2n ** 32n]));
    const out = shiftRightLogical(view, 0);
    out[0] = 0n;
    expect(whole).toEqual(u64([9n, MAX, 2n ** 40n]));
    expect(add(view, view).buffer).not.toBe(whole.buffer);
  });
});

describe('element-wise ring ops: properties', () => {
  it('agree with exact BigInt arithmetic', () => {
    fc.assert(
      fc.property(pair, element, fc.integer({ min: 0, max: 64 }), ([a, b], s, bits) => {
        expect(add(a, b)).toEqual(zip(a, b, (x, y) => x + y));
        expect(sub(a, b)).toEqual(zip(a, b, (x, y) => x - y));
        expect(mul(a, b)).toEqual(zip(a, b, (x, y) => x * y));
        expect(neg(a)).toEqual(u64(Array.from(a, (x) => -x)));
        expect(mulScalar(a, s)).toEqual(u64(Array.from(a, (x) => x * s)));
        expect(addScalar(a, s)).toEqual(u64(Array.from(a, (x) => x + s)));
        expect(shiftRightLogical(a, bits)).toEqual(u64(Array.from(a, (x) => x >> BigInt(bits))));
        expect(msb(a)).toEqual(u64(Array.from(a, (x) => (x >= 2n ** 63n ? 1n : 0n))));
        expect(dot1(a, b)).toBe(Array.from(a, (x, i) => x * b[i]!).reduce((p, q) => p + q, 0n) % M);
      }),
    );
  });
});

describe('ringMatmul and ringMatmulPortable', () => {
  it.each(KERNELS)('%s: small products by hand', (_, matmul) => {
    expect(matmul(u64([1n, 2n, 3n, 4n]), u64([5n, 6n, 7n, 8n]), 2, 2, 2)).toEqual(u64([19n, 22n, 43n, 50n]));
    // (2×3)·(3×1): [1 2 3; -1 0 2^63]·[1; 2; 2] = [11; -1 + 2^64] (2·2^63 vanishes).
    expect(matmul(u64([1n, 2n, 3n, MAX, 0n, 2n ** 63n]), u64([1n, 2n, 2n]), 2, 3, 1)).toEqual(u64([11n, MAX]));
    expect(matmul(u64([MAX]), u64([MAX]), 1, 1, 1)).toEqual(u64([1n]));
    expect(matmul(u64([2n ** 63n, 2n ** 63n]), u64([1n, 1n]), 1, 2, 1)).toEqual(u64([0n]));
    expect(matmul(u64([2n ** 32n]), u64([2n ** 32n, 3n]), 1, 1, 2)).toEqual(u64([0n, 3n * 2n ** 32n]));
  });

  it.each(KERNELS)('%s: empty shapes', (_, matmul) => {
    expect(matmul(new BigUint64Array(0), u64([1n, 2n]), 0, 1, 2)).toEqual(new BigUint64Array(0));
    expect(matmul(new BigUint64Array(0), new BigUint64Array(0), 2, 0, 3)).toEqual(new BigUint64Array(6));
    expect(matmul(u64([1n, 2n]), new BigUint64Array(0), 2, 1, 0)).toEqual(new BigUint64Array(0));
  });

  it.each(KERNELS)('%s: matches the definition on random shapes and values', (_, matmul) => {
    fc.assert(
      fc.property(matmulCase, ([[m, k, n], a, b]) => {
        expect(matmul(a, b, m, k, n)).toEqual(naiveMatmul(a, b, m, k, n));
      }),
    );
  });

  it.each(KERNELS)('%s: k beyond the float chunk, with the largest words', (_, matmul) => {
    const k = 2 * PORTABLE_CHUNK + 276;
    // (−1)·(−1) = 1 per term, so every entry is k.
    const ones = new BigUint64Array(3 * k).fill(MAX);
    expect(matmul(ones, ones, 3, k, 3)).toEqual(new BigUint64Array(9).fill(BigInt(k)));
    // Low words all 2^32 − 1: the float sums of the portable kernel are as large as they get.
    const lows = new BigUint64Array(3 * k).fill(2n ** 32n - 1n);
    const mixed = new BigUint64Array(3 * k).fill(MAX);
    expect(matmul(lows, mixed, 3, k, 3)).toEqual(naiveMatmul(lows, mixed, 3, k, 3));
    expect(matmul(lows, lows, 3, k, 3)).toEqual(new BigUint64Array(9).fill(((2n ** 32n - 1n) ** 2n * BigInt(k)) % M));
  });

  it.each(KERNELS)('%s: k = 16 chunks of a term whose float sum drifts by 2^34.8 if unchunked', (_, matmul) => {
    // Found by search: 8192 copies of 4294119342·3988778375 summed in float64 miss by ~2^34.8,
    // beyond the 2^31 the carry recovery tolerates; chunks of PORTABLE_CHUNK keep it near 2^26.6.
    const k = 16 * PORTABLE_CHUNK;
    const x = 5n * 2n ** 32n + 4294119342n;
    const y = 7n * 2n ** 32n + 3988778375n;
    const out = matmul(new BigUint64Array(k).fill(x), new BigUint64Array(k).fill(y), 1, k, 1);
    expect(out).toEqual(u64([(x * y * BigInt(k)) % M]));
  });

  it.each(KERNELS)('%s: k beyond the float chunk, random values', (_, matmul) => {
    const k = PORTABLE_CHUNK + 77;
    const tall = fc
      .tuple(fc.constantFrom(1, 2, 3), fc.constantFrom(1, 2, 3))
      .chain(([m, n]) => fc.tuple(fc.constant([m, n] as const), vector(m * k), vector(k * n)));
    fc.assert(
      fc.property(tall, ([[m, n], a, b]) => {
        expect(matmul(a, b, m, k, n)).toEqual(naiveMatmul(a, b, m, k, n));
      }),
      { numRuns: 10 },
    );
  });

  it.each(KERNELS)('%s: reads views that start inside a buffer', (_, matmul) => {
    const whole = u64([7n, 1n, 2n, 3n, 4n]);
    expect(matmul(whole.subarray(1), whole.subarray(1), 2, 2, 2)).toEqual(u64([7n, 10n, 15n, 22n]));
  });
});

describe('refusals', () => {
  const a3 = u64([1n, 2n, 3n]);
  const a2 = u64([1n, 2n]);

  it('refuses vectors of different lengths', () => {
    for (const f of [add, sub, mul, dot1]) expect(() => f(a3, a2)).toThrow(code('ERR_LENGTH_MISMATCH'));
  });

  it('refuses matrices that do not have the stated shape', () => {
    for (const [, matmul] of KERNELS) {
      expect(() => matmul(a3, a2, 2, 2, 1)).toThrow(code('ERR_SHAPE'));
      expect(() => matmul(a2, a3, 2, 1, 2)).toThrow(code('ERR_SHAPE'));
      expect(() => matmul(a2, a2, -2, -1, -2)).toThrow(code('ERR_SHAPE'));
      expect(() => matmul(a2, a2, 2, 0.5, 2)).toThrow(code('ERR_SHAPE'));
    }
  });

  it('refuses shifts outside 0..64 and non-bigint scalars or arrays', () => {
    for (const bits of [-1, 65, 1.5, Number.NaN])
      expect(() => shiftRightLogical(a2, bits)).toThrow(code('ERR_BAD_REQUEST'));
    expect(() => mulScalar(a2, 3 as unknown as bigint)).toThrow(code('ERR_DTYPE'));
    expect(() => addScalar(a2, 3 as unknown as bigint)).toThrow(code('ERR_DTYPE'));
    const plain = new BigInt64Array(2) as unknown as BigUint64Array;
    expect(() => neg(plain)).toThrow(code('ERR_DTYPE'));
    expect(() => ringMatmul(plain, plain, 1, 2, 1)).toThrow(code('ERR_DTYPE'));
  });
});
