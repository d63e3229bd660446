// Operands of SecureArray operations: secret arrays of the same session or public data, the
// broadcasting of shares and public values to a result shape, and dtype casts of secret arrays.

import { ParleyError } from '../../shared/errors.js';
import { broadcastShapes, type Shape } from '../../shared/nd/shape.js';
import { broadcastPositions, gather } from '../../shared/nd/strided.js';
import { SecureArray } from './array.js';
import { floatToInt, toBool } from './ops-convert.js';
import { bitsToArithmetic } from './protocols.js';
import { mulScalar } from '../../shared/ring.js';
import type { Session } from './session.js';
import { type DType, encodeValues, isPlainData, type Plain, toPlain } from './values.js';

export type Operand = { kind: 'secret'; a: SecureArray } | { kind: 'public'; p: Plain };

export function operand(session: Session, v: unknown): Operand {
  if (v instanceof SecureArray) {
    if (v.session !== session) throw new ParleyError('ERR_BAD_REQUEST', 'cannot combine arrays of different sessions');
    return { kind: 'secret', a: v };
  }
  if (!isPlainData(v)) throw new ParleyError('ERR_BAD_INPUT', `expected a SecureArray, a number, a boolean, a nested array or an NDArray, got ${v === null ? 'null' : typeof v}`);
  return { kind: 'public', p: toPlain(v) };
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The share (or encoded values) of shape `from` broadcast to `to`. */
export function broadcastTo(v: BigUint64Array, from: Shape, to: Shape): BigUint64Array {
  if (sameShape(from, to)) return v;
  return gather(v, broadcastPositions(from, to), (n) => new BigUint64Array(n));
}

export function outShape(shapes: Shape[]): number[] {
  return broadcastShapes(...shapes);
}

/**
 * Public values encoded now as `dtype` (so range errors throw at the call) with `frac`
 * fractional bits for float64; the result broadcasts them to an operation's output shape.
 */
export function publicEncoder(s: Session, p: Plain, dtype: DType, bound = 2 ** (62 - s.fracBits), frac = s.fracBits): (to: Shape) => BigUint64Array {
  const enc = encodeValues(p.values, dtype, frac, bound);
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

/**
 * The array as `dtype` (bool → int64/float64 costs one triple per element; int64 → float64 is local;
 * float64 → int64 and number → bool run the protocols of ops-convert.ts).
 */
export function cast(a: SecureArray, dtype: DType): SecureArray {
  if (a.dtype === dtype) return a;
  const s = a.session;
  const scale = 1n << BigInt(s.fracBits);
  if (a.dtype === 'int64' && dtype === 'float64') {
    return s.derive({ inputs: [a], dtype, shape: ([x]) => x!, run: (c) => mulScalar(c.shares[0]!, scale) });
  }
  if (a.dtype === 'bool') {
    return s.derive({
      inputs: [a],
      dtype,
      shape: ([x]) => x!,
      needs: (_, out) => ({ triples: out.reduce((p, d) => p * d, 1) }),
      run: async (c) => {
        const v = await bitsToArithmetic(c.wire, c.key(0), c.shares[0]!, c.material!.triples);
        return dtype === 'float64' ? mulScalar(v, scale) : v;
      },
    });
  }
  // float64 → int64 truncates toward zero, number → bool is x != 0 (ops-convert.ts).
  if (dtype === 'bool') return toBool(s, a);
  if (a.dtype === 'float64' && dtype === 'int64') return floatToInt(s, a);
  throw new ParleyError('ERR_INTERNAL', `no conversion from ${a.dtype} to ${dtype}`);
}
