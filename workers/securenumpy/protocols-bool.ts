// The packed boolean protocols behind comparisons: AND on 64-bit words of XOR-shared bits, the
// sign bit of an arithmetic sharing (a Kogge–Stone carry) and the zero test.
//
// COMPARISONS. Bits are XOR-shared and packed: a word holds 64 bits, and one packed AND triple
// (a, b, c with c0 ⊕ c1 = (a0 ⊕ a1) & (b0 ⊕ b1)) serves a whole word. In andWords each party
// opens d = u ⊕ a and e = v ⊕ b (uniform: a and b are one-time pads) and keeps
// c ⊕ (d & b) ⊕ (e & a), party 0 also d & e.
//
// SIGN BIT (msbBits) of x = x0 + x1 mod 2^64, where party P holds the word X_P = x_P: the top
// bit of the sum is X0[63] ⊕ X1[63] ⊕ (carry into bit 63). The carry comes from a Kogge–Stone
// prefix over the 64 bit positions of the word, all at once: propagate P = X0 ⊕ X1 (XOR-shared
// as it stands: party 0 holds X0, party 1 X1), generate G = X0 & X1 (one AND with u = (X0, 0)
// and v = (0, X1)); then for k = 1, 2, 4, 8, 16, 32: G ⊕= P & (G << k) and P &= P << k, both
// ANDs in one round (XOR can replace OR because a group's generate and propagate are never both
// set; the zeros shifted in make groups that reach below bit 0 end there; the last level needs
// no P). Afterwards G bit i is the carry out of bits 0..i, so the carry into bit 63 is G bit 62.
// 7 rounds and 12 AND words per value. As a sign, msb(x) is x < 0 for |x| < 2^63.
//
// ZERO TEST (isZeroBits). x0 + x1 = 0 exactly when x0 = −x1, that is when the word x0 ⊕ (−x1),
// already XOR-shared as (x0, −x1), is all zeros: NOT it (party 0 flips its share) and AND-reduce
// the 64 bits with local shifts, w &= w >> k for k = 32, 16, 8, 4, 2, 1: 6 rounds and 6 AND
// words per value, exact for every x (no range condition), and no carries needed.
//
// What is sent: only the openings d and e, each masked by fresh a and b, so every message is
// uniform and its size depends only on the number of values.

import { ParleyError } from '../../shared/errors.js';
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

/** AND words per value of msbBits and isZeroBits. */
export const MSB_AND_WORDS = 12;
export const ZERO_AND_WORDS = 6;

function shiftLeft(x: BigUint64Array, k: bigint): BigUint64Array {
  const out = new BigUint64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! << k; // the store keeps the low 64 bits
  return out;
}

function join(x: BigUint64Array, y: BigUint64Array): BigUint64Array {
  return concat([x, y]);
}

/**
 * XOR shares (0n or 1n per value) of the top bit of x = x0 + x1 mod 2^64 (the sign: x < 0 for
 * |x| < 2^63), spending MSB_AND_WORDS AND-triple words per value. Stages 0..6 of `key` (7 rounds).
 */
export async function msbBits(
  w: Wire,
  key: (stage: number) => number,
  x: BigUint64Array,
  t: AndTriples,
): Promise<BigUint64Array> {
  const n = x.length;
  const take = andSupply(t);
  const zero = new BigUint64Array(n);
  let G = await andWords(w, key(0), w.party === 0 ? x : zero, w.party === 0 ? zero : x, take(n));
  let P = x.slice();
  let stage = 1;
  for (let k = 1n; k <= 32n; k <<= 1n, stage++) {
    const shiftedG = shiftLeft(G, k);
    if (k === 32n) {
      const gp = await andWords(w, key(stage), P, shiftedG, take(n));
      for (let i = 0; i < n; i++) G[i] = G[i]! ^ gp[i]!;
    } else {
      const both = await andWords(w, key(stage), join(P, P), join(shiftedG, shiftLeft(P, k)), take(2 * n));
      const next = new BigUint64Array(n);
      for (let i = 0; i < n; i++) {
        next[i] = G[i]! ^ both[i]!;
      }
      G = next;
      P = both.slice(n);
    }
  }
  const out = new BigUint64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((x[i]! >> 63n) ^ (G[i]! >> 62n)) & 1n;
  return out;
}

/**
 * XOR shares (0n or 1n per value) of [x0 + x1 = 0 mod 2^64], exact for every x, spending
 * ZERO_AND_WORDS AND-triple words per value. Stages 0..5 of `key` (6 rounds).
 */
export async function isZeroBits(
  w: Wire,
  key: (stage: number) => number,
  x: BigUint64Array,
  t: AndTriples,
): Promise<BigUint64Array> {
  const n = x.length;
  const take = andSupply(t);
  let v: BigUint64Array = new BigUint64Array(n);
  for (let i = 0; i < n; i++) v[i] = w.party === 0 ? ~x[i]! : -x[i]!; // stores wrap mod 2^64
  let stage = 0;
  for (let k = 32n; k >= 1n; k >>= 1n, stage++) {
    const shifted = new BigUint64Array(n);
    for (let i = 0; i < n; i++) shifted[i] = v[i]! >> k;
    v = await andWords(w, key(stage), v, shifted, take(n));
  }
  for (let i = 0; i < n; i++) v[i] = v[i]! & 1n;
  return v;
}
