// Comparisons and selection on secret arrays, with NumPy broadcasting and promotion: lt le gt ge
// eq ne (secret bool results; no comparison bit is ever revealed), where, and relu abs sign
// maximum minimum clip built on them.
//
// lt(x, y) is the sign bit of d = x − y (msbBits in protocols-bool.ts: packed AND triples, a
// Kogge–Stone carry, after the local subtraction 7 rounds and 12 AND-triple words per element in
// Z_2^64, 8 and 27 in Z_2^128), correct while |x − y| < 2^(ℓ−1) in ring units: |x − y| <
// 2^(ℓ−1−f) for float64, which every pair of values in the documented ranges satisfies (in
// Z_2^128 every pair it holds). gt(x, y) = lt(y, x), ge = NOT lt, le = NOT gt (local). eq is the
// zero test of d (isZeroBits: 6 rounds and 6 AND-triple words, 7 and 7 in Z_2^128; exact for
// every value); int64 operands test only the low words in Z_2^128 (equality mod 2^64, NumPy's
// wrap), ne = NOT eq. Two bools compare without any of this: eq = NOT(x ⊕ y), lt = ¬x ∧ y.
// Results are bool shares: the bit in each element's low word.
//
// where(cond, a, b) = b + B2A(cond)·(a − b): the bool cond becomes a 0/1 int64 share (one
// triple at ring width, one round), then one Beaver product with a − b (one triple, one round; local when
// a − b is public). An int64 0/1 times a fixed-point value needs no truncation, so the result
// is exact. A public cond selects locally.

import { ParleyError } from '../../shared/errors.js';
import { sizeOf } from '../../shared/nd/shape.js';
import type { SecureArray } from './array.js';
import type { CompareOp } from './array-ops.js';
import { broadcastTo, copy, type Operand, operand, outShape, publicEncoder, publicShare, widen } from './operand.js';
import { logical, mul, neg, not, sub } from './ops-arith.js';
import { constantPlain } from './ops-reveal.js';
import { beaverMul } from './protocols.js';
import { boolShares, isZeroBits, lowWords, msbAndWords, msbBits, zeroAndWords } from './protocols-bool.js';
import type { Session } from './session.js';
import { type Plain, plainToNd, promote, type SecureDType } from './values.js';

const MIRROR: Record<CompareOp, CompareOp> = { lt: 'gt', gt: 'lt', le: 'ge', ge: 'le', eq: 'eq', ne: 'ne' };

const dtypeOf = (o: Operand): SecureDType => (o.kind === 'secret' ? o.a.dtype : o.p.dtype);
const asSecret = (s: Session, o: Operand, dtype: SecureDType = dtypeOf(o)): SecureArray =>
  o.kind === 'secret' ? widen(o.a, dtype) : constantPlain(s, o.p, dtype);
/** The operand as something ops-arith accepts again (a SecureArray, or the public value). */
const raw = (o: Operand): unknown => (o.kind === 'secret' ? o.a : plainToNd(o.p));

/** x <op> y element-wise, as a secret bool array. Either operand may be public; shapes broadcast. */
export function compare(s: Session, left: unknown, right: unknown, op: CompareOp): SecureArray {
  let a = operand(s, left);
  let b = operand(s, right);
  if (a.kind === 'public') {
    if (b.kind === 'public') a = { kind: 'secret', a: constantPlain(s, a.p, a.p.dtype) };
    else {
      [a, b] = [b, a];
      op = MIRROR[op];
    }
  }
  const x = (a as { kind: 'secret'; a: SecureArray }).a;
  if (x.dtype === 'bool' && dtypeOf(b) === 'bool') return compareBools(x, b, op);
  // NumPy compares in the promoted type; bools count as 0/1 integers.
  const num = (t: SecureDType): SecureDType => (t === 'bool' ? 'int64' : t);
  const dtype = promote(num(x.dtype), num(dtypeOf(b)));
  const y =
    b.kind === 'secret'
      ? widen(b.a, dtype)
      : plainToNd(
          b.p.dtype === 'bool'
            ? { ...b.p, dtype: 'int64', values: b.p.values.map((v) => (v === true || Number(v) !== 0 ? 1 : 0)) }
            : b.p,
        );
  const d = sub(widen(x, dtype), y);
  const negate = op === 'gt' || op === 'le';
  const flip = op === 'ge' || op === 'le' || op === 'ne';
  const zero = op === 'eq' || op === 'ne';
  // int64 values are equal when they agree mod 2^64 (NumPy's wrap): in Z_2^128, test the low words.
  const zw = dtype === 'int64' ? 1 : s.ring.words;
  return s.derive({
    inputs: [d],
    dtype: 'bool',
    shape: ([sh]) => sh!,
    needs: (_, out) => ({ andWords: (zero ? zeroAndWords({ words: zw }) : msbAndWords(s.ring)) * sizeOf(out) }),
    run: async (c) => {
      const v = c.shares[0]!;
      const bits = zero
        ? await isZeroBits(c.wire, c.key, lowWords(v, s.ring.words / zw), c.material!.and, zw)
        : await msbBits(c.wire, c.key, negate ? s.ring.neg(v) : v, c.material!.and);
      if (flip && s.party === 0) for (let i = 0; i < bits.length; i++) bits[i] = bits[i]! ^ 1n;
      return boolShares(bits, s.ring.words);
    },
  });
}

/** Bools: eq = NOT(x ⊕ y), ne = x ⊕ y, lt = ¬x ∧ y, gt = x ∧ ¬y, le = NOT gt, ge = NOT lt. */
function compareBools(x: SecureArray, b: Operand, op: CompareOp): SecureArray {
  const y = raw(b);
  const notY = (): unknown =>
    b.kind === 'secret'
      ? not(b.a)
      : plainToNd({ ...b.p, values: b.p.values.map((v) => !(v === true || Number(v) !== 0)) });
  switch (op) {
    case 'eq':
      return not(logical(x, y, 'xor'));
    case 'ne':
      return logical(x, y, 'xor');
    case 'lt':
      return logical(not(x), y, 'and');
    case 'ge':
      return not(logical(not(x), y, 'and'));
    case 'gt':
      return logical(x, notY(), 'and');
    case 'le':
      return not(logical(x, notY(), 'and'));
  }
  throw new ParleyError('ERR_INTERNAL', `unknown comparison ${String(op)}`);
}

/** NumPy's where(cond, a, b): a where cond is true, b elsewhere; cond must be bool. */
export function where(s: Session, condArg: unknown, aArg: unknown, bArg: unknown): SecureArray {
  const cond = operand(s, condArg);
  const A = operand(s, aArg);
  const B = operand(s, bArg);
  if (dtypeOf(cond) !== 'bool')
    throw new ParleyError(
      'ERR_DTYPE',
      `where needs a bool condition, got ${dtypeOf(cond)}; compare first (e.g. x.gt(0))`,
    );
  const dtype = promote(dtypeOf(A), dtypeOf(B));
  if (dtype === 'bool') {
    // b ⊕ (cond ∧ (a ⊕ b)), with the condition and a as secret arrays (constants if public).
    const c = asSecret(s, cond);
    const diff = logical(asSecret(s, A), raw(B), 'xor');
    return logical(logical(c, diff, 'and'), raw(B), 'xor');
  }
  const pieces = [A, B].map((o) =>
    o.kind === 'secret' ? { secret: widen(o.a, dtype) } : { plain: o.p, enc: publicEncoder(s, o.p, dtype) },
  );
  const secrets = pieces.flatMap((p) => (p.secret ? [p.secret] : []));
  const shapeOf = (p: (typeof pieces)[number], shapes: number[][], k: { i: number }): number[] =>
    p.secret ? shapes[k.i++]! : p.plain!.shape;
  /** The shares of a and b at the output shape (public ones held by party 0). */
  const sharesOf = (shares: BigUint64Array[], shapes: number[][], out: number[]): BigUint64Array[] => {
    const k = { i: 0 };
    return pieces.map((p) => {
      if (p.secret) {
        const j = k.i++;
        return broadcastTo(shares[j]!, shapes[j]!, out);
      }
      return publicShare(s, p.enc!(out));
    });
  };
  if (cond.kind === 'public') {
    const bits = publicEncoder(s, cond.p, 'bool');
    if (secrets.length === 0) return where(s, constantPlain(s, cond.p, 'bool'), aArg, bArg);
    return s.derive({
      inputs: secrets,
      dtype,
      shape: (sh) => {
        const k = { i: 0 };
        return outShape([cond.p.shape, ...pieces.map((p) => shapeOf(p, sh, k))]);
      },
      run: (c) => {
        const [as, bs] = sharesOf(c.shares, c.shapes, c.out) as [BigUint64Array, BigUint64Array];
        const sel = bits(c.out); // a bool per element, in its low word
        const W = s.ring.words;
        return as.map((v, i) => (sel[i - (i % W)] === 1n ? v : bs[i]!));
      },
    });
  }
  const c01 = widen(cond.a, 'int64'); // one triple per element of cond, one round
  const secretDiff = secrets.length > 0;
  return s.derive({
    inputs: [c01, ...secrets],
    dtype,
    shape: ([cs, ...sh]) => {
      const k = { i: 0 };
      return outShape([cs!, ...pieces.map((p) => shapeOf(p, sh, k))]);
    },
    needs: (_, out) => ({ triples: secretDiff ? sizeOf(out) : 0 }),
    run: async (c) => {
      const cb = broadcastTo(c.shares[0]!, c.shapes[0]!, c.out);
      const [as, bs] = sharesOf(c.shares.slice(1), c.shapes.slice(1), c.out) as [BigUint64Array, BigUint64Array];
      const { ring } = s;
      // With a and b both public, both parties scale their share of cond by the whole a − b.
      const prod = secretDiff
        ? await beaverMul(c.wire, c.key(0), cb, ring.sub(as, bs), c.material!.triples)
        : ring.mul(cb, publicDiff(s, pieces, c.out));
      return ring.add(prod, bs);
    },
  });
}

/** a − b for public a and b, encoded, at both parties. */
function publicDiff(s: Session, pieces: { enc?: (to: number[]) => BigUint64Array }[], out: number[]): BigUint64Array {
  return s.ring.sub(pieces[0]!.enc!(out), pieces[1]!.enc!(out));
}

const isNone = (v: unknown) => v === null || v === undefined;

/** max(x, 0). */
export function relu(s: Session, x: SecureArray): SecureArray {
  return where(s, compare(s, x, 0, 'gt'), x, 0);
}

/** |x| (a bool array is returned as a copy, like NumPy). */
export function abs(s: Session, x: SecureArray): SecureArray {
  if (x.dtype === 'bool') return copy(x);
  return where(s, compare(s, x, 0, 'lt'), neg(x), x);
}

/** −1, 0 or 1 in x's dtype: 1 − 2·[x < 0] − [x = 0] (the two tests run side by side). */
export function sign(s: Session, x: SecureArray): SecureArray {
  if (x.dtype === 'bool') throw new ParleyError('ERR_DTYPE', 'numpy sign is not defined for bool');
  const negative = widen(compare(s, x, 0, 'lt'), x.dtype);
  const zero = widen(compare(s, x, 0, 'eq'), x.dtype);
  return sub(mul(negative, -2), zero).add(1);
}

export function maximum(s: Session, a: unknown, b: unknown): SecureArray {
  return where(s, compare(s, a, b, 'gt'), a, b);
}

export function minimum(s: Session, a: unknown, b: unknown): SecureArray {
  return where(s, compare(s, a, b, 'lt'), a, b);
}

/**
 * NumPy's clip: minimum(maximum(x, lo), hi), either bound may be null. With public bounds and
 * lo ≤ hi everywhere, both comparisons run side by side: where(x > hi, hi, where(x < lo, lo, x)).
 */
export function clip(s: Session, x: unknown, lo: unknown, hi: unknown): SecureArray {
  if (isNone(lo) && isNone(hi)) throw new ParleyError('ERR_BAD_INPUT', 'clip needs lo or hi (or both)');
  if (isNone(hi)) return maximum(s, x, lo);
  if (isNone(lo)) return minimum(s, x, hi);
  const l = operand(s, lo);
  const h = operand(s, hi);
  if (l.kind === 'public' && h.kind === 'public' && orderedBounds(l.p, h.p)) {
    const above = compare(s, x, hi, 'gt');
    const below = compare(s, x, lo, 'lt');
    return where(s, above, hi, where(s, below, lo, x));
  }
  return minimum(s, maximum(s, x, lo), hi);
}

/** Whether every lo ≤ every hi (a sufficient test for lo ≤ hi after broadcasting). */
function orderedBounds(lo: Plain, hi: Plain): boolean {
  const top = lo.values.reduce((m: number, v) => Math.max(m, Number(v)), -Infinity);
  const bottom = hi.values.reduce((m: number, v) => Math.min(m, Number(v)), Infinity);
  return top <= bottom;
}
