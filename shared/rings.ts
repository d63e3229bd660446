// The session's ring as one value (issue 15): `ring: 64 | 128` picks the kernels every protocol
// calls, Z_2^64 (shared/ring.ts) or Z_2^128 (shared/ring128.ts), behind one interface, so the
// engine is written once over `Ring` and a session's elements are `words` 64-bit words each.

import { ParleyError } from './errors.js';
import * as r64 from './ring.js';
import * as r128 from './ring128.js';

/**
 * Z_2^bits on BigUint64Arrays of `words` words per element (low word first). Scalars are bigints
 * of any sign or size, taken mod 2^bits; shifts take 0 ≤ bits ≤ the ring's bits.
 */
export interface Ring {
  readonly bits: 64 | 128;
  readonly words: 1 | 2;
  add(a: BigUint64Array, b: BigUint64Array): BigUint64Array;
  sub(a: BigUint64Array, b: BigUint64Array): BigUint64Array;
  neg(a: BigUint64Array): BigUint64Array;
  mul(a: BigUint64Array, b: BigUint64Array): BigUint64Array;
  addScalar(a: BigUint64Array, s: bigint): BigUint64Array;
  mulScalar(a: BigUint64Array, s: bigint): BigUint64Array;
  shiftRightLogical(a: BigUint64Array, bits: number): BigUint64Array;
  shiftRightArithmetic(a: BigUint64Array, bits: number): BigUint64Array;
  /** Row-major (m×k)·(k×n) → m×n. */
  ringMatmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array;
  /** round(x·2^f) for finite |x| < 2^(63−f), else ERR_OUT_OF_RANGE naming the index (0 ≤ f ≤ 62). */
  encodeFixed(x: Float64Array, f: number): BigUint64Array;
  /** Each element's signed value / 2^f, correctly rounded to float64. */
  decodeFixed(a: BigUint64Array, f: number): Float64Array;
  /** Beaver's masked operands: x − a then y − b, in one vector (what a party opens). */
  beaverMask(x: BigUint64Array, y: BigUint64Array, a: BigUint64Array, b: BigUint64Array): BigUint64Array;
  /**
   * A share of x·y from the opened de = [d | e] (d = x − a, e = y − b) and the triple's shares:
   * c + d·b + e·a, plus d·e at party 0.
   */
  beaverCombine(
    party: 0 | 1,
    de: BigUint64Array,
    a: BigUint64Array,
    b: BigUint64Array,
    c: BigUint64Array,
  ): BigUint64Array;
}

const TWO32 = 4294967296;
const INV32 = 1 / TWO32;
const ALL_ONES = (1n << 64n) - 1n;

/** The vector's 32-bit words, low word first (a view: every platform Parley runs on is little-endian). */
const limbs = (x: BigUint64Array) => new Int32Array(x.buffer, x.byteOffset, 2 * x.length);

function fracBits(f: number): void {
  if (!Number.isInteger(f) || f < 0 || f > 62)
    throw new ParleyError('ERR_BAD_REQUEST', `expected 0 to 62 fractional bits, got ${f}`);
}

/** a >> bits as signed 64-bit values: the logical shift, with the sign filled in above it. */
function shiftRightArithmetic64(a: BigUint64Array, bits: number): BigUint64Array {
  const out = r64.shiftRightLogical(a, bits);
  if (bits === 0) return out;
  const fill = ALL_ONES ^ (ALL_ONES >> BigInt(bits));
  for (let i = 0; i < a.length; i++) if (a[i]! >> 63n) out[i] = out[i]! | fill;
  return out;
}

/** round(x·2^f) in 32-bit words with float64 arithmetic (exact: the integer is below 2^63). */
function encodeFixed64(x: Float64Array, f: number): BigUint64Array {
  if (!(x instanceof Float64Array))
    throw new ParleyError('ERR_DTYPE', `expected a Float64Array, got ${Object.prototype.toString.call(x)}`);
  fracBits(f);
  const bound = 2 ** (63 - f);
  const scale = 2 ** f;
  const out = new BigUint64Array(x.length);
  const O = limbs(out);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(Math.abs(v) < bound))
      throw new ParleyError('ERR_OUT_OF_RANGE', `value ${i} is ${v}; the 64-bit ring takes finite |x| < 2^${63 - f}`);
    const r = Math.round(v * scale);
    const hi = Math.floor(r * INV32);
    O[2 * i] = r - hi * TWO32;
    O[2 * i + 1] = hi;
  }
  return out;
}

/** hi·2^32 + lo is exact before the one rounding of the sum, and scaling by 2^-f is exact. */
function decodeFixed64(a: BigUint64Array, f: number): Float64Array {
  if (!(a instanceof BigUint64Array))
    throw new ParleyError('ERR_DTYPE', `expected a BigUint64Array, got ${Object.prototype.toString.call(a)}`);
  fracBits(f);
  const A = limbs(a);
  const scale = 2 ** -f;
  const out = new Float64Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = (A[2 * i + 1]! * TWO32 + (A[2 * i]! >>> 0)) * scale;
  return out;
}

// Beaver in Z_2^64 as one fused pass each way: BigUint64Array stores wrap mod 2^64, which lets
// V8 use machine words (composing the element-wise kernels would allocate four more vectors).
function beaverMask64(x: BigUint64Array, y: BigUint64Array, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const n = x.length;
  const masked = new BigUint64Array(2 * n);
  for (let i = 0; i < n; i++) {
    masked[i] = x[i]! - a[i]!;
    masked[n + i] = y[i]! - b[i]!;
  }
  return masked;
}

function beaverCombine64(
  party: 0 | 1,
  de: BigUint64Array,
  a: BigUint64Array,
  b: BigUint64Array,
  c: BigUint64Array,
): BigUint64Array {
  const n = c.length;
  const z = new BigUint64Array(n);
  if (party === 0) for (let i = 0; i < n; i++) z[i] = c[i]! + de[i]! * b[i]! + de[n + i]! * a[i]! + de[i]! * de[n + i]!;
  else for (let i = 0; i < n; i++) z[i] = c[i]! + de[i]! * b[i]! + de[n + i]! * a[i]!;
  return z;
}

/** Z_2^64: V8's lowered BigInt loops of shared/ring.ts, one word per element. */
export const RING64: Ring = Object.freeze({
  bits: 64,
  words: 1,
  add: r64.add,
  sub: r64.sub,
  neg: r64.neg,
  mul: r64.mul,
  addScalar: r64.addScalar,
  mulScalar: r64.mulScalar,
  shiftRightLogical: r64.shiftRightLogical,
  shiftRightArithmetic: shiftRightArithmetic64,
  ringMatmul: r64.ringMatmul,
  encodeFixed: encodeFixed64,
  decodeFixed: decodeFixed64,
  beaverMask: beaverMask64,
  beaverCombine: beaverCombine64,
});

/** Z_2^128: the WebAssembly kernels of shared/ring128.ts, two words per element. */
export const RING128: Ring = Object.freeze({
  bits: 128,
  words: 2,
  add: r128.add,
  sub: r128.sub,
  neg: r128.neg,
  mul: r128.mul,
  addScalar: r128.addScalar,
  mulScalar: r128.mulScalar,
  shiftRightLogical: r128.shiftRightLogical,
  shiftRightArithmetic: r128.shiftRightArithmetic,
  ringMatmul: r128.ringMatmul,
  encodeFixed: r128.encodeFixed,
  decodeFixed: r128.decodeFixed,
  beaverMask: r128.beaverMask,
  beaverCombine: r128.beaverCombine,
});

/** The session option `ring`: 64 or 128 (the number), else ERR_BAD_REQUEST. */
export function ringOf(x: unknown): Ring {
  if (x === 64) return RING64;
  if (x === 128) return RING128;
  throw new ParleyError('ERR_BAD_REQUEST', `ring must be 64 or 128, got ${JSON.stringify(x) ?? String(x)}`);
}
