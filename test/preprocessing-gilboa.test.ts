// Gilboa's OT-based product shares (workers/preprocessing/gilboa.ts), checked on its pure steps
// with fixed inputs and fixed OT pads: known answers, a BigInt reference, and length checks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gilboaReceiverStep, gilboaSenderStep } from '../workers/preprocessing/gilboa.js';

const MASK = (1n << 64n) - 1n;

/** Fixed "random" OT pads: a 64-bit linear congruential sequence from a seed. */
function pads(n: number, seed: bigint): BigUint64Array {
  const out = new BigUint64Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = x = (x * 6364136223846793005n + 1442695040888963407n) & MASK;
  return out;
}

/** What an honest random OT gives the receiver: m1 where its bit of y is 1, else m0. */
function chosen(y: BigUint64Array, m0: BigUint64Array, m1: BigUint64Array): BigUint64Array {
  return m0.map((v, j) => ((y[Math.floor(j / 64)]! >> BigInt(j % 64)) & 1n ? m1[j]! : v));
}

function run(x: BigUint64Array, y: BigUint64Array, seed: bigint) {
  const m0 = pads(64 * x.length, seed);
  const m1 = pads(64 * x.length, seed ^ 0x5555n);
  const { d, share } = gilboaSenderStep(x, m0, m1);
  const other = gilboaReceiverStep(y, chosen(y, m0, m1), d);
  return { m0, m1, d, share, other };
}

describe('Gilboa pure steps', () => {
  it('known answer with zero pads: d_k = x·2^k, shares 0 and x·y', () => {
    const zero = new BigUint64Array(64);
    const { d, share } = gilboaSenderStep(BigUint64Array.of(3n), zero, zero);
    expect(d[0]).toBe(3n);
    expect(d[5]).toBe(96n);
    expect(d[63]).toBe(1n << 63n); // 3·2^63 mod 2^64
    expect(share[0]).toBe(0n);
    expect(gilboaReceiverStep(BigUint64Array.of(5n), zero, d)[0]).toBe(15n);
  });

  it('known answer with fixed pads: c0 + c1 = x·y mod 2^64 at the extremes', () => {
    const x = BigUint64Array.of(0n, 1n, MASK, 0x0123456789abcdefn, 1n << 63n);
    const y = BigUint64Array.of(7n, MASK, MASK, 0xfedcba9876543210n, 3n);
    const { share, other } = run(x, y, 42n);
    const expected = [0n, MASK, 1n, (0x0123456789abcdefn * 0xfedcba9876543210n) & MASK, 1n << 63n];
    expect([...x].map((_, i) => (share[i]! + other[i]!) & MASK)).toEqual(expected);
    // The sender's share is −Σ_k m0 for its product: with fixed pads, a fixed value.
    const m0 = pads(64 * x.length, 42n);
    let sum = 0n;
    for (let k = 0; k < 64; k++) sum += m0[64 * 2 + k]!;
    expect(share[2]).toBe(-sum & MASK);
  });

  it('matches the BigInt reference d = m0 + x·2^k − m1 and shares for random inputs', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: MASK }), { minLength: 1, maxLength: 8 }), fc.bigInt({ min: 0n, max: MASK }), (xs, seed) => {
        const x = BigUint64Array.from(xs);
        const y = pads(x.length, seed ^ 0xabcn);
        const { m0, m1, d, share, other } = run(x, y, seed);
        for (let j = 0; j < d.length; j++) {
          const k = BigInt(j % 64);
          expect(d[j]).toBe((m0[j]! + (x[Math.floor(j / 64)]! << k) - m1[j]!) & MASK);
        }
        for (let i = 0; i < x.length; i++) expect((share[i]! + other[i]!) & MASK).toBe((x[i]! * y[i]!) & MASK);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses OT values of the wrong length with ERR_PROTOCOL', () => {
    const x = new BigUint64Array(2);
    expect(() => gilboaSenderStep(x, new BigUint64Array(128), new BigUint64Array(127))).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
    expect(() => gilboaReceiverStep(x, new BigUint64Array(128), new BigUint64Array(64))).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
  });
});
