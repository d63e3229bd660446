// Fixed-point numbers in the ring Z_2^64: encoding, decoding, exact-range checks and the
// ring operations on BigUint64Array that the engine builds on.

import { ParleyError } from './errors.js';

export const RING_BITS = 64n;
export const RING_MASK = (1n << 64n) - 1n;
/** Fractional bits of the default fixed-point encoding. */
export const FRAC_BITS = 16;

/**
 * Largest magnitude an input may have. It keeps every product of two inputs exact: the
 * product carries 2*FRAC_BITS fractional bits and must stay below 2^63 in the signed ring,
 * so |x|,|y| <= 2^15.5 (46340.95...). Sums of two inputs are exact a fortiori.
 */
export const INPUT_BOUND = 46340;

/** Encodes a finite number as round(x * 2^frac) in two's complement mod 2^64. */
export function encodeFixed(x: number, frac = FRAC_BITS): bigint {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new ParleyError('ERR_BAD_INPUT', `expected a finite number, got ${String(x)}`);
  }
  const scaled = Math.round(x * 2 ** frac);
  if (!Number.isSafeInteger(scaled)) {
    throw new ParleyError('ERR_OUT_OF_RANGE', `${x} does not fit ${frac} fractional bits exactly`);
  }
  return BigInt.asUintN(64, BigInt(scaled));
}

/** Decodes a ring element holding a signed value with `frac` fractional bits. */
export function decodeFixed(v: bigint, frac = FRAC_BITS): number {
  const signed = BigInt.asIntN(64, v);
  const whole = signed >> BigInt(frac);
  const rest = signed - (whole << BigInt(frac));
  return Number(whole) + Number(rest) / 2 ** frac;
}

/** Checks that every input is finite and within INPUT_BOUND, naming the first bad index. */
export function checkInputs(xs: readonly number[], bound = INPUT_BOUND): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new ParleyError('ERR_BAD_INPUT', `value ${i + 1} is not a finite number: ${String(x)}`);
    }
    if (Math.abs(x) > bound) {
      throw new ParleyError('ERR_OUT_OF_RANGE', `value ${i + 1} is ${x}; inputs must lie in [-${bound}, ${bound}]`);
    }
  }
}

export function encodeVector(xs: readonly number[], frac = FRAC_BITS): BigUint64Array {
  const out = new BigUint64Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = encodeFixed(xs[i]!, frac);
  return out;
}

export function decodeVector(v: BigUint64Array, frac = FRAC_BITS): number[] {
  return Array.from(v, (x) => decodeFixed(x, frac));
}

/** Element-wise a + b, a − b and a · b mod 2^64 (the kernels live in ring.ts). */
export { add as ringAdd, mul as ringMul, sub as ringSub } from './ring.js';
