// Gilboa's OT-based multiplication in the wide ring Z_2^128 (issue 15, `ring: 128`): the same
// protocol as gilboa.ts (read its header first: the algebra, the truncated corrections and their
// security hold word for word with 64 replaced by 128), kept apart so each file stays short and
// the 64-bit path keeps its tuned two-limb loops; the batch loops are shared (gilboa-batches.ts).
//
// Per product, 128 random OTs with 128-bit messages (rot.ts `extend(m, 128)`); OT k chooses with
// bit k of y (the receiver's y is its 128 random choices, one Z_2^128 element) and moves x·2^k,
// so the sender's correction d_k = m0_k − m1_k + x only matters mod 2^(128−k).
//
// WIRE FORMAT. Per product Σ_k (128 − k) = 8,256 bits = 258 32-bit words (1,032 bytes instead
// of 2,048): d_0, …, d_127 as one little-endian bit string, d_k in 128 − k bits, LSB first (bit i
// of the string is bit i & 31 of word i >>> 5); product t starts at word 258·t, no padding.
// d_k starts at bit 128·k − k(k − 1)/2 of its product, so the receiver reads only the d_k whose
// y_k is 1.
//
// SECURITY as gilboa.ts: d_k is masked by the low 128 − k bits of H(t_j ⊕ Δ), the message the
// receiver did not choose (pseudorandom without Δ), so it is uniform and independent of x.
// Arithmetic: 32-bit limbs in doubles, sums of at most 128 limbs (< 2^39, exact); variable-time
// like the rest of the OT code.

import { ParleyError } from '../../shared/errors.js';
import type { GilboaWidth } from './gilboa-batches.js';

const BITS = 128;
/** 32-bit words of packed corrections per product: Σ_k (128 − k) = 8,256 bits. */
export const WIDE_PACKED_WORDS = (BITS * (BITS + 1)) / 2 / 32;
/** Products per batch: 262,144 OTs (as in 64) and 2,064 KiB of d per instance. */
const WIDE_BATCH_PRODUCTS = 2048;
const TWO_32 = 2 ** 32;
/** Limbs (32-bit) per element and per OT message. */
const L = 4;

const limbs = (v: BigUint64Array) => new Uint32Array(v.buffer, v.byteOffset, v.length * 2);

function checkLengths(n: number, ...vs: BigUint64Array[]): void {
  for (const v of vs) {
    if (v.length !== 2 * n * BITS)
      throw new ParleyError('ERR_PROTOCOL', `expected ${n * BITS} 128-bit OT values, got ${v.length / 2}`);
  }
}

function checkPacked(n: number, d: Uint32Array): void {
  if (d.length !== n * WIDE_PACKED_WORDS)
    throw new ParleyError('ERR_PROTOCOL', `expected ${n * WIDE_PACKED_WORDS} words of corrections, got ${d.length}`);
}

/** Bit offset of d_k in its product's string: Σ_{j<k} (128 − j). */
const offsetOf = (k: number) => BITS * k - (k * (k - 1)) / 2;

/** Appends bit strings to `out` from word `o`, LSB first. */
class BitWriter {
  private cur = 0;
  private fill = 0;
  constructor(
    private readonly out: Uint32Array,
    private o: number,
  ) {}

  /** The low n bits of v (1 ≤ n ≤ 32). */
  write(v: number, n: number): void {
    const bits = n === 32 ? v >>> 0 : (v & (0xffffffff >>> (32 - n))) >>> 0;
    this.cur = (this.cur | (bits << this.fill)) >>> 0;
    this.fill += n;
    if (this.fill >= 32) {
      this.out[this.o++] = this.cur;
      this.fill -= 32;
      this.cur = this.fill === 0 ? 0 : bits >>> (n - this.fill);
    }
  }
}

/** Writes d_k (4 limbs of `src` from `s`) reduced mod 2^(128−k). */
function writeCorrection(w: BitWriter, src: Uint32Array, s: number, k: number): void {
  let left = BITS - k;
  for (let i = 0; left > 0; i++, left -= 32) w.write(src[s + i]!, Math.min(32, left));
}

/** The low n bits (1 ≤ n ≤ 32) of the bit string `src` (product at word s) from bit `bit`. */
function readBits(src: Uint32Array, s: number, bit: number, n: number): number {
  const i = s + (bit >>> 5);
  const pos = bit & 31;
  let v = src[i]! >>> pos;
  if (pos + n > 32) v |= src[i + 1]! << (32 - pos);
  return n === 32 ? v >>> 0 : (v & (0xffffffff >>> (32 - n))) >>> 0;
}

/** d_k of the product at word s of `src` into 4 limbs of `out` at o (limbs above its width 0). */
function readCorrection(src: Uint32Array, s: number, k: number, out: Uint32Array, o: number): void {
  const at = offsetOf(k);
  let left = BITS - k;
  for (let i = 0; i < L; i++, left -= 32) out[o + i] = left > 0 ? readBits(src, s, at + 32 * i, Math.min(32, left)) : 0;
}

/** Packs 128 corrections per product (4 limbs each, d_k reduced mod 2^(128−k)) into the wire format. */
export function packWideCorrections(d: BigUint64Array): Uint32Array {
  if (d.length % (2 * BITS) !== 0)
    throw new ParleyError('ERR_INTERNAL', `expected a multiple of ${BITS} 128-bit corrections, got ${d.length / 2}`);
  const n = d.length / (2 * BITS);
  const D = limbs(d);
  const out = new Uint32Array(n * WIDE_PACKED_WORDS);
  for (let t = 0; t < n; t++) {
    const w = new BitWriter(out, t * WIDE_PACKED_WORDS);
    for (let k = 0; k < BITS; k++) writeCorrection(w, D, L * (t * BITS + k), k);
  }
  return out;
}

/** The corrections of n products from the wire format (two words each), d_k in [0, 2^(128−k)). */
export function unpackWideCorrections(packed: Uint32Array, n: number): BigUint64Array {
  checkPacked(n, packed);
  const d = new BigUint64Array(2 * n * BITS);
  const D = limbs(d);
  for (let t = 0; t < n; t++)
    for (let k = 0; k < BITS; k++) readCorrection(packed, t * WIDE_PACKED_WORDS, k, D, L * (t * BITS + k));
  return d;
}

/** Adds 2^k·v mod 2^128 (v: 4 limbs of V at j) limb-wise into acc (no carries yet). */
function addShifted(acc: Float64Array, V: ArrayLike<number>, j: number, k: number): void {
  const q = k >>> 5;
  const r = k & 31;
  if (r === 0) {
    for (let i = q; i < L; i++) acc[i] = acc[i]! + V[j + i - q]!;
    return;
  }
  acc[q] = acc[q]! + ((V[j]! << r) >>> 0);
  for (let i = q + 1; i < L; i++) acc[i] = acc[i]! + (((V[j + i - q]! << r) | (V[j + i - q - 1]! >>> (32 - r))) >>> 0);
}

/** Writes (±)acc mod 2^128 (limb sums, exact doubles) as element t of S, and clears acc. */
function store(S: Uint32Array, t: number, acc: Float64Array, negate: boolean): void {
  let carry = 0;
  let borrow = negate ? 1 : 0; // −v = ~v + 1
  for (let i = 0; i < L; i++) {
    const v = acc[i]! + carry;
    carry = Math.floor(v / TWO_32);
    let limb = v >>> 0;
    if (negate) {
      const x = ((~limb >>> 0) + borrow) as number;
      borrow = x >= TWO_32 ? 1 : 0;
      limb = x >>> 0;
    }
    S[L * t + i] = limb;
    acc[i] = 0;
  }
}

/** Sender's pure step: packed corrections d (128 per product) and its shares −Σ_k 2^k·m0_k. */
export function wideSenderStep(
  x: BigUint64Array,
  m0: BigUint64Array,
  m1: BigUint64Array,
): { d: Uint32Array; share: BigUint64Array } {
  if (x.length % 2 !== 0) throw new ParleyError('ERR_INTERNAL', 'expected 128-bit elements (two words each)');
  const n = x.length / 2;
  checkLengths(n, m0, m1);
  const X = limbs(x);
  const A = limbs(m0);
  const B = limbs(m1);
  const d = new Uint32Array(n * WIDE_PACKED_WORDS);
  const share = new BigUint64Array(2 * n);
  const S = limbs(share);
  const acc = new Float64Array(L);
  const one = new Uint32Array(L);
  for (let t = 0; t < n; t++) {
    const w = new BitWriter(d, t * WIDE_PACKED_WORDS);
    for (let k = 0; k < BITS; k++) {
      const j = L * (t * BITS + k);
      let carry = 0;
      for (let i = 0; i < L; i++) {
        const v = A[j + i]! - B[j + i]! + X[L * t + i]! + carry; // in (−2^32 − 1, 2^33 + 1): exact
        one[i] = v; // stores v mod 2^32
        carry = Math.floor(v / TWO_32);
      }
      writeCorrection(w, one, 0, k);
      addShifted(acc, A, j, k);
    }
    store(S, t, acc, true);
  }
  return { d, share };
}

/** Receiver's pure step: its shares Σ_k 2^k·(m_{y_k} + y_k·d_k) from its messages and packed d. */
export function wideReceiverStep(y: BigUint64Array, mc: BigUint64Array, d: Uint32Array): BigUint64Array {
  if (y.length % 2 !== 0) throw new ParleyError('ERR_INTERNAL', 'expected 128-bit elements (two words each)');
  const n = y.length / 2;
  checkLengths(n, mc);
  checkPacked(n, d);
  const Y = limbs(y);
  const M = limbs(mc);
  const share = new BigUint64Array(2 * n);
  const S = limbs(share);
  const acc = new Float64Array(L);
  const dk = new Uint32Array(L);
  const v = new Uint32Array(L);
  for (let t = 0; t < n; t++) {
    const s = t * WIDE_PACKED_WORDS;
    for (let k = 0; k < BITS; k++) {
      const j = L * (t * BITS + k);
      if (((Y[L * t + (k >>> 5)]! >>> (k & 31)) & 1) === 0) {
        addShifted(acc, M, j, k);
        continue;
      }
      readCorrection(d, s, k, dk, 0);
      let carry = 0;
      for (let i = 0; i < L; i++) {
        const u = M[j + i]! + dk[i]! + carry; // < 2^33: exact
        v[i] = u;
        carry = u >= TWO_32 ? 1 : 0;
      }
      addShifted(acc, v, 0, k);
    }
    store(S, t, acc, false);
  }
  return share;
}

/** Z_2^128 for gilboa-batches.ts's loops. */
export const GILBOA_128: GilboaWidth = {
  bits: 128,
  words: 2,
  packedWords: WIDE_PACKED_WORDS,
  batchProducts: WIDE_BATCH_PRODUCTS,
  senderStep: wideSenderStep,
  receiverStep: wideReceiverStep,
};
