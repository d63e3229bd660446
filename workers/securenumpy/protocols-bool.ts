// The packed boolean protocols behind comparisons: AND on 64-bit words of XOR-shared bits, the
// Kogge–Stone carries of an arithmetic sharing (the sign bit, bit decomposition, float → int),
// and the zero test, in Z_2^64 (one word per element) and Z_2^128 (two words, low first).
//
// COMPARISONS. Bits are XOR-shared and packed: a word holds 64 bits, and one packed AND triple
// (a, b, c with c0 ⊕ c1 = (a0 ⊕ a1) & (b0 ⊕ b1)) serves a whole word. In andWords each party
// opens d = u ⊕ a and e = v ⊕ b (uniform: a and b are one-time pads) and keeps
// c ⊕ (d & b) ⊕ (e & a), party 0 also d & e.
//
// CARRIES (carries) of x = x0 + x1 mod 2^ℓ, where party P holds the ℓ-bit number X_P = x_P (W =
// ℓ/64 words): bit i of the sum is X0[i] ⊕ X1[i] ⊕ (carry into bit i). The carries come from a
// Kogge–Stone prefix over all ℓ bit positions at once: propagate P = X0 ⊕ X1 (XOR-shared as it
// stands: party 0 holds X0, party 1 X1), generate G = X0 & X1 (one AND with u = (X0, 0) and
// v = (0, X1)); then for k = 1, 2, 4, …, ℓ/2: G ⊕= P & (G << k) and P &= P << k, both ANDs in
// one round (XOR can replace OR because a group's generate and propagate are never both set; the
// zeros shifted in make groups that reach below bit 0 end there; the last level needs no P, and
// in Z_2^128 its G << 64 is zero in the low word, so only the high word is ANDed). Shifts cross
// word boundaries (a 128-bit shift of the element). Afterwards G bit i is the carry out of bits
// 0..i. Per value: Z_2^64 7 rounds, 12 AND words (1 + 5·2 + 1); Z_2^128 8 rounds, 27 AND words
// (2 + 6·4 + 1).
//
// SIGN BIT (msbBits): X0[ℓ−1] ⊕ X1[ℓ−1] ⊕ G[ℓ−2], the top bit of x; as a sign, x < 0 for
// |x| < 2^(ℓ−1).
//
// ZERO TEST (isZeroBits). x0 + x1 = 0 exactly when x0 = −x1, that is when x0 ⊕ (−x1), already
// XOR-shared as (x0, −x1), is all zeros: NOT it (party 0 flips its share) and AND-reduce the ℓ
// bits with local shifts: in Z_2^128 first the low word & the high word (one AND word), then
// w &= w >> k for k = 32, 16, 8, 4, 2, 1. Z_2^64: 6 rounds and 6 AND words per value; Z_2^128:
// 7 and 7. Exact for every x (no range condition), and no carries needed.
//
// Bits leave these protocols one per word (0n or 1n, XOR-shared); a bool array's share holds its
// bit in the low word of each element (boolShares, lowWords convert).
//
// What is sent: only the openings d and e, each masked by fresh a and b, so every message is
// uniform and its size depends only on the number of values.

import { ParleyError } from '../../shared/errors.js';
import type { Ring } from '../../shared/rings.js';
import type { AndTriples } from './correlations.js';
import { concat, takeWords, type Wire } from './protocols.js';

/** Hands out consecutive slices of a block of packed AND triples. */
export function andSupply(t: AndTriples): (n: number) => AndTriples {
  let off = 0;
  return (n) => {
    if (off + n > t.a.length) throw new ParleyError('ERR_INTERNAL', `needed more than ${t.a.length} AND-triple words`);
    const slice = { a: t.a.subarray(off, off + n), b: t.b.subarray(off, off + n), c: t.c.subarray(off, off + n) };
    off += n;
    return slice;
  };
}

/** Bitwise AND of XOR-shared words u and v, 64 ANDs per word, spending n AND-triple words. One round. */
export async function andWords(
  w: Wire,
  key: number,
  u: BigUint64Array,
  v: BigUint64Array,
  t: AndTriples,
): Promise<BigUint64Array> {
  const n = u.length;
  if (v.length !== n || t.a.length !== n || t.b.length !== n || t.c.length !== n)
    throw new ParleyError('ERR_INTERNAL', 'andWords needs equal lengths and one AND-triple word per word');
  const mine = new BigUint64Array(2 * n);
  for (let i = 0; i < n; i++) {
    mine[i] = u[i]! ^ t.a[i]!;
    mine[n + i] = v[i]! ^ t.b[i]!;
  }
  w.ex.post(key, mine);
  const theirs = await takeWords(w, key, 2 * n);
  const out = new BigUint64Array(n);
  for (let i = 0; i < n; i++) {
    const d = mine[i]! ^ theirs[i]!;
    const e = mine[n + i]! ^ theirs[n + i]!;
    const z = t.c[i]! ^ (d & t.b[i]!) ^ (e & t.a[i]!);
    out[i] = w.party === 0 ? z ^ (d & e) : z;
  }
  t.a.fill(0n);
  t.b.fill(0n);
  t.c.fill(0n);
  return out;
}

/** Kogge–Stone levels after the generate AND: k = 1, 2, …, ℓ/2. */
const levels = (ring: Ring) => Math.log2(ring.bits / 2) + 1;

/** AND-triple words per value of carries and msbBits: 12 in Z_2^64, 27 in Z_2^128. */
export const msbAndWords = (ring: Ring): number => ring.words + 2 * ring.words * (levels(ring) - 1) + 1;
/** Rounds of carries and msbBits: 7 in Z_2^64, 8 in Z_2^128. */
export const msbRounds = (ring: Ring): number => 1 + levels(ring);
/** AND-triple words per value of isZeroBits, also its rounds: 6 for one word (Z_2^64), 7 for two. */
export const zeroAndWords = (ring: { readonly words: number }): number => ring.words - 1 + 6;

/** Each element (`words` words, low first) shifted left by 1 ≤ k ≤ 64 bits, mod 2^(64·words). */
function shiftLeft(x: BigUint64Array, k: number, words: number): BigUint64Array {
  const out = new BigUint64Array(x.length);
  const K = BigInt(k);
  if (words === 1) {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! << K; // the store keeps the low 64 bits
    return out;
  }
  for (let i = 0; i < x.length; i += 2) {
    const lo = x[i]!;
    if (k === 64) out[i + 1] = lo;
    else {
      out[i] = lo << K;
      out[i + 1] = (x[i + 1]! << K) | (lo >> (64n - K));
    }
  }
  return out;
}

/** XOR shares of the bits of x = x0 + x1 from its carries G: X_P ⊕ (G << 1), `words` words per element. */
export function sumBits(x: BigUint64Array, G: BigUint64Array, words: number): BigUint64Array {
  const out = shiftLeft(G, 1, words);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! ^ x[i]!;
  return out;
}

/** XOR shares in, XOR shares out: one round of packed ANDs (how carries spends AND triples). */
export type AndStep = (u: BigUint64Array, v: BigUint64Array) => Promise<BigUint64Array>;

/**
 * The Kogge–Stone generate words of x = x0 + x1 mod 2^(64·words) (the header): XOR shares, as
 * many words as x, whose bit i is the carry out of bits 0..i of the sum. `x` is this party's
 * arithmetic share, `p0` whether it is party 0; `and` is called once per round: msbRounds(ring)
 * calls and msbAndWords(ring) words per value in all (7 calls and 12 words for one word per
 * element, 8 and 27 for two).
 */
export async function carries(words: 1 | 2, p0: boolean, x: BigUint64Array, and: AndStep): Promise<BigUint64Array> {
  const zero = new BigUint64Array(x.length);
  let G = await and(p0 ? x : zero, p0 ? zero : x);
  let P = x.slice();
  const top = 32 * words;
  for (let k = 1; k <= top; k <<= 1) {
    const sG = shiftLeft(G, k, words);
    if (k < top) {
      const both = await and(concat([P, P]), concat([sG, shiftLeft(P, k, words)]));
      const next = new BigUint64Array(G.length);
      for (let i = 0; i < next.length; i++) next[i] = G[i]! ^ both[i]!;
      G = next;
      P = both.slice(G.length);
    } else if (words === 1) {
      const gp = await and(P, sG);
      for (let i = 0; i < G.length; i++) G[i] = G[i]! ^ gp[i]!;
    } else {
      // G << 64 is zero in the low word: only the high words are ANDed.
      const n = G.length / 2;
      const u = new BigUint64Array(n);
      const v = new BigUint64Array(n);
      for (let i = 0; i < n; i++) {
        u[i] = P[2 * i + 1]!;
        v[i] = sG[2 * i + 1]!;
      }
      const gp = await and(u, v);
      for (let i = 0; i < n; i++) G[2 * i + 1] = G[2 * i + 1]! ^ gp[i]!;
    }
  }
  return G;
}

/** The AND step of a protocol: consecutive stages of `key`, slices of `t`. */
function stepper(w: Wire, key: (stage: number) => number, t: AndTriples): AndStep {
  const take = andSupply(t);
  let stage = 0;
  return (u, v) => andWords(w, key(stage++), u, v, take(u.length));
}

/**
 * XOR shares (0n or 1n per value) of the top bit of x = x0 + x1 mod 2^ℓ (the sign: x < 0 for
 * |x| < 2^(ℓ−1)), spending msbAndWords AND-triple words per value. Stages 0..msbRounds − 1 of `key`.
 */
export async function msbBits(
  w: Wire,
  key: (stage: number) => number,
  x: BigUint64Array,
  t: AndTriples,
): Promise<BigUint64Array> {
  const W = w.ring.words;
  const G = await carries(W, w.party === 0, x, stepper(w, key, t));
  const out = new BigUint64Array(x.length / W);
  for (let i = 0, j = W - 1; i < out.length; i++, j += W) out[i] = ((x[j]! >> 63n) ^ (G[j]! >> 62n)) & 1n;
  return out;
}

/**
 * XOR shares (0n or 1n per value) of [x0 + x1 = 0 mod 2^(64·words)], exact for every x, where x
 * has `words` words per element (the ring's, or 1: the low words of a Z_2^128 sharing, a sharing
 * of x mod 2^64), spending zeroAndWords({ words }) AND-triple words per value. Stages
 * 0..zeroAndWords − 1 of `key`.
 */
export async function isZeroBits(
  w: Wire,
  key: (stage: number) => number,
  x: BigUint64Array,
  t: AndTriples,
  words: number = w.ring.words,
): Promise<BigUint64Array> {
  const and = stepper(w, key, t);
  const W = words;
  // NOT(x0) at party 0 and −x1 at party 1: XOR shares of NOT(x0 ⊕ −x1), all ones iff x = 0.
  const neg = W === 1 ? (v: BigUint64Array) => v.map((q) => -q) : w.ring.neg;
  const mine = w.party === 0 ? x.map((q) => ~q) : neg(x); // stores wrap mod 2^64
  let v: BigUint64Array = mine;
  if (W === 2) v = await and(lowWords(mine, 2), highWords(mine));
  for (let k = 32n; k >= 1n; k >>= 1n) {
    const K = k;
    v = await and(
      v,
      v.map((q) => q >> K),
    );
  }
  for (let i = 0; i < v.length; i++) v[i] = v[i]! & 1n;
  return v;
}

/** The low word of each element (`words` words each; x itself for one word). */
export function lowWords(x: BigUint64Array, words: number): BigUint64Array {
  if (words === 1) return x;
  const out = new BigUint64Array(x.length / words);
  for (let i = 0; i < out.length; i++) out[i] = x[words * i]!;
  return out;
}

function highWords(x: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(x.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = x[2 * i + 1]!;
  return out;
}

/** XOR-shared bits (one per word) as a bool array's share: the bit in each element's low word. */
export function boolShares(bits: BigUint64Array, words: number): BigUint64Array {
  if (words === 1) return bits;
  const out = new BigUint64Array(words * bits.length);
  for (let i = 0; i < bits.length; i++) out[words * i] = bits[i]!;
  return out;
}
