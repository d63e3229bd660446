// Plain values entering the engine: parsing numbers, booleans, nested arrays and NDArrays into a
// shape and flat values, NumPy's dtype inference and promotion, and encoding into the ring
// (fixed point with f fractional bits for float64, two's complement for int64, a bit for bool).

import { ParleyError } from '../../shared/errors.js';
import { NDArray } from '../../shared/ndarray.js';

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

/** Largest magnitude of a float64 input with f fractional bits: products then stay below 2^(62 − 2f)·2^(2f). */
export const inputBound = (f: number): number => 2 ** (31 - f);

function asNumber(v: number | bigint | boolean): number {
  return typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
}

/** Ring encoding of public or input values as `dtype`, checking range; `bound` limits float64 magnitudes. */
export function encodeValues(
  values: readonly (number | bigint | boolean)[],
  dtype: SecureDType,
  f: number,
  bound: number,
): BigUint64Array {
  const out = new BigUint64Array(values.length);
  const scale = 2 ** f;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (dtype === 'bool') {
      out[i] = (typeof v === 'boolean' ? v : Number(v) !== 0) ? 1n : 0n;
    } else if (dtype === 'int64') {
      if (typeof v === 'bigint') out[i] = BigInt.asUintN(64, v);
      else {
        const x = asNumber(v);
        if (!Number.isSafeInteger(x))
          throw new ParleyError(
            'ERR_OUT_OF_RANGE',
            `value ${i} is ${x}; int64 inputs must be whole numbers below 2^53 (or bigints)`,
          );
        out[i] = BigInt.asUintN(64, BigInt(x));
      }
    } else {
      const x = asNumber(v);
      if (!Number.isFinite(x) || Math.abs(x) >= bound) {
        throw new ParleyError(
          'ERR_OUT_OF_RANGE',
          `value ${i} is ${x}; float64 values must be finite with magnitude below ${bound} (fixed point with ${f} fractional bits)`,
        );
      }
      out[i] = BigInt.asUintN(64, BigInt(Math.round(x * scale)));
    }
  }
  return out;
}

/** Decodes revealed ring values into an NDArray of `dtype`. */
export function decodeValues(v: BigUint64Array, shape: readonly number[], dtype: SecureDType, f: number): NDArray {
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
