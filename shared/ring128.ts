// Z_2^128 kernels for the wide ring (`ring: 128`, issue 15): the same operations as shared/ring.ts
// on 128-bit elements, each kernel the fastest correct candidate measured by `npm run bench:ring`.

import { ParleyError } from './errors.js';
import { combine } from './ring128/beaver.js';
import { elementwise } from './ring128/elementwise.js';
import { matmul } from './ring128/matmul.js';

/*
 * Layout: a vector of n elements is a BigUint64Array of 2n words, element i in words 2i (low)
 * and 2i+1 (high). On a little-endian platform (every engine Parley runs on) its bytes are
 * the elements as 16-byte little-endian integers, one after the other, so PRG output, the
 * codec and the Pool carry it as bytes exactly as they carry Z_2^64 vectors today; element
 * i..j is the contiguous subarray(2i, 2j), so slicing, gathering and concatenating copy runs
 * as before; and the WebAssembly kernels load an element's words at one address. Two planes
 * (lo[] then hi[]) would split every slice in two and gain only SIMD lane layout, which no
 * chosen kernel uses.
 *
 * Chosen by measurement (`npm run bench:ring`, bench/ring128.ts, which times every candidate
 * against shared/ring.ts in the same run; figures in docs/securenumpy.md, "The wide ring's
 * kernels"). Candidates: plain BigInt (asUintN(128, …): allocates per element, 20-80× the
 * 64-bit kernels), paired 64-bit words in lowered BigInt (V8 lowers neither BigInt comparisons
 * nor shifts of an untruncated product, so carries and the 64×64→128 product fall back to
 * slower paths), 32-bit limbs in int32/float64 arithmetic, and WebAssembly.
 * - add, sub, neg, addScalar, mul, mulScalar, the shifts, Beaver's mask and combine (one fused
 *   kernel, shared/ring128/beaver.ts), ringMatmul: WebAssembly i64 (shared/ring128/), fastest in
 *   Node and in Chromium for each of them; ringMatmul by Winograd's inner product
 *   (shared/ring128/matmul.ts: three 64-bit multiplies per term, not six).
 * - encodeFixed, decodeFixed: 32-bit words in float64 arithmetic (no BigInt on the in-range path).
 */

const INV32 = 1 / 4294967296;
const TWO32 = 4294967296;

// ---- input checks ----------------------------------------------------------------------

/** The element count of a Z_2^128 vector (a BigUint64Array of an even number of words). */
function count(x: unknown, name: string): number {
  if (!(x instanceof BigUint64Array)) {
    throw new ParleyError(
      'ERR_DTYPE',
      `expected ${name} to be a BigUint64Array, got ${Object.prototype.toString.call(x)}`,
    );
  }
  if (x.length % 2 !== 0)
    throw new ParleyError('ERR_DTYPE', `expected ${name} to hold 2 words per element, got ${x.length} words`);
  return x.length / 2;
}

function sameLength(a: BigUint64Array, b: BigUint64Array): void {
  const n = count(a, 'a');
  const m = count(b, 'b');
  if (n !== m) throw new ParleyError('ERR_LENGTH_MISMATCH', `expected equal lengths, got ${n} and ${m} elements`);
}

/** A bigint scalar as its two words mod 2^128. */
function scalar(s: unknown): BigUint64Array {
  if (typeof s !== 'bigint') throw new ParleyError('ERR_DTYPE', `expected a bigint scalar, got ${typeof s}`);
  return BigUint64Array.of(s, s >> 64n); // each store keeps its low 64 bits
}

function dim(x: number, name: string): void {
  if (!Number.isSafeInteger(x) || x < 0)
    throw new ParleyError('ERR_SHAPE', `expected ${name} to be a non-negative integer, got ${x}`);
}

function shiftBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 128)
    throw new ParleyError('ERR_BAD_REQUEST', `expected a shift of 0 to 128 bits, got ${bits}`);
}

/** The fractional bits of the fixed-point conversions: 0 to 62. */
function fracBits(f: number): void {
  if (!Number.isInteger(f) || f < 0 || f > 62)
    throw new ParleyError('ERR_BAD_REQUEST', `expected 0 to 62 fractional bits, got ${f}`);
}

/** The vector's 32-bit words, low word of the element first (a view: platforms are little-endian). */
const limbs = (x: BigUint64Array) => new Int32Array(x.buffer, x.byteOffset, 2 * x.length);

// ---- element-wise and matrix product (WebAssembly) ----------------------------------------

/** a + b mod 2^128, element-wise. */
export function add(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  sameLength(a, b);
  return elementwise('add', a, b);
}

/** a − b mod 2^128, element-wise. */
export function sub(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  sameLength(a, b);
  return elementwise('sub', a, b);
}

/** −a mod 2^128, element-wise. */
export function neg(a: BigUint64Array): BigUint64Array {
  count(a, 'a');
  return elementwise('neg', a, 0);
}

/** a · b mod 2^128, element-wise. */
export function mul(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  sameLength(a, b);
  return elementwise('mul', a, b);
}

/** a + s mod 2^128 for a bigint s (any sign or size; taken mod 2^128). */
export function addScalar(a: BigUint64Array, s: bigint): BigUint64Array {
  count(a, 'a');
  return elementwise('add', a, scalar(s));
}

/** a · s mod 2^128 for a bigint s (any sign or size; taken mod 2^128). */
export function mulScalar(a: BigUint64Array, s: bigint): BigUint64Array {
  count(a, 'a');
  return elementwise('mul', a, scalar(s));
}

/** Beaver's masked operands x − a then y − b, in one vector of 2n elements (what a party opens). */
export function beaverMask(x: BigUint64Array, y: BigUint64Array, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  sameLength(x, a);
  sameLength(y, b);
  sameLength(x, y);
  const out = new BigUint64Array(2 * x.length);
  elementwise('sub', x, a, out, 0);
  return elementwise('sub', y, b, out, x.length);
}

/**
 * Party `party`'s share of x·y from the opened de = [d | e] (d = x − a, e = y − b) and its triple
 * shares: c + d·b + e·a, plus d·e at party 0; one fused kernel (shared/ring128/beaver.ts).
 */
export function beaverCombine(
  party: 0 | 1,
  de: BigUint64Array,
  a: BigUint64Array,
  b: BigUint64Array,
  c: BigUint64Array,
): BigUint64Array {
  sameLength(a, c);
  sameLength(b, c);
  const n = count(de, 'de');
  if (n !== 2 * count(c, 'c'))
    throw new ParleyError('ERR_LENGTH_MISMATCH', `expected de of 2·${c.length / 2} elements, got ${n}`);
  if (party !== 0 && party !== 1) throw new ParleyError('ERR_BAD_REQUEST', `expected party 0 or 1, got ${party}`);
  return combine(party, de, a, b, c);
}

/**
 * The most elements a, b, the product and one per row and column may hold together: the kernel
 * copies them all into 2 GiB.
 */
const MATMUL_MAX_ELEMENTS = 2 ** 27;

/** Row-major (m×k)·(k×n) → m×n mod 2^128, for k below 2^29 and at most 2^27 elements in all. */
export function ringMatmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  const ma = count(a, 'a');
  const mb = count(b, 'b');
  dim(m, 'm');
  dim(k, 'k');
  dim(n, 'n');
  if (ma !== m * k) throw new ParleyError('ERR_SHAPE', `expected a of m·k = ${m}·${k} = ${m * k} elements, got ${ma}`);
  if (mb !== k * n) throw new ParleyError('ERR_SHAPE', `expected b of k·n = ${k}·${n} = ${k * n} elements, got ${mb}`);
  if (k >= 2 ** 29) throw new ParleyError('ERR_SHAPE', `expected k below 2^29, got ${k}`);
  if (m * k + k * n + m * n + m + n > MATMUL_MAX_ELEMENTS)
    throw new ParleyError(
      'ERR_TOO_LARGE',
      `a ${m}×${k} by ${k}×${n} product needs more than 2^27 elements in all (2 GiB of WebAssembly memory)`,
    );
  return matmul(a, b, m, k, n);
}

// ---- shifts (WebAssembly, whose shift counts are taken mod 64: the cases split there) ----------

function shiftRight(a: BigUint64Array, bits: number, arithmetic: boolean): BigUint64Array {
  count(a, 'a');
  shiftBits(bits);
  if (bits === 0) return a.slice();
  if (bits < 64) return elementwise(arithmetic ? 'sra' : 'srl', a, bits);
  if (bits < 128) return elementwise(arithmetic ? 'sraHigh' : 'srlHigh', a, bits - 64);
  const out = new BigUint64Array(a.length);
  if (arithmetic) for (let i = 0; i < a.length; i += 2) out[i] = out[i + 1] = -(a[i + 1]! >> 63n);
  return out;
}

/** a >> bits as unsigned 128-bit values, element-wise, for an integer 0 ≤ bits ≤ 128. */
export const shiftRightLogical = (a: BigUint64Array, bits: number) => shiftRight(a, bits, false);

/** a >> bits as signed (two's complement) 128-bit values, for an integer 0 ≤ bits ≤ 128. */
export const shiftRightArithmetic = (a: BigUint64Array, bits: number) => shiftRight(a, bits, true);

// ---- fixed point ---------------------------------------------------------------------------

/**
 * Fixed-point encoding with f fractional bits: round(x·2^f) (Math.round, as the 64-bit ring's
 * encoding) in two's complement, for finite |x| < 2^(63−f), so the integer is below 2^63 and
 * exact in float64 arithmetic. Refuses other values with ERR_OUT_OF_RANGE naming the index.
 */
export function encodeFixed(x: Float64Array, f: number): BigUint64Array {
  if (!(x instanceof Float64Array))
    throw new ParleyError('ERR_DTYPE', `expected a Float64Array, got ${Object.prototype.toString.call(x)}`);
  fracBits(f);
  const bound = 2 ** (63 - f);
  const scale = 2 ** f;
  const out = new BigUint64Array(2 * x.length);
  const O = limbs(out);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(Math.abs(v) < bound))
      throw new ParleyError('ERR_OUT_OF_RANGE', `value ${i} is ${v}; the wide ring takes finite |x| < 2^${63 - f}`);
    const r = Math.round(v * scale);
    const hi = Math.floor(r * INV32); // exact: r is an integer below 2^63 in magnitude
    O[4 * i] = r - hi * TWO32;
    O[4 * i + 1] = hi;
    O[4 * i + 2] = O[4 * i + 3] = hi < 0 ? -1 : 0;
  }
  return out;
}

/**
 * The signed value of each element divided by 2^f, correctly rounded to float64: from the words
 * when the element fits in 64 bits (one rounding, in the sum), else through BigInt.
 */
export function decodeFixed(a: BigUint64Array, f: number): Float64Array {
  count(a, 'a');
  fracBits(f);
  const A = limbs(a);
  const scale = 2 ** -f;
  const out = new Float64Array(a.length / 2);
  for (let i = 0; i < out.length; i++) {
    const w1 = A[4 * i + 1]!;
    const fill = w1 >> 31;
    if (A[4 * i + 2] === fill && A[4 * i + 3] === fill) out[i] = (w1 * TWO32 + (A[4 * i]! >>> 0)) * scale;
    else out[i] = Number(BigInt.asIntN(128, a[2 * i]! | (a[2 * i + 1]! << 64n))) * scale;
  }
  return out;
}
