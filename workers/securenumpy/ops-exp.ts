// exp, sigmoid and softmax on secret float64 arrays: the ops built on expCore (exp by bit
// decomposition of x·log2(e)); shared machinery in math-core.ts.
//
// EXP (expCore). t = x·log2(e) = k + r. T = X·round(log2(e)·2^30) (exact, local) carries
// F = f + 30 fractional bits; party 0 adds K0·2^F with K0 = f + 1, so k' = ⌊t⌋ + K0 is the
// integer part. a2b(T) over the full ring (Z_2^64: 7 rounds, 12 AND words; Z_2^128: 8 rounds,
// 27 AND words, since T exceeds 2^64 there) gives r's top 24 bits (positions F−24…F−1),
// k' mod 2^κ (F…F+κ−1, κ = log2(ℓ/2): 5 in Z_2^64, 6 in Z_2^128) and the sign (bit ℓ−1: k' < 0,
// i.e. e^x < 2^-(f+1), saturates to 0). B2A of those 25 + κ bits (one round, bit products). 2^r =
// Π_j (2^(2^(j−24)))^(r_j): 24 factors 1 + r_j·(c_j − 1) with W bits, multiplied in a tree
// (5 levels, 2 rounds each, 23 products with truncation); 2^k' = Π_i (2^(2^i))^(k_i) · (1 − sign),
// exact integers below 2^(ℓ/2) in a tree of 3 levels run alongside. Finally 2^r·2^k' (below
// 2^(W+1+ℓ/2), inside the truncation's range) truncated by W + K0 − f (2 rounds). Per value:
// Z_2^64 20 rounds, 12 AND words, 29 triples, 24 truncations + 30 bit products; Z_2^128 21
// rounds, 27 AND words, 30 triples, 24 truncations + 31 bit products.
//   ERROR: |ê − e^x| ≤ 2^-22·e^x + u (tree rounding 23·2^-28, factor encoding 24·2^-29, r's
//   lost low bits ln 2·2^-24, then one truncation), in both rings.
//   DOMAIN: −2^(ℓ/2−1−f) < x < (ℓ/2 − 1 − f)·ln 2 (the input range below; above: 10.39 in
//   Z_2^64, 32.58 in Z_2^128 at f = 16, so e^x < 2^(ℓ/2−1−f)); below −(f + 1)·ln 2 the result is
//   0 (saturated, within u/2 of e^x). Above the domain the result is undefined (2^k' wraps mod
//   2^(ℓ/2)).
//
// SIGMOID. σ(x) = 1/(1 + e^−|x|) for x ≥ 0 and 1 − σ(|x|) for x < 0, selected by the secret sign:
// compare (7 rounds) and where (2 rounds) for |x|, expCore of −|x| (never overflows), then a
// reciprocal of v = (1 + e)/2 ∈ (1/2, 1] that needs no normalisation (Newton, 3 iterations, 13
// rounds), and a final where (1 round more: its B2A of the sign runs early). Per value in Z_2^64:
// 43 rounds, 24 AND words, 39 triples, 61 truncations and bit products (Z_2^128: 45 rounds, 54
// AND words, 40 triples, 62).
// ERROR: ≤ 2u + 2^-21 over the whole input range
// (exp's error through a derivative ≤ 1/4, Newton's 2^-25, one truncation; 1 − σ is exact).
//
// SOFTMAX: a composition (max along the axis from ops-order, exp, sum, reciprocal). Its bounds are
// in docs/securenumpy.md (Math).

import { sizeOf } from '../../shared/nd/shape.js';
import type { Ring } from '../../shared/rings.js';
import type { SecureArray } from './array.js';
import { type Axis, addConst, asFloat, elementwise, newtonRecip, Proto, scaled, W } from './math-core.js';
import { neg } from './ops-arith.js';
import { compare, where } from './ops-compare.js';
import { reciprocal } from './ops-math.js';
import { extreme } from './ops-order.js';
import * as reduce from './ops-reduce.js';
import { perGroup } from './ops-stats.js';
import { concat } from './protocols.js';
import { msbAndWords } from './protocols-bool.js';

// ---- exp -------------------------------------------------------------------------------------

const FRACTION_BITS = 24;
/** Bits of k' (k' mod 2^kBits): 5 in Z_2^64 (2^k' < 2^32), 6 in Z_2^128 (2^k' < 2^64). */
const kBits = (ring: Ring) => Math.log2(ring.bits / 2);

/** Bit j (0 ≤ j < ℓ) of each element of XOR-shared ℓ-bit values, ring.words words each (0n/1n). */
function bitAt(B: BigUint64Array, words: number, j: number): BigUint64Array {
  const word = Math.floor(j / 64);
  const at = BigInt(j % 64);
  return BigUint64Array.from({ length: B.length / words }, (_, i) => (B[words * i + word]! >> at) & 1n);
}

/** Shares of e^x with f fractional bits, for X = x·2^f (see the header). */
async function expCore(p: Proto, X: BigUint64Array, f: number): Promise<BigUint64Array> {
  const { ring } = p;
  const n = p.count(X);
  const F = f + 30;
  const K0 = f + 1;
  const kb = kBits(ring);
  const T = addConst(p, ring.mulScalar(X, scaled(Math.LOG2E, 30)), BigInt(K0) << BigInt(F));
  const B = await p.a2b(T);
  const parts: BigUint64Array[] = [];
  for (let j = 0; j < FRACTION_BITS; j++) parts.push(bitAt(B, ring.words, F - FRACTION_BITS + j));
  for (let i = 0; i < kb; i++) parts.push(bitAt(B, ring.words, F + i));
  parts.push(bitAt(B, ring.words, ring.bits - 1));
  const bits = await p.b2a(concat(parts));
  const span = n * ring.words;
  const at = (k: number) => bits.subarray(k * span, (k + 1) * span);
  const one = 1n << BigInt(W);
  let E: BigUint64Array[] = [];
  for (let j = 0; j < FRACTION_BITS; j++) {
    const cj = scaled(2 ** (2 ** (j - FRACTION_BITS)), W) - one;
    E.push(addConst(p, ring.mulScalar(at(j), cj), one));
  }
  let P: BigUint64Array[] = [];
  for (let i = 0; i < kb; i++)
    P.push(addConst(p, ring.mulScalar(at(FRACTION_BITS + i), (1n << (1n << BigInt(i))) - 1n), 1n));
  P.push(addConst(p, ring.neg(at(FRACTION_BITS + kb)), 1n));
  while (E.length > 1 || P.length > 1) {
    const he = Math.floor(E.length / 2);
    const hp = Math.floor(P.length / 2);
    const lefts = [...E.filter((_, k) => k % 2 === 0 && k < 2 * he), ...P.filter((_, k) => k % 2 === 0 && k < 2 * hp)];
    const rights = [...E.filter((_, k) => k % 2 === 1), ...P.filter((_, k) => k % 2 === 1)];
    const prod = await p.mul(concat(lefts), concat(rights));
    const eProd = he > 0 ? await p.trunc(prod.slice(0, he * span), W) : new BigUint64Array(0);
    const nextE: BigUint64Array[] = [];
    for (let k = 0; k < he; k++) nextE.push(eProd.slice(k * span, (k + 1) * span));
    if (E.length % 2 === 1) nextE.push(E[E.length - 1]!);
    const nextP: BigUint64Array[] = [];
    for (let k = 0; k < hp; k++) nextP.push(prod.slice((he + k) * span, (he + k + 1) * span));
    if (P.length % 2 === 1) nextP.push(P[P.length - 1]!);
    E = nextE;
    P = nextP;
  }
  return p.mulTrunc(E[0]!, P[0]!, W + K0 - f);
}

/** a2b's AND words per value (the full width); tree products (24 − 1 + kBits) and the last one; B2A's bit products with the truncations. */
const expNeeds = (ring: Ring) => ({
  andWords: msbAndWords(ring),
  triples: FRACTION_BITS - 1 + kBits(ring) + 1,
  truncations: FRACTION_BITS + FRACTION_BITS + kBits(ring) + 1,
});

/** e^x element-wise (float64 result). */
export function exp(x0: SecureArray): SecureArray {
  return elementwise(x0, expNeeds, expCore);
}

// ---- sigmoid -----------------------------------------------------------------------------------

/** 1/(1 + e) for e ∈ [0, 1] (float64): Newton on v = (1 + e)/2 ∈ [1/2, 1], no normalisation. */
function onePlusRecip(e: SecureArray): SecureArray {
  const s = e.session;
  const f = s.fracBits;
  const Wb = Math.max(W, f + 1);
  return s.derive({
    inputs: [e],
    dtype: 'float64',
    shape: ([sh]) => sh!,
    needs: (_, out) => ({ triples: 6 * sizeOf(out), truncations: 7 * sizeOf(out) }),
    run: async (c) => {
      const p = new Proto(c);
      const up = BigInt(Wb - f - 1);
      const V = addConst(p, p.ring.mulScalar(c.shares[0]!, 1n << up), 1n << BigInt(Wb - 1));
      const Y = await newtonRecip(p, V, Wb);
      const r = await p.trunc(Y, Wb - f + 1);
      p.done();
      return r;
    },
  });
}

/** The logistic function 1/(1 + e^−x), accurate over the whole input range. */
export function sigmoid(x0: SecureArray): SecureArray {
  const x = asFloat(x0);
  const s = x.session;
  const negative = compare(s, x, 0, 'lt');
  const a = where(s, negative, neg(x), x);
  const sa = onePlusRecip(exp(neg(a)));
  return where(s, negative, neg(sa).add(1), sa);
}

/** NumPy's softmax along `axis` (default −1): exp(x − max) / Σ exp(x − max). */
export function softmax(x0: SecureArray, axis: Axis = -1): SecureArray {
  const x = asFloat(x0);
  const m = extreme(x, axis, 'max', false);
  const e = exp(perGroup(x, m, axis, 'sub'));
  return perGroup(e, reciprocal(reduce.sum(e, axis as number | null | undefined)), axis, 'mul');
}
