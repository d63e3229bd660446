// Z_2^128 kernels of shared/ring128.ts: known answers (carries across the 64-bit word boundary,
// −1·−1, the 2^127 wrap), properties against exact BigInt arithmetic, refusals.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  addScalar,
  beaverCombine,
  beaverMask,
  decodeFixed,
  encodeFixed,
  mul,
  mulScalar,
  neg,
  ringMatmul,
  shiftRightArithmetic,
  shiftRightLogical,
  sub,
} from '../../shared/ring128.js';

const M = 2n ** 128n;
const MAX = M - 1n;
const W = 2n ** 64n;
const EDGES = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, W - 1n, W, W + 1n, 2n ** 96n, 2n ** 127n - 1n, 2n ** 127n, MAX];
const mod = (x: bigint) => ((x % M) + M) % M;
/** Elements (any bigint, taken mod 2^128) as the 2-word layout: low word first. */
const v128 = (xs: readonly bigint[]) => BigUint64Array.from(xs.flatMap((x) => [mod(x) % W, mod(x) / W]));
const values = (a: BigUint64Array) => Array.from({ length: a.length / 2 }, (_, i) => a[2 * i]! + a[2 * i + 1]! * W);
const signed = (x: bigint) => (x >= 2n ** 127n ? x - M : x);
const code = (c: string) => expect.objectContaining({ code: c });

const element = fc.oneof(fc.constantFrom(...EDGES), fc.bigInt({ min: 0n, max: MAX }));
const vector = (len: number) => fc.array(element, { minLength: len, maxLength: len });
const pair = fc.nat({ max: 40 }).chain((len) => fc.tuple(vector(len), vector(len)));
const DIMS = [0, 1, 2, 3, 7, 17];
const shape = fc.tuple(fc.constantFrom(...DIMS), fc.constantFrom(...DIMS), fc.constantFrom(...DIMS));
const matmulCase = shape.chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n] as const), vector(m * k), vector(k * n)));

function naiveMatmul(a: bigint[], b: bigint[], m: number, k: number, n: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0n;
      for (let p = 0; p < k; p++) acc += a[i * k + p]! * b[p * n + j]!;
      out.push(mod(acc));
    }
  }
  return out;
}

describe('ring128: known answers', () => {
  it('carries and borrows across the 64-bit word boundary and wraps at 2^128', () => {
    expect(values(add(v128([W - 1n, MAX, 2n ** 127n]), v128([1n, 1n, 2n ** 127n])))).toEqual([W, 0n, 0n]);
    expect(values(sub(v128([W, 0n, 0n]), v128([1n, 1n, W])))).toEqual([W - 1n, MAX, M - W]);
    expect(values(neg(v128([0n, 1n, W, 2n ** 127n])))).toEqual([0n, MAX, M - W, 2n ** 127n]);
    expect(values(addScalar(v128([MAX, 7n]), -8n))).toEqual([MAX - 8n, MAX]);
    expect(values(addScalar(v128([7n]), M + 3n))).toEqual([10n]);
  });

  it('multiplies mod 2^128: −1·−1, the 2^127 wrap, the high word of the low words', () => {
    expect(values(mul(v128([MAX, 2n ** 127n, W, W - 1n, W + 1n]), v128([MAX, 2n, W, W - 1n, W - 1n])))).toEqual([
      1n,
      0n,
      0n,
      W * W - 2n * W + 1n,
      MAX,
    ]);
    // (2^64 − 1)(2^64 − 1) by hand: 0xffff…fffe_0000…0001.
    expect(values(mul(v128([W - 1n]), v128([W - 1n])))).toEqual([0xfffffffffffffffe0000000000000001n]);
    expect(values(mulScalar(v128([3n, MAX]), -1n))).toEqual([MAX - 2n, 1n]);
    expect(values(mulScalar(v128([5n]), M + 3n))).toEqual([15n]);
  });

  it('shifts across both word boundaries, signed and unsigned', () => {
    const x = v128([MAX, 2n ** 127n, W, 0x1_8000_0000_0000_0000n]);
    expect(shiftRightLogical(x, 0)).toEqual(x);
    expect(values(shiftRightLogical(x, 1))).toEqual([2n ** 127n - 1n, 2n ** 126n, 2n ** 63n, 0xc000_0000_0000_0000n]);
    expect(values(shiftRightLogical(x, 64))).toEqual([W - 1n, 2n ** 63n, 1n, 1n]);
    expect(values(shiftRightLogical(x, 127))).toEqual([1n, 1n, 0n, 0n]);
    expect(values(shiftRightLogical(x, 128))).toEqual([0n, 0n, 0n, 0n]);
    expect(values(shiftRightArithmetic(x, 1))).toEqual([MAX, M - 2n ** 126n, 2n ** 63n, 0xc000_0000_0000_0000n]);
    expect(values(shiftRightArithmetic(x, 65))).toEqual([MAX, M - 2n ** 62n, 0n, 0n]);
    expect(values(shiftRightArithmetic(x, 128))).toEqual([MAX, MAX, 0n, 0n]);
    // Truncation by f = 16 of −1.5 at 16 fractional bits: −98304 >> 16 = −2 (floor).
    expect(values(shiftRightArithmetic(v128([-98304n]), 16))).toEqual([M - 2n]);
  });

  it('encodes and decodes fixed point with f fractional bits', () => {
    expect(values(encodeFixed(Float64Array.of(1.5, -1, 0, -0.5, 2 ** 47 - 1), 16))).toEqual([
      98304n,
      M - 65536n,
      0n,
      M - 32768n,
      (2n ** 47n - 1n) * 65536n,
    ]);
    expect(Array.from(decodeFixed(v128([98304n, -65536n, -(2n ** 100n), 2n ** 127n]), 16))).toEqual([
      1.5,
      -1,
      -(2 ** 84),
      -(2 ** 111),
    ]);
    // Correctly rounded: 2^60 + 1 has no float64 of its own and lies nearer 2^60 than the next one.
    expect(decodeFixed(v128([2n ** 60n + 1n]), 0)[0]).toBe(2 ** 60);
  });

  it('works on views that start inside a buffer, returns fresh arrays, leaves inputs alone', () => {
    const whole = v128([9n, MAX, 2n ** 100n]);
    const copy = whole.slice();
    const view = whole.subarray(2);
    expect(values(add(view, view))).toEqual([MAX - 1n, 2n ** 101n]);
    expect(values(mul(view, view))).toEqual([1n, 0n]);
    expect(values(shiftRightArithmetic(view, 4))).toEqual([MAX, 2n ** 96n]);
    expect(Array.from(decodeFixed(view, 0))).toEqual([-1, 2 ** 100]);
    expect(add(view, view).buffer).not.toBe(whole.buffer);
    expect(shiftRightLogical(view, 0).buffer).not.toBe(whole.buffer);
    expect(whole).toEqual(copy);
  });

  it('goes past the kernels’ 4096-element chunks', () => {
    const n = 10_001;
    const xs = Array.from({ length: n }, (_, i) => BigInt(i) * 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835n);
    const ys = xs.map((x) => x ^ 0xdead_beefn);
    const [a, b] = [v128(xs), v128(ys)];
    expect(values(mul(a, b))).toEqual(xs.map((x, i) => mod(x * ys[i]!)));
    expect(values(add(a, b))).toEqual(xs.map((x, i) => mod(x + ys[i]!)));
    expect(values(mulScalar(a, -3n))).toEqual(xs.map((x) => mod(-3n * x)));
  });
});

describe('ring128: properties', () => {
  it('element-wise ops agree with exact BigInt arithmetic', () => {
    fc.assert(
      fc.property(pair, element, fc.integer({ min: 0, max: 128 }), ([xs, ys], s, bits) => {
        const [a, b] = [v128(xs), v128(ys)];
        expect(values(add(a, b))).toEqual(xs.map((x, i) => mod(x + ys[i]!)));
        expect(values(sub(a, b))).toEqual(xs.map((x, i) => mod(x - ys[i]!)));
        expect(values(mul(a, b))).toEqual(xs.map((x, i) => mod(x * ys[i]!)));
        expect(values(neg(a))).toEqual(xs.map((x) => mod(-x)));
        expect(values(addScalar(a, s))).toEqual(xs.map((x) => mod(x + s)));
        expect(values(mulScalar(a, s - 2n ** 127n))).toEqual(xs.map((x) => mod(x * (s - 2n ** 127n))));
        const B = BigInt(bits);
        expect(values(shiftRightLogical(a, bits))).toEqual(xs.map((x) => x >> B));
        expect(values(shiftRightArithmetic(a, bits))).toEqual(xs.map((x) => mod(signed(x) >> B)));
      }),
    );
  });

  it('fixed point round-trips |x| < 2^(63−f) and decodes any element as its signed value / 2^f', () => {
    const f = fc.integer({ min: 0, max: 62 });
    fc.assert(
      fc.property(f, fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })), (f, raw) => {
        const bound = 2 ** (63 - f);
        const xs = Float64Array.from(raw, (x) => (Math.abs(x) < bound ? x : x % bound));
        const enc = encodeFixed(xs, f);
        expect(values(enc)).toEqual(Array.from(xs, (x) => mod(BigInt(Math.round(x * 2 ** f)))));
        expect(Array.from(decodeFixed(enc, f))).toEqual(Array.from(xs, (x) => Math.round(x * 2 ** f) / 2 ** f + 0));
      }),
    );
    fc.assert(
      fc.property(f, vector(8), (f, xs) => {
        expect(Array.from(decodeFixed(v128(xs), f))).toEqual(xs.map((x) => Number(signed(x)) / 2 ** f));
      }),
    );
  });

  it('ringMatmul agrees with exact integer sums reduced once', () => {
    fc.assert(
      fc.property(matmulCase, ([[m, k, n], a, b]) => {
        expect(values(ringMatmul(v128(a), v128(b), m, k, n))).toEqual(naiveMatmul(a, b, m, k, n));
      }),
      { numRuns: 60 },
    );
  });

  // The kernel pairs up the k terms (Winograd's inner product): odd k adds the last term alone,
  // and the per-row and per-column corrections must cancel for every shape.
  it('ringMatmul agrees on random shapes up to 24 and on all-ones matrices', () => {
    const dims = fc.tuple(fc.nat({ max: 24 }), fc.nat({ max: 24 }), fc.nat({ max: 24 }));
    fc.assert(
      fc.property(
        dims.chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n] as const), vector(m * k), vector(k * n))),
        ([[m, k, n], a, b]) => {
          expect(values(ringMatmul(v128(a), v128(b), m, k, n))).toEqual(naiveMatmul(a, b, m, k, n));
        },
      ),
      { numRuns: 40 },
    );
    for (const [m, k, n] of [
      [1, 1, 1],
      [2, 3, 1],
      [3, 64, 2],
      [2, 65, 3],
    ] as const) {
      const ones = (len: number) => Array.from({ length: len }, () => MAX);
      expect(values(ringMatmul(v128(ones(m * k)), v128(ones(k * n)), m, k, n))).toEqual(
        Array.from({ length: m * n }, () => BigInt(k)),
      );
    }
  });
});

describe("ring128: Beaver's fused kernels", () => {
  /** c + d·b + e·a (+ d·e at party 0), by BigInt. */
  const combineRef = (party: 0 | 1, d: bigint[], e: bigint[], a: bigint[], b: bigint[], c: bigint[]) =>
    c.map((ci, i) => mod(ci + d[i]! * b[i]! + e[i]! * a[i]! + (party === 0 ? d[i]! * e[i]! : 0n)));

  it('combine and mask agree with BigInt, edge values and lengths across the 4096-element chunks', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 20 }).chain((len) => fc.tuple(vector(len), vector(len), vector(len), vector(len), vector(len))),
        (vs) => {
          const [d, e, a, b, c] = vs;
          for (const party of [0, 1] as const) {
            expect(values(beaverCombine(party, v128([...d, ...e]), v128(a), v128(b), v128(c)))).toEqual(
              combineRef(party, d, e, a, b, c),
            );
          }
          expect(values(beaverMask(v128(d), v128(e), v128(a), v128(b)))).toEqual([
            ...d.map((x, i) => mod(x - a[i]!)),
            ...e.map((y, i) => mod(y - b[i]!)),
          ]);
        },
      ),
      { numRuns: 40 },
    );
    const len = 2 * 4096 + 3;
    const v = (seed: bigint) => Array.from({ length: len }, (_, i) => mod(EDGES[i % EDGES.length]! + BigInt(i) * seed));
    const [d, e, a, b, c] = [v(0x9e3779b97f4a7c15n), v(3n), v(MAX), v(2n ** 61n + 1n), v(0x1234567n)];
    expect(values(beaverCombine(0, v128([...d, ...e]), v128(a), v128(b), v128(c)))).toEqual(
      combineRef(0, d, e, a, b, c),
    );
    expect(values(beaverMask(v128(d), v128(e), v128(a), v128(b)))).toEqual([
      ...d.map((x, i) => mod(x - a[i]!)),
      ...e.map((y, i) => mod(y - b[i]!)),
    ]);
  });

  it('refuses operands of different lengths and a party other than 0 or 1', () => {
    const [one, two] = [v128([1n]), v128([1n, 2n])];
    expect(() => beaverCombine(0, two, one, one, one)).not.toThrow();
    expect(() => beaverCombine(0, two, two, one, one)).toThrow(code('ERR_LENGTH_MISMATCH'));
    expect(() => beaverCombine(0, two, one, two, one)).toThrow(code('ERR_LENGTH_MISMATCH'));
    expect(() => beaverCombine(1, v128([1n, 2n, 3n]), one, one, one)).toThrow(code('ERR_LENGTH_MISMATCH'));
    expect(() => beaverCombine(2 as 0, two, one, one, one)).toThrow(code('ERR_BAD_REQUEST'));
    expect(() => beaverCombine(0, new BigUint64Array(3), one, one, one)).toThrow(code('ERR_DTYPE'));
    expect(() => beaverMask(two, two, two, one)).toThrow(code('ERR_LENGTH_MISMATCH'));
    expect(() => beaverMask(two, one, two, one)).toThrow(code('ERR_LENGTH_MISMATCH'));
    expect(() => beaverMask(two, two, one, two)).toThrow(code('ERR_LENGTH_MISMATCH'));
  });
});

describe('ring128: ringMatmul by hand', () => {
  it('multiplies small matrices mod 2^128', () => {
    expect(values(ringMatmul(v128([1n, 2n, 3n, 4n]), v128([5n, 6n, 7n, 8n]), 2, 2, 2))).toEqual([19n, 22n, 43n, 50n]);
    // (1×2)·(2×1): 2^127·1 + 2^127·1 wraps to 0; (−1)·(−1) + (2^64 − 1)^2 carries into the high word.
    expect(values(ringMatmul(v128([2n ** 127n, 2n ** 127n]), v128([1n, 1n]), 1, 2, 1))).toEqual([0n]);
    expect(values(ringMatmul(v128([MAX, W - 1n]), v128([MAX, W - 1n]), 1, 2, 1))).toEqual([mod(1n + (W - 1n) ** 2n)]);
    expect(ringMatmul(new BigUint64Array(0), new BigUint64Array(0), 0, 5, 0)).toEqual(new BigUint64Array(0));
  });
});

describe('ring128: refusals', () => {
  const two = v128([1n, 2n]);
  it('refuses arrays that are not Z_2^128 vectors', () => {
    for (const bad of [new BigInt64Array(4), new Float64Array(4), [1n, 2n], new BigUint64Array(3)]) {
      const x = bad as unknown as BigUint64Array;
      expect(() => add(x, two)).toThrow(code('ERR_DTYPE'));
      expect(() => mul(two, x)).toThrow(code('ERR_DTYPE'));
      expect(() => neg(x)).toThrow(code('ERR_DTYPE'));
      expect(() => shiftRightArithmetic(x, 1)).toThrow(code('ERR_DTYPE'));
      expect(() => decodeFixed(x, 16)).toThrow(code('ERR_DTYPE'));
      expect(() => ringMatmul(x, two, 1, 2, 1)).toThrow(code('ERR_DTYPE'));
    }
    expect(() => mulScalar(two, 3 as unknown as bigint)).toThrow(code('ERR_DTYPE'));
    expect(() => addScalar(two, 3 as unknown as bigint)).toThrow(code('ERR_DTYPE'));
    expect(() => encodeFixed([1, 2] as unknown as Float64Array, 16)).toThrow(code('ERR_DTYPE'));
  });

  it('refuses vectors of different lengths', () => {
    expect(() => add(two, v128([1n]))).toThrow(code('ERR_LENGTH_MISMATCH'));
    expect(() => sub(two, v128([1n, 2n, 3n]))).toThrow(code('ERR_LENGTH_MISMATCH'));
    expect(() => mul(v128([1n]), two)).toThrow(code('ERR_LENGTH_MISMATCH'));
  });

  it('refuses shapes that do not fit, and k at or above 2^29', () => {
    expect(() => ringMatmul(two, two, 2, 2, 1)).toThrow(code('ERR_SHAPE'));
    expect(() => ringMatmul(two, two, 1, 2, 2)).toThrow(code('ERR_SHAPE'));
    expect(() => ringMatmul(two, two, -1, -2, 1)).toThrow(code('ERR_SHAPE'));
    expect(() => ringMatmul(two, two, 1, 2.5, 1)).toThrow(code('ERR_SHAPE'));
    const empty = new BigUint64Array(0);
    expect(() => ringMatmul(empty, empty, 0, 2 ** 29, 0)).toThrow(code('ERR_SHAPE'));
  });

  it('refuses products whose matrices and corrections exceed 2^27 elements in all', () => {
    const empty = new BigUint64Array(0);
    // 2^29 + 2^15 result elements (8 GiB): refused before any memory is asked for.
    expect(() => ringMatmul(empty, empty, 2 ** 15, 0, 2 ** 14 + 1)).toThrow(code('ERR_TOO_LARGE'));
    // 2^27 result elements, and one more per row and column for the kernel's corrections.
    expect(() => ringMatmul(empty, empty, 2 ** 13, 0, 2 ** 14)).toThrow(code('ERR_TOO_LARGE'));
    // k = 0 below the limit: a product of zeros.
    expect(ringMatmul(empty, empty, 2 ** 10, 0, 2 ** 10)).toEqual(new BigUint64Array(2 ** 21));
  });

  it('runs a product above 32 MiB on an instance of its own, then small ones as before', () => {
    const k = 2 ** 20 + 1; // (1×k)·(k×1): 2k elements of 16 bytes, just above 32 MiB
    const a = new BigUint64Array(2 * k).fill(1n); // every element 2^64 + 1
    expect(values(ringMatmul(a, a, 1, k, 1))).toEqual([mod(BigInt(k) * (W + 1n) ** 2n)]);
    expect(values(ringMatmul(v128([2n]), v128([3n]), 1, 1, 1))).toEqual([6n]);
  });

  it('refuses shift counts and fractional bits out of range', () => {
    for (const bits of [-1, 129, 1.5, Number.NaN]) {
      expect(() => shiftRightLogical(two, bits)).toThrow(code('ERR_BAD_REQUEST'));
      expect(() => shiftRightArithmetic(two, bits)).toThrow(code('ERR_BAD_REQUEST'));
    }
    for (const f of [-1, 63, 0.5]) {
      expect(() => encodeFixed(Float64Array.of(1), f)).toThrow(code('ERR_BAD_REQUEST'));
      expect(() => decodeFixed(two, f)).toThrow(code('ERR_BAD_REQUEST'));
    }
  });

  it('refuses floats outside |x| < 2^(63−f) at their index', () => {
    expect(() => encodeFixed(Float64Array.of(0, 2 ** 47), 16)).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE', message: expect.stringContaining('value 1') }),
    );
    for (const x of [-(2 ** 47), Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(() => encodeFixed(Float64Array.of(x), 16)).toThrow(code('ERR_OUT_OF_RANGE'));
    expect(values(encodeFixed(Float64Array.of(-(2 ** 47) + 2 ** -5), 16))).toEqual([M - 2n ** 63n + 2n ** 11n]);
  });
});
