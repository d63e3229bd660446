// astype, and the narrowing conversions it may need, which run comparison protocols: float64 →
// int64 (truncation toward zero, exact) and float64/int64 → bool (x != 0). The widening ones
// (bool → number, int64 → float64) are operand.ts's widen, which needs no comparison.
//
// TO BOOL. x != 0 is compare(x, 0, 'ne'): the zero test of ops-compare.ts (isZeroBits, 6 rounds,
// 6 AND words per value, 7 and 7 for float64 in Z_2^128; exact for every value).
//
// FLOAT64 → INT64 (NumPy's astype(int): truncation toward zero, -1.5 → -1, 1.5 → 1). The share
// X = x·2^f = X0 + X1 mod 2^ℓ (ℓ = 64 or 128), each X_P read as an unsigned ℓ-bit number. The
// answer is exact for every X (no range condition, no probabilistic error):
//   1. Kogge–Stone carries over X0 + X1 (carries in protocols-bool.ts, 7 rounds and 12 AND words
//      in Z_2^64, 8 and 27 in Z_2^128), the generate words G: G bit i is the carry out of bits
//      0..i. The XOR-shared bits of X are B = X0 ⊕ X1 ⊕ (G << 1); the sign is s = B bit ℓ−1; the
//      carry into bit f is c = G bit f−1; the carry out of the top bit is w = G bit ℓ−1.
//   2. floor(X/2^f) from the local shifts: X0 + X1 = Xu + 2^ℓ·w (Xu = X read unsigned), and
//      (X0 mod 2^f) + (X1 mod 2^f) = (Xu mod 2^f) + 2^f·c, so
//        floor(Xu/2^f) = (X0 >> f) + (X1 >> f) + c − 2^(ℓ−f)·w,
//      and with X = Xu − 2^ℓ·s, floor(X/2^f) = (X0 >> f) + (X1 >> f) + c − 2^(ℓ−f)·(w + s),
//      an identity between integers, hence exact mod 2^ℓ.
//   3. Toward zero: trunc(X/2^f) = floor(X/2^f) + t with t = s ∧ (L ≠ 0), L = the low f bits of
//      B. L ≠ 0 = NOT(AND of the NOT-ed low bits): the word A = ¬L on bits 0..f−1 and 1 above
//      (party 0 flips and sets, locally), AND-folded A &= A >> k for k = 1, 2, 4, … < f
//      (⌈log2 f⌉ rounds, 1 AND word each, on the low word: f ≤ 28); bit 0 is then [L = 0]. One
//      more AND gives t.
//   4. B2A of c, w, s, t (4 triples, one round); the result is the local sum of step 2 plus t.
// Per value: 9 + ⌈log2 f⌉ rounds (13 at f = 16), 13 + ⌈log2 f⌉ AND words (17), 4 triples; in
// Z_2^128 10 + ⌈log2 f⌉ rounds (14), 28 + ⌈log2 f⌉ AND words (32), 4 triples. Every
// message is a masked opening (AND words, Beaver), so nothing is revealed.

import { ParleyError } from '../../shared/errors.js';
import { sizeOf } from '../../shared/nd/shape.js';
import type { Ring } from '../../shared/rings.js';
import type { SecureArray } from './array.js';
import { copy, widen, widens } from './operand.js';
import { compare } from './ops-compare.js';
import { bitsToArithmetic, concat } from './protocols.js';
import { andSupply, andWords, carries, lowWords, msbAndWords, sumBits } from './protocols-bool.js';
import type { Session } from './session.js';
import type { SecureDType } from './values.js';

/** Rounds of the AND-fold over the low f bits: ⌈log2 f⌉. */
function foldRounds(f: number): number {
  let r = 0;
  for (let k = 1; k < f; k *= 2) r++;
  return r;
}

/** AND words per value of float64 → int64: the carries, the fold and one more. */
const toIntAndWords = (ring: Ring, f: number) => msbAndWords(ring) + foldRounds(f) + 1;
/** Triples per value of float64 → int64. */
const TO_INT_TRIPLES = 4;

/** The array as `dtype`, widening (operand.ts) or narrowing (below); the array itself if it is one. */
export function cast(a: SecureArray, dtype: SecureDType): SecureArray {
  if (widens(a.dtype, dtype)) return widen(a, dtype);
  if (dtype === 'bool') return toBool(a.session, a);
  if (a.dtype === 'float64' && dtype === 'int64') return floatToInt(a.session, a);
  throw new ParleyError('ERR_INTERNAL', `no conversion from ${a.dtype} to ${dtype}`);
}

/** NumPy's astype: always a new array. */
export function astype(a: SecureArray, dtype: unknown): SecureArray {
  if (dtype !== 'float64' && dtype !== 'int64' && dtype !== 'bool') {
    throw new ParleyError('ERR_DTYPE', `expected dtype 'float64', 'int64' or 'bool', got ${JSON.stringify(dtype)}`);
  }
  const out = cast(a, dtype);
  return out === a ? copy(a) : out;
}

/** x != 0 as a secret bool (float64 or int64 x). */
function toBool(s: Session, a: SecureArray): SecureArray {
  return compare(s, a, 0, 'ne');
}

/** float64 → int64, truncating toward zero like NumPy; exact (see the header). */
function floatToInt(s: Session, a: SecureArray): SecureArray {
  const f = s.fracBits;
  const F = BigInt(f);
  const low = (1n << F) - 1n;
  const high = ~low & 0xffffffffffffffffn;
  const { ring } = s;
  const W = ring.words;
  return s.derive({
    inputs: [a],
    dtype: 'int64',
    shape: ([x]) => x!,
    needs: (_, out) => ({
      andWords: toIntAndWords(ring, f) * sizeOf(out),
      triples: TO_INT_TRIPLES * sizeOf(out),
    }),
    run: async (c) => {
      const X = c.shares[0]!;
      const n = X.length / W;
      const p0 = s.party === 0;
      const supply = andSupply(c.material!.and);
      let stage = 0;
      const and = (u: BigUint64Array, v: BigUint64Array) => andWords(c.wire, c.key(stage++), u, v, supply(u.length));
      // 1. Kogge–Stone: G = carries out of each prefix, B = the bits of X.
      const G = await carries(W, p0, X, and);
      const B = sumBits(X, G, W);
      const topWord = (v: BigUint64Array) => v.filter((_, i) => i % W === W - 1).map((q) => q >> 63n);
      // 3. [L = 0] by an AND-fold of ¬L (1s above bit f−1, f ≤ 28: the low word), then t = s ∧ ¬[L = 0].
      let A: BigUint64Array = lowWords(B, W).map((b) => (p0 ? (~b & low) | high : b & low));
      for (let k = 1n; k < F; k <<= 1n)
        A = await and(
          A,
          A.map((q) => q >> k),
        );
      const sign = topWord(B);
      const t = await and(
        sign,
        A.map((q) => (q & 1n) ^ (p0 ? 1n : 0n)),
      );
      // 4. B2A of c, w, s, t.
      const cf = lowWords(G, W).map((g) => (g >> (F - 1n)) & 1n);
      const bits = concat([cf, topWord(G), sign, t.map((q) => q & 1n)]);
      const ar = await bitsToArithmetic(c.wire, c.key(stage++), bits, c.material!.triples);
      const part = (k: number) => ar.subarray(k * n * W, (k + 1) * n * W);
      // floor(X/2^f) + t = (X0 >> f) + (X1 >> f) + c − 2^(ℓ−f)·(w + s) + t.
      const top = 1n << (BigInt(ring.bits) - F);
      const wrap = ring.mulScalar(ring.add(part(1), part(2)), top);
      return ring.sub(ring.add(ring.shiftRightLogical(X, f), ring.add(part(0), part(3))), wrap);
    },
  });
}
