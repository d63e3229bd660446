// Fixed-point encoding in Z_2^64: known answers, round trips over random inputs, range checks.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInputs, decodeFixed, encodeFixed, INPUT_BOUND, ringMul } from '../shared/fixed.js';

describe('fixed point', () => {
  it('encodes known values', () => {
    expect(encodeFixed(1)).toBe(65536n);
    expect(encodeFixed(-1)).toBe(2n ** 64n - 65536n);
    expect(encodeFixed(0.5)).toBe(32768n);
    expect(encodeFixed(2 ** -17)).toBe(1n); // half a unit rounds up (Math.round)
    expect(decodeFixed(2n ** 64n - 1n)).toBe(-(2 ** -16));
    expect(decodeFixed(encodeFixed(-3.25))).toBe(-3.25);
  });

  it('round trips every value on the 2^-16 grid exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (k) => {
        const x = k / 2 ** 16;
        expect(decodeFixed(encodeFixed(x))).toBe(x);
      }),
    );
  });

  it('round trips arbitrary doubles within half a unit in the last place', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        expect(Math.abs(decodeFixed(encodeFixed(x)) - x)).toBeLessThanOrEqual(2 ** -17);
      }),
    );
  });

  it('keeps the product of two in-range inputs exact at 32 fractional bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: -INPUT_BOUND, max: INPUT_BOUND }), fc.integer({ min: -INPUT_BOUND, max: INPUT_BOUND }), (a, b) => {
        const p = ringMul(BigUint64Array.of(encodeFixed(a)), BigUint64Array.of(encodeFixed(b)))[0]!;
        expect(decodeFixed(p, 32)).toBe(a * b + 0); // + 0 turns -0 into 0
      }),
    );
  });

  it('refuses non-finite and out-of-range values with codes', () => {
    expect(() => encodeFixed(Number.NaN)).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => encodeFixed(Infinity)).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => encodeFixed(2 ** 40)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => checkInputs([1, 2, INPUT_BOUND + 1])).toThrow(/value 3/);
    expect(() => checkInputs([1, 2, INPUT_BOUND + 1])).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => checkInputs([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => checkInputs([-INPUT_BOUND, INPUT_BOUND])).not.toThrow();
  });
});
