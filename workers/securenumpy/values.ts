// Plain values entering the engine: parsing numbers, booleans, nested arrays and NDArrays into a
// shape and flat values, NumPy's dtype inference and promotion, and encoding into the ring
// (fixed point with f fractional bits for float64, two's complement for int64, a bit for bool).

import { ParleyError } from '../../shared/errors.js';
import { NDArray } from '../../shared/ndarray.js';
import { RING64, RING128, type Ring } from '../../shared/rings.js';

/** The dtypes a secret array can have (shared/ndarray.ts's DType, of plain arrays, adds uint64). */
export type SecureDType = 'float64' | 'int64' | 'bool';
export const DTYPES: readonly SecureDType[] = ['float64', 'int64', 'bool'];

export function checkDtype(d: unknown): SecureDType {
  if (d === undefined) return 'float64';
  if (typeof d === 'string' && (DTYPES as readonly string[]).includes(d)) return d as SecureDType;
  throw new ParleyError('ERR_DTYPE', `expected dtype 'float64', 'int64' or 'bool', got ${JSON.stringify(d)}`);
}

/** NumPy's promotion among the three: float64 > int64 > bool. */
export function promote(a: SecureDType, b: SecureDType): SecureDType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'int64' || b === 'int64') return 'int64';
  return 'bool';
}

export interface Plain {
  shape: number[];
  /** The dtype NumPy would infer (all booleans → bool, all whole numbers → int64, else float64). */
  dtype: SecureDType;
  values: (number | bigint | boolean)[];
}

export function isPlainData(v: unknown): boolean {
  return (
    typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || Array.isArray(v) || v instanceof NDArray
  );
}

/** Flattens public data into a shape and row-major values, refusing ragged or non-numeric input. */
export function toPlain(data: unknown): Plain {
  if (data instanceof NDArray) {
    const values = Array.from(data.data as ArrayLike<number | bigint>, (v) => (data.dtype === 'bool' ? v !== 0 : v));
    const dtype: SecureDType = data.dtype === 'bool' ? 'bool' : data.dtype === 'float64' ? 'float64' : 'int64';
    return { shape: [...data.shape], dtype, values };
  }
  const shape: number[] = [];
  for (let v = data; Array.isArray(v); v = v[0]) shape.push(v.length);
  const values: (number | bigint | boolean)[] = [];
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') {
        throw new ParleyError(
          'ERR_BAD_INPUT',
          `expected numbers or booleans, got ${Array.isArray(v) ? 'a ragged nested array' : typeof v}`,
        );
      }
      values.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim])
      throw new ParleyError('ERR_SHAPE', `ragged nested array: expected length ${shape[dim]} at depth ${dim}`);
    for (const x of v) walk(x, dim + 1);
  };
  walk(data, 0);
  let dtype: SecureDType = values.length > 0 && values.every((v) => typeof v === 'boolean') ? 'bool' : 'int64';
  if (
    dtype === 'int64' &&
    !values.every(
      (v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean',
    )
  )
    dtype = 'float64';
  if (values.length === 0) dtype = 'float64';
  return { shape, dtype, values };
}

/** Fractional bits of float64 values when a session does not set `fracBits`. */
export const DEFAULT_FRAC_BITS = 16;

/**
 * Largest magnitude of a float64 input with f fractional bits in an ℓ-bit ring: 2^(ℓ/2 − 1 − f),
 * so products stay below 2^(ℓ − 2 − 2f)·2^(2f) (2^(31−f) = 32,768 in Z_2^64 and 2^(63−f) ≈
 * 1.4·10^14 in Z_2^128 at f = 16).
 */
export const inputBound = (f: number, ring: Ring = RING64): number => 2 ** (ring.bits / 2 - 1 - f);

function asNumber(v: number | bigint | boolean): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
}

/** Where value i sits: its index in `shape` (row-major), e.g. [2, 0], or the flat index of a 0-D/1-D array. */
function placeOf(i: number, shape?: readonly number[]): string {
  if (!shape || shape.length < 2) return `${i}`;
  const idx: number[] = [];
  for (let k = shape.length - 1, r = i; k >= 0; k--) {
    idx.unshift(r % shape[k]!);
    r = Math.floor(r / shape[k]!);
  }
  // A table (a CSV upload is one): also its row and column counted from 1, as the upload form counts.
  const cell = shape.length === 2 ? ` (row ${idx[0]! + 1}, column ${idx[1]! + 1})` : '';
  return `at index [${idx.join(', ')}]${cell}`;
}

/** The float64 range error, pointing Z_2^64 users at the wide ring. */
function outOfRange(i: number, x: number, bound: number, f: number, ring: Ring, shape?: readonly number[]) {
  const wider =
    ring.bits === 64
      ? `; the wide ring (session option ring: 128) takes inputs up to ${inputBound(f, RING128).toExponential(2)}`
      : '';
  return new ParleyError(
    'ERR_OUT_OF_RANGE',
    `value ${placeOf(i, shape)} is ${x}; float64 values must be finite with magnitude below ${bound} (fixed point with ${f} fractional bits in the ${ring.bits}-bit ring)${wider}`,
  );
}

/**
 * Ring encoding of public or input values as `dtype`, checking range; `bound` limits float64
 * magnitudes. Each value takes ring.words words (low word first); `shape` only names a refused
 * value's index.
 */
export function encodeValues(
  values: readonly (number | bigint | boolean)[],
  dtype: SecureDType,
  f: number,
  bound: number,
  ring: Ring = RING64,
  shape?: readonly number[],
): BigUint64Array {
  const W = ring.words;
  const out = new BigUint64Array(W * values.length);
  const scale = 2 ** f;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let e: bigint;
    if (dtype === 'bool') {
      e = (typeof v === 'boolean' ? v : Number(v) !== 0) ? 1n : 0n;
    } else if (dtype === 'int64') {
      if (typeof v === 'bigint') e = v;
      else {
        const x = asNumber(v);
        if (!Number.isSafeInteger(x))
          throw new ParleyError(
            'ERR_OUT_OF_RANGE',
            `value ${placeOf(i, shape)} is ${x}; int64 inputs must be whole numbers below 2^53 (or bigints)`,
          );
        e = BigInt(x);
      }
    } else {
      const x = asNumber(v);
      if (!Number.isFinite(x) || Math.abs(x) >= bound) throw outOfRange(i, x, bound, f, ring, shape);
      e = BigInt(Math.round(x * scale));
    }
    if (W === 1) out[i] = BigInt.asUintN(64, e);
    else {
      // int64 values (bigints included) wrap at 2^64 as in NumPy, then sign-extend to the ring.
      const t = dtype === 'int64' ? BigInt.asIntN(64, e) : e;
      out[2 * i] = BigInt.asUintN(64, t);
      out[2 * i + 1] = BigInt.asUintN(64, t >> 64n);
    }
  }
  return out;
}

/**
 * Decodes revealed ring values into an NDArray of `dtype`: float64 as fixed point, int64 as the
 * low word (NumPy's wrap at 2^64 for + − ×), bool as bit 0 of the low word.
 */
export function decodeValues(
  v: BigUint64Array,
  shape: readonly number[],
  dtype: SecureDType,
  f: number,
  ring: Ring = RING64,
): NDArray {
  if (ring.words === 2) {
    const n = v.length / 2;
    if (dtype === 'float64') return new NDArray(shape, 'float64', ring.decodeFixed(v, f));
    const low = BigUint64Array.from({ length: n }, (_, i) => v[2 * i]!);
    return decodeValues(low, shape, dtype, f);
  }
  if (dtype === 'bool')
    return new NDArray(
      shape,
      'bool',
      Uint8Array.from(v, (x) => Number(x & 1n)),
    );
  if (dtype === 'int64') return new NDArray(shape, 'int64', new BigInt64Array(v.buffer, v.byteOffset, v.length));
  const out = new Float64Array(v.length);
  const F = BigInt(f);
  const low = (1n << F) - 1n;
  for (let i = 0; i < v.length; i++) {
    const s = BigInt.asIntN(64, v[i]!);
    out[i] = Number(s >> F) + Number(s & low) / 2 ** f;
  }
  return new NDArray(shape, 'float64', out);
}

/** Public data back as an NDArray of its inferred dtype. */
export function plainToNd(p: Plain): NDArray {
  if (p.dtype === 'bool')
    return new NDArray(
      p.shape,
      'bool',
      Uint8Array.from(p.values, (v) => (v === true || Number(v) !== 0 ? 1 : 0)),
    );
  if (p.dtype === 'int64')
    return new NDArray(
      p.shape,
      'int64',
      BigInt64Array.from(p.values, (v) => BigInt(typeof v === 'boolean' ? Number(v) : v)),
    );
  return new NDArray(
    p.shape,
    'float64',
    Float64Array.from(p.values, (v) => Number(v)),
  );
}
