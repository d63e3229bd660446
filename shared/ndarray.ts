// A plain N-dimensional array: shape, dtype and a flat typed array in row-major order. It is the
// public value type of SecureNumpy results and travels through the message layer as itself.

import { ParleyError } from './errors.js';

export type DType = 'float64' | 'int64' | 'bool' | 'uint64';

export type NDData = Float64Array | BigInt64Array | Uint8Array | BigUint64Array;

const CTOR: Record<DType, (n: number) => NDData> = {
  float64: (n) => new Float64Array(n),
  int64: (n) => new BigInt64Array(n),
  bool: (n) => new Uint8Array(n),
  uint64: (n) => new BigUint64Array(n),
};

export class NDArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: NDData;

  constructor(shape: readonly number[], dtype: DType, data?: NDData) {
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ParleyError('ERR_BAD_REQUEST', `expected a shape of non-negative integers, got [${shape.join(', ')}]`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const d = data ?? CTOR[dtype](size);
    if (d.length !== size)
      throw new ParleyError('ERR_BAD_REQUEST', `shape [${shape.join(', ')}] needs ${size} values, got ${d.length}`);
    if (!(d instanceof CTOR[dtype](0).constructor))
      throw new ParleyError('ERR_BAD_REQUEST', `dtype ${dtype} does not match ${d.constructor.name}`);
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.data = d;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /**
   * Nested plain arrays (a number or boolean for 0-d). int64 values read as numbers (whole
   * numbers, exact up to 2^53); uint64 values stay bigints.
   */
  toArray(): unknown {
    const at = (i: number): unknown =>
      this.dtype === 'bool' ? this.data[i] !== 0 : this.dtype === 'int64' ? Number(this.data[i]) : this.data[i];
    const build = (dim: number, offset: number): unknown => {
      if (dim === this.shape.length) return at(offset);
      const stride = this.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }
}
