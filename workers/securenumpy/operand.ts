// Operands of SecureArray operations: secret arrays of the same session or public data, the
// broadcasting of shares and public values to a result shape, copies, and the widening dtype
// casts of secret arrays (the narrowing ones need comparisons and live in ops-convert.ts).

import { ParleyError } from '../../shared/errors.js';
import { broadcastShapes, type Shape, sizeOf } from '../../shared/nd/shape.js';
import { broadcastPositions, gather } from '../../shared/nd/strided.js';
import { SecureArray } from './array.js';
import { bitsToArithmetic } from './protocols.js';
import { lowWords } from './protocols-bool.js';
import type { Session } from './session.js';
import { encodeValues, isPlainData, type Plain, type SecureDType, toPlain } from './values.js';

export type Operand = { kind: 'secret'; a: SecureArray } | { kind: 'public'; p: Plain };

export function operand(session: Session, v: unknown): Operand {
  if (v instanceof SecureArray) {
    if (v.session !== session) throw new ParleyError('ERR_BAD_REQUEST', 'cannot combine arrays of different sessions');
    return { kind: 'secret', a: v };
  }
  if (!isPlainData(v))
    throw new ParleyError(
      'ERR_BAD_INPUT',
      `expected a SecureArray, a number, a boolean, a nested array or an NDArray, got ${v === null ? 'null' : typeof v}`,
    );
  return { kind: 'public', p: toPlain(v) };
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** out[k] = element positions[k] of v, with `words` words per element (the ring's width). */
export function gatherElements(v: BigUint64Array, positions: Float64Array, words: number): BigUint64Array {
  if (words === 1) return gather(v, positions, (n) => new BigUint64Array(n));
  const out = new BigUint64Array(words * positions.length);
  for (let k = 0; k < positions.length; k++) {
    const p = words * positions[k]!;
    for (let j = 0; j < words; j++) out[words * k + j] = v[p + j]!;
  }
  return out;
}

/** dst's element positions[k] = src's element k, `words` words per element (in place). */
export function scatterElements(
  dst: BigUint64Array,
  positions: Float64Array,
  src: BigUint64Array,
  words: number,
): void {
  for (let k = 0; k < positions.length; k++) {
    const p = words * positions[k]!;
    for (let j = 0; j < words; j++) dst[p + j] = src[words * k + j]!;
  }
}

/**
 * The share (or encoded values) of shape `from` broadcast to `to`; elements are
 * v.length / size(from) words wide (one in Z_2^64, two in Z_2^128).
 */
export function broadcastTo(v: BigUint64Array, from: Shape, to: Shape): BigUint64Array {
  if (sameShape(from, to)) return v;
  const n = sizeOf(from);
  return gatherElements(v, broadcastPositions(from, to), n === 0 ? 1 : v.length / n);
}

export function outShape(shapes: Shape[]): number[] {
  return broadcastShapes(...shapes);
}

/**
 * Public values encoded now as `dtype` (so range errors throw at the call) with `frac`
 * fractional bits for float64; the result broadcasts them to an operation's output shape.
 */
export function publicEncoder(
  s: Session,
  p: Plain,
  dtype: SecureDType,
  bound = 2 ** (s.ring.bits - 2 - s.fracBits),
  frac = s.fracBits,
): (to: Shape) => BigUint64Array {
  const enc = encodeValues(p.values, dtype, frac, bound, s.ring);
  return (to) => broadcastTo(enc, p.shape, to);
}

/** Elements [off, off + n) of every array in a piece of correlated randomness (any kind). */
export function sliceMaterial<T>(m: T, off: number, n: number): T {
  if (m instanceof BigUint64Array) return m.subarray(off, off + n) as T;
  if (typeof m !== 'object' || m === null) return m;
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, sliceMaterial(v, off, n)])) as T;
}

/** Only party 0 holds public values in a sharing: its share is the value, the other's zero. */
export function publicShare(s: Session, encoded: BigUint64Array): BigUint64Array {
  return s.party === 0 ? encoded : new BigUint64Array(encoded.length);
}

/** A new array with the same values (a local copy of the share). */
export function copy(a: SecureArray): SecureArray {
  return a.session.derive({ inputs: [a], dtype: a.dtype, shape: ([x]) => x!, run: (c) => c.shares[0]!.slice() });
}

/** Whether `widen` converts `from` to `to`: bool → int64/float64, int64 → float64 (or none). */
export function widens(from: SecureDType, to: SecureDType): boolean {
  return from === to || from === 'bool' || (from === 'int64' && to === 'float64');
}

/**
 * The array as the wider `dtype`: int64 → float64 is local, bool → int64/float64 costs one
 * triple per element. Narrowing (float64 → int64, number → bool) is ops-convert.ts's cast.
 */
export function widen(a: SecureArray, dtype: SecureDType): SecureArray {
  if (a.dtype === dtype) return a;
  if (!widens(a.dtype, dtype)) {
    throw new ParleyError('ERR_INTERNAL', `${a.dtype} → ${dtype} narrows; use ops-convert.ts cast`);
  }
  const s = a.session;
  const scale = 1n << BigInt(s.fracBits);
  if (a.dtype === 'int64') {
    return s.derive({ inputs: [a], dtype, shape: ([x]) => x!, run: (c) => s.ring.mulScalar(c.shares[0]!, scale) });
  }
  return s.derive({
    inputs: [a],
    dtype,
    shape: ([x]) => x!,
    needs: (_, out) => ({ triples: out.reduce((p, d) => p * d, 1) }),
    run: async (c) => {
      const bits = lowWords(c.shares[0]!, s.ring.words);
      const v = await bitsToArithmetic(c.wire, c.key(0), bits, c.material!.triples);
      return dtype === 'float64' ? s.ring.mulScalar(v, scale) : v;
    },
  });
}
