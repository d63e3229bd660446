// Reciprocal, division by a secret, sqrt and log on secret float64 arrays: the ops that normalise
// their input by its leading bit (machinery in math-core.ts). No message reveals anything.
// Written once over the session's ring: ℓ = 64 or 128 bits, H = ℓ/2 (32 or 64) the normalisation
// width; |D| < 2^(H−1) ring units is the domain (the input range), so in Z_2^128 the low words
// carry D (see math-core.ts).
//
// RECIPROCAL (recipCore; reciprocal, div). D = d·2^f, |D| < 2^(H−1).
//   1. a2b(D mod 2^64): the sign s is bit 63. w = ((D ⊕ s·1…1) << 1) | 1, limited to H bits,
//      equals 2|D| + 1 for d ≥ 0 and 2|D| − 1 for d < 0 (the XOR with the sign is |D| − 1 there).
//      Its leading bit m (0 ≤ m < H) satisfies 2^(m−1) ≤ |D| ≤ 2^m, so v = |D|/2^m ∈ [1/2, 1].
//   2. Prefix OR towards bit 0 (y |= y >> k for k = 1, 2, 4, …, H/2; OR = NOT AND of NOTs:
//      log2 H rounds and AND words), then the one-hot leading bit e = y ⊕ (y >> 1), locally.
//   3. B2A of the H bits of e and of s (H + 1 bit products, one round: math-core.ts); the secret scale
//      c = Σ e_m·2^(H−m) is a sum of public powers selected by secret bits (local), σ = 1 − 2s.
//   4. cσ and |D| = D·σ (one Beaver round, 2 triples), V = |D|·c = v·2^H (exact, one round),
//      truncated by H − W to v with W bits (one round).
//   5. Newton–Raphson from y0 = 2.9142 − 2v (|1 − v·y0| ≤ 0.0858 on [1/2, 1]): y ← y·(2 − v·y),
//      3 iterations (0.0858^8 < 2^-28), 2 products with truncation each (4 rounds).
//   6. 1/d = σ·y·2^(2f−m)/2^f: the product Y·cσ truncated by W + H − 2f − e gives 1/d with f + e
//      fractional bits (2 rounds). reciprocal: e = 0. div: e = Q − f with Q = 31 (Z_2^64) or 62
//      (Z_2^128), then x·(1/d) truncated by Q (2 rounds), so the rounding of 1/d costs only
//      |x|·2^-Q; x·(1/d) = (x/d)·2^(f+Q) stays below the truncation's range 2^(ℓ−2).
//   Per value: 30 rounds (div 32) in Z_2^64, one more in Z_2^128; AND words 12 + log2 H (17, 18),
//   10 triples, 8 truncations + H + 1 bit products (41, 73) (div: +1 triple and +1 truncation per
//   output).
//   ERROR: relative error of y ≤ 6·2^-28 < 2^-25 (Newton 2^-28, v's truncation 2^-27, 3·2^-28 of
//   rounding in the last iteration). reciprocal: |r − 1/d| ≤ 2^-24·|1/d| + u.
//   div: |q − x/d| ≤ 2^-24·|x/d| + |x|·2^-Q + u.
//   DOMAIN: 2^-f ≤ |d| < 2^(H−1−f) (every nonzero input); div also needs |x/d| < 2^(H−1−f).
//   d = 0 (NumPy: inf) is outside the domain: the result is undefined (the computation runs,
//   nothing fails or leaks, the value is garbage).
//
// SQRT. The reciprocal's normalisation for x ≥ 0 (one-hot leading bit m ≤ H − 2 of X, no sign),
// with an even exponent: Z = X·2^f, 2j ≥ m + f + 1, v = Z/2^(2j) ∈ [1/4, 1), scales
// c = 2^(f+H−2j) and 2^j selected by the one-hot bits. Inverse-square-root Newton
// y ← y·(3 − v·y²)/2 from y0 = 2.027 − v (relative error ≤ 0.112), 4 iterations (3 products each,
// 6 rounds), then sqrt(v) = v·y and sqrt(x)·2^f = sqrt(v)·2^j. Per value: 43 rounds (44 in
// Z_2^128), 12 + log2 H AND words, 15 triples, 15 truncations + H − 1 bit products. x = 0 gives exactly 0 (no
// leading bit: both scales are 0).
// ERROR: |ŝ − √x| ≤ 2^-22·√x + u. DOMAIN: 0 ≤ x < 2^(H−1−f); x < 0 gives garbage.
//
// LOG. The same normalisation (x > 0): v = X/2^(m+1) ∈ [1/2, 1), ln x = ln v + (m + 1 − f)·ln 2,
// the second term a sum of public constants selected by the one-hot bits (local). ln v is a degree-9
// polynomial in t = 4v − 3 ∈ [−1, 1) (Chebyshev interpolation, error 6.1e-9), by Horner with W
// bits (17 rounds). Per value: 33 rounds (34 in Z_2^128), 12 + log2 H AND words, 9 triples,
// 11 truncations + H − 1 bit products. ERROR: |l̂ − ln x| ≤ 2^-23 + u. DOMAIN: 2^-f ≤ x < 2^(H−1−f); x ≤ 0 gives an
// undefined value.

import { sizeOf } from '../../shared/nd/shape.js';
import type { Ring } from '../../shared/rings.js';
import type { SecureArray } from './array.js';
import {
  addConst,
  asFloat,
  bitOf,
  elementwise,
  halfBits,
  lowBits,
  newtonRecip,
  Proto,
  scaled,
  selectSum,
  W,
} from './math-core.js';
import { broadcastTo, outShape } from './operand.js';
import { concat } from './protocols.js';

/** AND words per value of the normalisation: a2b (12) and the leading one (log2 H). */
const normAnd = (ring: Ring) => 12 + Math.log2(halfBits(ring));

/**
 * The one-hot leading bit of w (XOR-shared H-bit words) as H arithmetic 0/1 shares (`count` of
 * them, from bit 0), with `extra` more XOR-shared bits after them (one B2A round).
 */
async function oneHot(p: Proto, w: BigUint64Array, count: number, extra: BigUint64Array[] = []) {
  const e = await p.leadingOne(w, halfBits(p.ring));
  return p.b2a(concat([lowBits(e, count), ...extra]));
}

// ---- reciprocal ----------------------------------------------------------------------------

/** B2A of the H one-hot bits and the sign takes H + 1 bit products (counted with the truncations). */
const recipNeeds = (ring: Ring) => ({ andWords: normAnd(ring), triples: 10, truncations: 8 + halfBits(ring) + 1 });
/** div's fractional bits of 1/d beyond f + (its e = Q − f): x·(1/d) = (x/d)·2^(f+Q) < 2^(ℓ−2). */
const divBits = (ring: Ring) => (ring.bits === 64 ? 31 : 62);

/** Shares of 1/d with f + e fractional bits, for D = d·2^f (see the header). */
async function recipCore(p: Proto, D: BigUint64Array, f: number, e: number): Promise<BigUint64Array> {
  const H = halfBits(p.ring);
  const n = p.count(D);
  const words = p.ring.words;
  const B = await p.a2b(D, 'low');
  const mask = (1n << BigInt(H)) - 1n;
  const w = new BigUint64Array(n);
  for (let i = 0; i < n; i++) {
    const sm = B[i]! >> 63n ? ~0n : 0n;
    w[i] = (((B[i]! ^ sm) << 1n) & mask) | (p.p0 ? 1n : 0n);
  }
  const arith = await oneHot(p, w, H, [bitOf(B, 63)]);
  const c = selectSum(p, arith.subarray(0, H * n * words), H, (m) => 1n << BigInt(H - m));
  const sigma = addConst(p, p.ring.mulScalar(arith.subarray(H * n * words), -2n), 1n);
  const both = await p.mul(concat([c, D]), concat([sigma, sigma]));
  const cs = both.slice(0, n * words);
  const absD = both.slice(n * words);
  const V = await p.trunc(await p.mul(absD, c), H - W);
  const Y = await newtonRecip(p, V, W);
  return p.mulTrunc(Y, cs, W + H - 2 * f - e);
}

/** 1/x element-wise (float64; int64 and bool are promoted first). */
export function reciprocal(x0: SecureArray): SecureArray {
  return elementwise(x0, recipNeeds, (p, X, f) => recipCore(p, X, f, 0));
}

/** True division x / d by a secret d (NumPy's true_divide: float64 result), shapes broadcast. */
export function divide(x0: SecureArray, d0: SecureArray): SecureArray {
  const x = asFloat(x0);
  const d = asFloat(d0);
  const s = x.session;
  const f = s.fracBits;
  const per = recipNeeds(s.ring);
  const Q = divBits(s.ring);
  return s.derive({
    inputs: [x, d],
    dtype: 'float64',
    shape: (sh) => outShape(sh),
    needs: ([, ds], out) => {
      const n = sizeOf(ds!);
      const m = sizeOf(out);
      return { andWords: per.andWords * n, triples: per.triples * n + m, truncations: per.truncations * n + m };
    },
    run: async (c) => {
      const p = new Proto(c);
      const r = await recipCore(p, c.shares[1]!, f, Q - f);
      const q = await p.mulTrunc(
        broadcastTo(c.shares[0]!, c.shapes[0]!, c.out),
        broadcastTo(r, c.shapes[1]!, c.out),
        Q,
      );
      p.done();
      return q;
    },
  });
}

// ---- sqrt ----------------------------------------------------------------------------------------

/** 1/√v ≈ SQRT_Y0 − v on [1/4, 1] (relative error ≤ 0.112; 4 iterations take it below 2^-40). */
const SQRT_Y0 = 2.027;
const SQRT_ITERS = 4;

/** Shares of √x with f fractional bits, for X = x·2^f ≥ 0. */
async function sqrtCore(p: Proto, X: BigUint64Array, f: number): Promise<BigUint64Array> {
  const H = halfBits(p.ring);
  const B = await p.a2b(X, 'low');
  const arith = await oneHot(p, B, H - 1);
  const j = (m: number) => Math.ceil((m + f + 1) / 2);
  const c = selectSum(p, arith, H - 1, (m) => 1n << BigInt(f + H - 2 * j(m)));
  const d = selectSum(p, arith, H - 1, (m) => 1n << BigInt(j(m)));
  const V = await p.trunc(await p.mul(X, c), H - W);
  let Y = addConst(p, p.ring.neg(V), scaled(SQRT_Y0, W));
  const three = 3n << BigInt(W);
  for (let it = 0; it < SQRT_ITERS; it++) {
    const y2 = await p.mulTrunc(Y, Y, W);
    const vy2 = await p.mulTrunc(V, y2, W);
    const u = addConst(p, p.ring.neg(vy2), three);
    Y = await p.mulTrunc(Y, u, W + 1);
  }
  const S = await p.mulTrunc(V, Y, W);
  return p.mulTrunc(S, d, W);
}

const sqrtNeeds = (ring: Ring) => ({
  andWords: normAnd(ring),
  triples: 1 + 3 * SQRT_ITERS + 2,
  truncations: halfBits(ring) - 1 + 1 + 3 * SQRT_ITERS + 2,
});

/** √x element-wise for x ≥ 0 (float64 result). */
export function sqrt(x0: SecureArray): SecureArray {
  return elementwise(x0, sqrtNeeds, sqrtCore);
}

// ---- log -------------------------------------------------------------------------------------

/** ln(0.75 + t/4) on [−1, 1] as Σ LOG_POLY[i]·t^i (Chebyshev interpolation, degree 9, error 6.1e-9 < 2^-27). */
const LOG_POLY = [
  -0.28768207666117246, 0.3333333346136256, -0.05555534547843792, 0.012345615118810183, -0.0030880839249061154,
  0.000823551342033868, -0.00022406427021763877, 0.00006393497450094543, -0.00002401530176214806,
  0.000007152816629485415,
];

/** Shares of ln x with f fractional bits, for X = x·2^f > 0. */
async function logCore(p: Proto, X: BigUint64Array, f: number, poly: readonly number[]): Promise<BigUint64Array> {
  const H = halfBits(p.ring);
  const B = await p.a2b(X, 'low');
  const arith = await oneHot(p, B, H - 1);
  const c = selectSum(p, arith, H - 1, (m) => 1n << BigInt(H - 1 - m));
  const K = selectSum(p, arith, H - 1, (m) => scaled((m + 1 - f) * Math.LN2, W));
  // v = X/2^(m+1) ∈ [1/2, 1) with W bits; t = 4v − 3 ∈ [−1, 1).
  const V = await p.trunc(await p.mul(X, c), H - W);
  const T = addConst(p, p.ring.mulScalar(V, 4n), -(3n << BigInt(W)));
  const deg = poly.length - 1;
  let Y = addConst(p, await p.trunc(p.ring.mulScalar(T, scaled(poly[deg]!, W)), W), scaled(poly[deg - 1]!, W));
  for (let i = deg - 2; i >= 0; i--) Y = addConst(p, await p.mulTrunc(Y, T, W), scaled(poly[i]!, W));
  const sum = p.ring.add(Y, K);
  return W > f ? p.trunc(sum, W - f) : sum;
}

/** ln x element-wise for x > 0 (float64 result). */
export function log(x0: SecureArray): SecureArray {
  const deg = LOG_POLY.length - 1;
  const f = x0.session.fracBits;
  const needs = (ring: Ring) => ({
    andWords: normAnd(ring),
    triples: 1 + (deg - 1),
    truncations: halfBits(ring) - 1 + 1 + deg + (W > f ? 1 : 0),
  });
  return elementwise(x0, needs, (p, X) => logCore(p, X, f, LOG_POLY));
}
