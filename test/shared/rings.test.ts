// shared/rings.ts: both rings behind one interface, every method against exact BigInt arithmetic
// mod 2^bits (edges around the word boundary and the sign bit, then random values), the
// fixed-point conversions and their refusals, and ringOf's validation of the session option.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RING64, RING128, type Ring, ringOf } from '../../shared/rings.js';

const W = 2n ** 64n;
const code = (c: string) => expect.objectContaining({ code: c });

describe.each([RING64, RING128])('Z_2^$bits', (ring: Ring) => {
  const bits = BigInt(ring.bits);
  const M = 2n ** bits;
  const mod = (x: bigint) => ((x % M) + M) % M;
  const signed = (x: bigint) => (x >= M / 2n ? x - M : x);
  /** Elements (any bigint, mod 2^bits) in the ring's layout: `words` words each, low word first. */
  const vec = (xs: readonly bigint[]) =>
    BigUint64Array.from(xs.flatMap((x) => (ring.words === 1 ? [mod(x)] : [mod(x) % W, mod(x) / W])));
  const values = (a: BigUint64Array) =>
    Array.from({ length: a.length / ring.words }, (_, i) => (ring.words === 1 ? a[i]! : a[2 * i]! + a[2 * i + 1]! * W));
  const EDGES = [0n, 1n, 2n ** 32n, W - 1n, M / 2n - 1n, M / 2n, M - 1n];
  const element = fc.oneof(fc.constantFrom(...EDGES), fc.bigInt({ min: 0n, max: M - 1n }));
  const pair = fc
    .nat({ max: 20 })
    .chain((n) =>
      fc.tuple(fc.array(element, { minLength: n, maxLength: n }), fc.array(element, { minLength: n, maxLength: n })),
    );

  it('has its width', () => {
    expect([ring.bits, ring.words]).toEqual(ring === RING64 ? [64, 1] : [128, 2]);
  });

  it('adds, subtracts, negates and multiplies as BigInt does mod 2^bits', () => {
    fc.assert(
      fc.property(pair, element, ([a, b], s) => {
        const [A, B] = [vec(a), vec(b)];
        expect(values(ring.add(A, B))).toEqual(a.map((x, i) => mod(x + b[i]!)));
        expect(values(ring.sub(A, B))).toEqual(a.map((x, i) => mod(x - b[i]!)));
        expect(values(ring.mul(A, B))).toEqual(a.map((x, i) => mod(x * b[i]!)));
        expect(values(ring.neg(A))).toEqual(a.map((x) => mod(-x)));
        expect(values(ring.addScalar(A, s - M))).toEqual(a.map((x) => mod(x + s)));
        expect(values(ring.mulScalar(A, -s))).toEqual(a.map((x) => mod(-x * s)));
      }),
      { numRuns: 60 },
    );
  });

  it('shifts right, logically and arithmetically, by 0 to bits', () => {
    const xs = [...EDGES, 0x1234_5678_9abc_def0n, M - 0x1234_5678_9abc_def0n];
    for (const k of [0, 1, 17, 32, 63, ring.bits - 1, ring.bits]) {
      const K = BigInt(k);
      expect(values(ring.shiftRightLogical(vec(xs), k)), `>>> ${k}`).toEqual(xs.map((x) => mod(x) >> K));
      expect(values(ring.shiftRightArithmetic(vec(xs), k)), `>> ${k}`).toEqual(xs.map((x) => mod(signed(x) >> K)));
    }
  });

  it('multiplies matrices as the naive triple loop does', () => {
    const [m, k, n] = [3, 5, 2];
    const a = Array.from({ length: m * k }, (_, i) => EDGES[i % EDGES.length]! + BigInt(i) * 0x9e37_79b9n);
    const b = Array.from({ length: k * n }, (_, i) => M - 1n - BigInt(i) * 0x7f4a_7c15n);
    const want: bigint[] = [];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0n;
        for (let l = 0; l < k; l++) s += a[i * k + l]! * b[l * n + j]!;
        want.push(mod(s));
      }
    expect(values(ring.ringMatmul(vec(a), vec(b), m, k, n))).toEqual(want);
  });

  it("Beaver's mask and combine give shares of x·y from a valid triple", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(element, element, element, element), { minLength: 0, maxLength: 12 }), (rows) => {
        const col = (j: number) => vec(rows.map((r) => r[j]!));
        // Shares: x0 = col 0, x1 = col 1 − col 0 (x = col 1); y likewise from cols 2, 3; a, b, c fixed.
        const [x, y] = [col(1), col(3)];
        const [x0, y0] = [col(0), col(2)];
        const [x1, y1] = [ring.sub(x, x0), ring.sub(y, y0)];
        const [a0, a1, b0, b1] = [col(2), col(0), col(1), col(3)];
        const c = ring.mul(ring.add(a0, a1), ring.add(b0, b1));
        const c0 = col(3);
        const c1 = ring.sub(c, c0);
        const de = ring.add(ring.beaverMask(x0, y0, a0, b0), ring.beaverMask(x1, y1, a1, b1));
        const z = ring.add(ring.beaverCombine(0, de, a0, b0, c0), ring.beaverCombine(1, de, a1, b1, c1));
        expect(values(z)).toEqual(values(ring.mul(x, y)));
      }),
      { numRuns: 40 },
    );
  });

  it('encodes fixed point as round(x·2^f) and decodes it back, refusing |x| ≥ 2^(63−f)', () => {
    const f = 16;
    const xs = Float64Array.of(0, 1.5, -1.5, 2 ** -17, -(2 ** 46) + 0.25, 12345.678, -0.000_01);
    const enc = ring.encodeFixed(xs, f);
    expect(values(enc)).toEqual(Array.from(xs, (x) => mod(BigInt(Math.round(x * 2 ** f)))));
    expect(Array.from(ring.decodeFixed(enc, f))).toEqual(Array.from(xs, (x) => Math.round(x * 2 ** f) / 2 ** f));
    expect(Array.from(ring.decodeFixed(vec([M / 2n, M - 1n]), 0))).toEqual([-Number(M / 2n), -1]);
    expect(() => ring.encodeFixed(Float64Array.of(1, 2 ** 47), f)).toThrow(code('ERR_OUT_OF_RANGE'));
    expect(() => ring.encodeFixed(Float64Array.of(Number.NaN), f)).toThrow(/value 0/);
    expect(() => ring.encodeFixed(xs, 63)).toThrow(code('ERR_BAD_REQUEST'));
  });
});

describe('ringOf', () => {
  it('maps the session option to its ring', () => {
    expect(ringOf(64)).toBe(RING64);
    expect(ringOf(128)).toBe(RING128);
  });

  it.each([32, 256, '64', 64.5, null, undefined])('refuses %s with ERR_BAD_REQUEST', (x) => {
    expect(() => ringOf(x)).toThrow(code('ERR_BAD_REQUEST'));
  });
});
