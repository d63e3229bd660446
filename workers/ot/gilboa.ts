// Gilboa's OT-based multiplication: x at the OT sender and y at the OT receiver become additive
// shares of x·y in Z_2^64, with 64 random OTs per product (OT k chooses with bit k of y).
//
// From random OT messages (m0_k, m1_k), OT k moves x·2^k, so only m·2^k matters, i.e. the low
// 64 − k bits of everything in OT k. The sender sends the truncated correction
//     d_k = m0_k − m1_k + x  mod 2^(64−k)
// and keeps −Σ_k 2^k·m0_k; the receiver keeps Σ_k 2^k·(m_{y_k} + y_k·d_k). Since
// 2^k·(m1_k + d_k) ≡ 2^k·(m0_k + x) (mod 2^64) for any representative of d_k mod 2^(64−k),
// the receiver's share is Σ_k 2^k·m0_k + Σ_k y_k·2^k·x = Σ_k 2^k·m0_k + x·y, and the two shares
// add up to x·y mod 2^64 exactly. Both sides multiply by 2^k, so they use the same reduced values.
//
// WIRE FORMAT. Per product the 64 corrections take Σ_k (64 − k) = 2,080 bits = 65 32-bit words
// (260 bytes instead of 512): d_0, d_1, …, d_63 concatenated as a little-endian bit string, d_k
// in 64 − k bits, LSB first (bit i of the string is bit i & 31 of word i >>> 5). A product's
// string fills its 65 words exactly, so product t starts at word 65·t and there is no padding.
//
// SECURITY. Truncation only removes bits. In the receiver's view, d_k is masked by the low
// 64 − k bits of the OT message it did not choose, H(t_j ⊕ Δ) mod 2^(64−k), which is
// pseudorandom without s (a truncated pseudorandom string is pseudorandom), so every d_k is
// uniform in Z_2^(64−k) and independent of x. The sender sees nothing new (it only sends).
// The OT messages are exactly those of the untruncated protocol.
//
// The arithmetic runs on 32-bit limbs (numbers, not BigInt) because it touches 64 values per
// product.

import { ParleyError } from '../../shared/errors.js';
import type { GilboaWidth } from './gilboa-batches.js';

const BITS = 64;
/** 32-bit words of packed corrections per product: Σ_k (64 − k) = 2,080 bits. */
export const PACKED_WORDS = (BITS * (BITS + 1)) / 2 / 32;
/** Bytes of packed corrections per product (260). */
export const PACKED_BYTES = PACKED_WORDS * 4;
/** Products per batch: 262,144 OTs and 1,040 KiB of d per instance. */
export const BATCH_PRODUCTS = 4096;
const TWO_32 = 2 ** 32;

const limbs = (v: BigUint64Array) => new Uint32Array(v.buffer, v.byteOffset, v.length * 2);

function checkLengths(n: number, ...vs: BigUint64Array[]): void {
  for (const v of vs) {
    if (v.length !== n * BITS) throw new ParleyError('ERR_PROTOCOL', `expected ${n * BITS} OT values, got ${v.length}`);
  }
}

function checkPacked(n: number, d: Uint32Array): void {
  if (d.length !== n * PACKED_WORDS)
    throw new ParleyError('ERR_PROTOCOL', `expected ${n * PACKED_WORDS} words of corrections, got ${d.length}`);
}

/**
 * Packs one product's 64 corrections, given as 128 limbs (lo, hi of d_k at 2k, 2k + 1 of `src`
 * from `s`), into PACKED_WORDS words of `out` from `o`; d_k is reduced mod 2^(64−k) here.
 */
function packProduct(src: Uint32Array, s: number, out: Uint32Array, o: number): void {
  let cur = 0; // the word being filled, its low `fill` bits used
  let fill = 0;
  for (let k = 0; k < BITS; k++) {
    const lo = src[s + 2 * k]!;
    let v: number; // the last (or only) part of d_k, of n bits
    let n: number;
    if (k < 32) {
      // All 32 bits of lo (completes a word), then the low 32 − k bits of hi.
      out[o++] = (cur | (lo << fill)) >>> 0;
      cur = fill === 0 ? 0 : lo >>> (32 - fill);
      v = src[s + 2 * k + 1]! & (0xffffffff >>> k);
      n = 32 - k;
    } else {
      v = lo & (0xffffffff >>> (k - 32)); // the low 64 − k bits of lo
      n = 64 - k;
    }
    cur = (cur | (v << fill)) >>> 0;
    fill += n;
    if (fill >= 32) {
      out[o++] = cur;
      fill -= 32;
      cur = fill === 0 ? 0 : v >>> (n - fill);
    }
  }
}

/** The low n bits (1 ≤ n ≤ 32) of the bit string `src` from bit `pos` of word `i`. */
function readBits(src: Uint32Array, i: number, pos: number, n: number): number {
  let v = src[i]! >>> pos;
  if (pos + n > 32) v |= src[i + 1]! << (32 - pos);
  return (v & (0xffffffff >>> (32 - n))) >>> 0;
}

/**
 * Unpacks one product's corrections from PACKED_WORDS words of `src` at `s` into 128 limbs of
 * `out` at `o` (d_k < 2^(64−k), so the limbs above its width are zero).
 */
function unpackProduct(src: Uint32Array, s: number, out: Uint32Array, o: number): void {
  let bit = 0; // bits read so far
  for (let k = 0; k < BITS; k++) {
    if (k < 32) {
      out[o + 2 * k] = readBits(src, s + (bit >>> 5), bit & 31, 32);
      out[o + 2 * k + 1] = readBits(src, s + ((bit + 32) >>> 5), bit & 31, 32 - k);
      bit += 64 - k;
    } else {
      out[o + 2 * k] = readBits(src, s + (bit >>> 5), bit & 31, 64 - k);
      out[o + 2 * k + 1] = 0;
      bit += 64 - k;
    }
  }
}

/** Packs 64 corrections per product (d_k reduced mod 2^(64−k)) into the wire format. */
export function packCorrections(d: BigUint64Array): Uint32Array {
  if (d.length % BITS !== 0)
    throw new ParleyError('ERR_INTERNAL', `expected a multiple of ${BITS} corrections, got ${d.length}`);
  const n = d.length / BITS;
  const D = limbs(d);
  const out = new Uint32Array(n * PACKED_WORDS);
  for (let t = 0; t < n; t++) packProduct(D, t * 2 * BITS, out, t * PACKED_WORDS);
  return out;
}

/** The corrections of n products from the wire format, each d_k in [0, 2^(64−k)). */
export function unpackCorrections(packed: Uint32Array, n: number): BigUint64Array {
  checkPacked(n, packed);
  const d = new BigUint64Array(n * BITS);
  const D = limbs(d);
  for (let t = 0; t < n; t++) unpackProduct(packed, t * PACKED_WORDS, D, t * 2 * BITS);
  return d;
}

/** The low limb of 2^k·(lo + 2^32·hi) mod 2^64 (limbs in [0, 2^32)). */
const shiftedLo = (lo: number, k: number) => (k < 32 ? (lo << k) >>> 0 : 0);
/** The high limb of 2^k·(lo + 2^32·hi) mod 2^64. */
const shiftedHi = (lo: number, hi: number, k: number) =>
  k === 0 ? hi : k < 32 ? ((hi << k) | (lo >>> (32 - k))) >>> 0 : (lo << (k - 32)) >>> 0;

/** Writes (±)(sumLo + 2^32·sumHi) mod 2^64 (sums of limbs, exact doubles) as element t of W. */
function store(W: Uint32Array, t: number, sumLo: number, sumHi: number, negate: boolean): void {
  let lo = sumLo >>> 0;
  let hi = (sumHi + Math.floor(sumLo / TWO_32)) >>> 0;
  if (negate) {
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    lo = -lo >>> 0;
  }
  W[2 * t] = lo;
  W[2 * t + 1] = hi;
}

/** Sender's pure step: packed corrections d (64 per product) and its shares −Σ_k 2^k·m0_k. */
export function gilboaSenderStep(
  x: BigUint64Array,
  m0: BigUint64Array,
  m1: BigUint64Array,
): { d: Uint32Array; share: BigUint64Array } {
  const n = x.length;
  checkLengths(n, m0, m1);
  const X = limbs(x);
  const A = limbs(m0);
  const B = limbs(m1);
  const d = new Uint32Array(n * PACKED_WORDS);
  const share = new BigUint64Array(n);
  const S = limbs(share);
  const one = new Uint32Array(2 * BITS); // one product's corrections before packing
  for (let t = 0; t < n; t++) {
    let sumLo = 0; // Σ of limbs: at most 64 · 2^32, exact
    let sumHi = 0;
    const xLo = X[2 * t]!;
    const xHi = X[2 * t + 1]!;
    for (let k = 0; k < BITS; k++) {
      const j = 2 * (t * BITS + k);
      const aLo = A[j]!;
      const aHi = A[j + 1]!;
      const lo = aLo - B[j]! + xLo; // in (-2^32, 2^33): exact
      one[2 * k] = lo; // stores lo mod 2^32
      one[2 * k + 1] = aHi - B[j + 1]! + xHi + Math.floor(lo / TWO_32);
      sumLo += shiftedLo(aLo, k);
      sumHi += shiftedHi(aLo, aHi, k);
    }
    packProduct(one, 0, d, t * PACKED_WORDS);
    store(S, t, sumLo, sumHi, true);
  }
  return { d, share };
}

/** Receiver's pure step: its shares Σ_k 2^k·(m_{y_k} + y_k·d_k) from its messages and packed d. */
export function gilboaReceiverStep(y: BigUint64Array, mc: BigUint64Array, d: Uint32Array): BigUint64Array {
  const n = y.length;
  checkLengths(n, mc);
  checkPacked(n, d);
  const Y = limbs(y);
  const M = limbs(mc);
  const share = new BigUint64Array(n);
  const S = limbs(share);
  const one = new Uint32Array(2 * BITS);
  for (let t = 0; t < n; t++) {
    unpackProduct(d, t * PACKED_WORDS, one, 0);
    let sumLo = 0;
    let sumHi = 0;
    for (let k = 0; k < BITS; k++) {
      const j = 2 * (t * BITS + k);
      const bit = (Y[2 * t + (k >>> 5)]! >>> (k & 31)) & 1;
      const lo = M[j]! + bit * one[2 * k]!; // < 2^33: exact
      const hi = (M[j + 1]! + bit * one[2 * k + 1]! + Math.floor(lo / TWO_32)) >>> 0;
      sumLo += shiftedLo(lo >>> 0, k);
      sumHi += shiftedHi(lo >>> 0, hi, k);
    }
    store(S, t, sumLo, sumHi, false);
  }
  return share;
}

/** Z_2^64 for gilboa-batches.ts's loops. */
export const GILBOA_64: GilboaWidth = {
  bits: 64,
  words: 1,
  packedWords: PACKED_WORDS,
  batchProducts: BATCH_PRODUCTS,
  senderStep: gilboaSenderStep,
  receiverStep: gilboaReceiverStep,
};
