// Element-wise arithmetic and logic on secret arrays with NumPy broadcasting and dtype rules:
// add/sub (local), products (Beaver triples, then truncation when both sides are fixed point),
// division by a public value, negation, AND/OR/XOR/NOT of bools (astype is ops-convert.ts).

import { ParleyError } from '../../shared/errors.js';
import { sizeOf } from '../../shared/nd/shape.js';
import type { Ring } from '../../shared/rings.js';
import type { SecureArray } from './array.js';
import type { LogicalOp } from './array-ops.js';
import { broadcastTo, operand, outShape, publicEncoder, publicShare, widen } from './operand.js';
import { andBits, beaverMul, truncate } from './protocols.js';
import { boolShares, lowWords } from './protocols-bool.js';
import type { Session } from './session.js';
import { inputBound, type Plain, promote, type SecureDType } from './values.js';

type Lin = 'add' | 'sub';

function linear(a: SecureArray, other: unknown, op: Lin): SecureArray {
  const s = a.session;
  const b = operand(s, other);
  const bt: SecureDType = b.kind === 'secret' ? b.a.dtype : b.p.dtype;
  if (a.dtype === 'bool' && bt === 'bool') {
    if (op === 'sub')
      throw new ParleyError('ERR_DTYPE', 'numpy boolean subtract is not supported; use xor or astype first');
    return logical(a, other, 'or');
  }
  const dtype = promote(a.dtype, bt);
  const x = widen(a, dtype);
  const f = op === 'add' ? s.ring.add : s.ring.sub;
  if (b.kind === 'public') {
    const enc = publicEncoder(s, b.p, dtype);
    return s.derive({
      inputs: [x],
      dtype,
      shape: ([xs]) => outShape([xs!, b.p.shape]),
      run: (c) => f(broadcastTo(c.shares[0]!, c.shapes[0]!, c.out), publicShare(s, enc(c.out))),
    });
  }
  const y = widen(b.a, dtype);
  return s.derive({
    inputs: [x, y],
    dtype,
    shape: (sh) => outShape(sh),
    run: (c) => f(broadcastTo(c.shares[0]!, c.shapes[0]!, c.out), broadcastTo(c.shares[1]!, c.shapes[1]!, c.out)),
  });
}

export const add = (a: SecureArray, o: unknown) => linear(a, o, 'add');
export const sub = (a: SecureArray, o: unknown) => linear(a, o, 'sub');

export function neg(a: SecureArray): SecureArray {
  if (a.dtype === 'bool') throw new ParleyError('ERR_DTYPE', 'numpy boolean negative is not supported; use not');
  return a.session.derive({
    inputs: [a],
    dtype: a.dtype,
    shape: ([x]) => x!,
    run: (c) => a.session.ring.neg(c.shares[0]!),
  });
}

/**
 * Fractional bits for public factors up to maxAbs: as many as keep |x·p| below 2^62, at most 2f.
 * The wide ring's inputs reach 2^63 units, so it keeps |p|·2^frac below 2^62 (|x·p| < 2^125)
 * with up to 62 bits: the rounding of p then adds |x|·2^-63, far below one unit.
 */
function factorBits(maxAbs: number, f: number, ring: Ring): number {
  if (ring.bits === 128) {
    let wide = 62;
    while (wide > f && maxAbs * 2 ** wide >= 2 ** 62) wide--;
    return wide;
  }
  let frac = 2 * f;
  while (frac > f && maxAbs * 2 ** frac >= 2 ** 31) frac--;
  return frac;
}

/**
 * Secret × public. Whole-number multipliers are exact. Fractions get as many fractional bits as
 * keep the product below 2^62 for every input in range (2f for |p| < 2^(31−2f), e.g. 1/1000; f
 * at the top of the range), and the product is truncated once by the excess: the error stays
 * within one unit in the last place plus |x|·2^-(frac+1) from rounding p.
 */
function mulPublic(a: SecureArray, p: Plain): SecureArray {
  const s = a.session;
  const f = s.fracBits;
  const x = a.dtype === 'bool' ? widen(a, 'int64') : a;
  const whole = p.dtype !== 'float64' || p.values.every((v) => Number.isInteger(Number(v)));
  const dtype: SecureDType = promote(x.dtype, p.dtype);
  const maxAbs = p.values.reduce((m: number, v) => Math.max(m, Math.abs(Number(v))), 0);
  const frac = whole ? 0 : factorBits(maxAbs, f, s.ring);
  const enc = publicEncoder(s, p, whole ? 'int64' : 'float64', inputBound(f, s.ring), frac);
  // The product carries fx + frac fractional bits; a float64 result keeps f of them.
  const fx = x.dtype === 'float64' ? f : 0;
  const shift = whole ? 0 : fx + frac - f;
  return s.derive({
    inputs: [x],
    dtype,
    shape: ([xs]) => outShape([xs!, p.shape]),
    needs: shift > 0 ? (_, out) => ({ truncations: sizeOf(out) }) : undefined,
    run: async (c) => {
      const prod = s.ring.mul(broadcastTo(c.shares[0]!, c.shapes[0]!, c.out), enc(c.out));
      return shift > 0 ? truncate(c.wire, c.key(0), prod, shift, c.material!.trunc) : prod;
    },
  });
}

export function mul(a: SecureArray, other: unknown): SecureArray {
  const s = a.session;
  const b = operand(s, other);
  if (b.kind === 'public') {
    if (a.dtype === 'bool' && b.p.dtype === 'bool') return logical(a, other, 'and');
    return mulPublic(a, b.p);
  }
  if (a.dtype === 'bool' && b.a.dtype === 'bool') return logical(a, other, 'and');
  // bool becomes int64 (exact); int64 × float64 carries f fractional bits without truncation.
  const x = a.dtype === 'bool' ? widen(a, 'int64') : a;
  const y = b.a.dtype === 'bool' ? widen(b.a, 'int64') : b.a;
  const dtype = promote(x.dtype, y.dtype);
  const truncates = x.dtype === 'float64' && y.dtype === 'float64';
  return secretProduct(s, x, y, dtype, truncates);
}

function secretProduct(
  s: Session,
  x: SecureArray,
  y: SecureArray,
  dtype: SecureDType,
  truncates: boolean,
): SecureArray {
  return s.derive({
    inputs: [x, y],
    dtype,
    shape: (sh) => outShape(sh),
    needs: (_, out) => ({ triples: sizeOf(out), truncations: truncates ? sizeOf(out) : 0 }),
    run: async (c) => {
      const xs = broadcastTo(c.shares[0]!, c.shapes[0]!, c.out);
      const ys = broadcastTo(c.shares[1]!, c.shapes[1]!, c.out);
      const prod = await beaverMul(c.wire, c.key(0), xs, ys, c.material!.triples);
      return truncates ? truncate(c.wire, c.key(1), prod, s.fracBits, c.material!.trunc) : prod;
    },
  });
}

/** x·x (one triple per element; the same as mul(x, x)). */
export function square(a: SecureArray): SecureArray {
  return mul(a, a);
}

/** True division by a public value (ops-math.ts divide takes secret divisors; array-ops dispatches). */
export function div(a: SecureArray, other: unknown): SecureArray {
  const s = a.session;
  const b = operand(s, other);
  if (b.kind === 'secret') throw new ParleyError('ERR_INTERNAL', 'a secret divisor goes to ops-math.ts divide');
  const inv = b.p.values.map((v) => {
    const d = Number(v);
    if (d === 0) throw new ParleyError('ERR_BAD_INPUT', 'division by zero');
    return 1 / d;
  });
  const x = a.dtype === 'float64' ? a : widen(a, a.dtype === 'bool' ? 'int64' : a.dtype);
  const whole = inv.every((v) => Number.isInteger(v));
  // NumPy's true division always gives float64: an int64 times a whole reciprocal is scaled up.
  const base = x.dtype === 'int64' && whole ? widen(x, 'float64') : x;
  return mulPublic(base, { shape: b.p.shape, dtype: whole ? 'int64' : 'float64', values: inv });
}

export function logical(a: SecureArray, other: unknown, op: LogicalOp): SecureArray {
  const s = a.session;
  const b = operand(s, other);
  const bt = b.kind === 'secret' ? b.a.dtype : b.p.dtype;
  if (a.dtype !== 'bool' || bt !== 'bool')
    throw new ParleyError('ERR_DTYPE', `${op} needs bool operands, got ${a.dtype} and ${bt}`);
  if (b.kind === 'public') {
    const bits = publicEncoder(s, b.p, 'bool');
    return s.derive({
      inputs: [a],
      dtype: 'bool',
      shape: ([xs]) => outShape([xs!, b.p.shape]),
      run: (c) => {
        const x = broadcastTo(c.shares[0]!, c.shapes[0]!, c.out);
        const v = bits(c.out);
        const out = new BigUint64Array(x.length);
        for (let i = 0; i < x.length; i++) {
          if (op === 'and') out[i] = x[i]! & v[i]!;
          else if (op === 'xor') out[i] = s.party === 0 ? x[i]! ^ v[i]! : x[i]!;
          else out[i] = x[i]! ^ (x[i]! & v[i]!) ^ (s.party === 0 ? v[i]! : 0n); // x ∨ v = x ⊕ v ⊕ (x ∧ v)
        }
        return out;
      },
    });
  }
  return s.derive({
    inputs: [a, b.a],
    dtype: 'bool',
    shape: (sh) => outShape(sh),
    needs: op === 'xor' ? undefined : (_, out) => ({ triples: sizeOf(out) }),
    run: async (c) => {
      const x = broadcastTo(c.shares[0]!, c.shapes[0]!, c.out);
      const y = broadcastTo(c.shares[1]!, c.shapes[1]!, c.out);
      const xr = new BigUint64Array(x.length);
      for (let i = 0; i < x.length; i++) xr[i] = x[i]! ^ y[i]!;
      if (op === 'xor') return xr;
      // The AND on the low words (each element's bit), back as a bool share.
      const W = s.ring.words;
      const and = boolShares(await andBits(c.wire, c.key(0), lowWords(x, W), lowWords(y, W), c.material!.triples), W);
      if (op === 'and') return and;
      for (let i = 0; i < x.length; i++) xr[i] = xr[i]! ^ and[i]!;
      return xr;
    },
  });
}

export function not(a: SecureArray): SecureArray {
  if (a.dtype !== 'bool') throw new ParleyError('ERR_DTYPE', `not needs a bool array, got ${a.dtype}`);
  const s = a.session;
  const W = s.ring.words;
  // Party 0 flips each element's bit (its low word).
  return s.derive({
    inputs: [a],
    dtype: 'bool',
    shape: ([x]) => x!,
    run: (c) => (s.party === 0 ? c.shares[0]!.map((v, i) => (i % W === 0 ? v ^ 1n : v)) : c.shares[0]!.slice()),
  });
}
