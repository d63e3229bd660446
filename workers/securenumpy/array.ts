// SecureArray: a secret-shared N-D array as one party sees it. Its dtype is known at once, its
// shape at once unless it is another party's input still on its way, and its share is a
// promise: operations return new SecureArrays immediately and evaluate asynchronously. The
// methods call the operations through the late-bound ArrayOps (array-ops.ts), never directly.
// A shape is *settled* when every party knows it at the same point of the program (public
// from the start, or awaited through ready()): only then may a shape error throw at the call;
// otherwise it rejects the result at every party alike (session.ts derive).

import { ParleyError } from '../../shared/errors.js';
import type { Index } from '../../shared/nd/slice.js';
import type { NDArray } from '../../shared/ndarray.js';
import { arrayOps as ops } from './array-ops.js';
import type { Session } from './session.js';
import type { SecureDType } from './values.js';

export type Axis = number | null | undefined;

export class SecureArray {
  /** The shape when known here (null while another party's input shape is on its way). */
  knownShape: number[] | null = null;
  /** Whether every party knows the shape at this point of the program (see the header). */
  settled: boolean;
  /** The shape error this array carries, once known here. */
  private shapeError: unknown = null;
  /** Resolves to the shape when it is known here (the engine's view; ready() is the program's). */
  readonly shaped: Promise<number[]>;
  share: Promise<BigUint64Array>;
  /** Communication rounds on the longest chain that produced this value (known once it is). */
  depth = 0;

  constructor(
    readonly session: Session,
    readonly dtype: SecureDType,
    shape: number[] | Promise<number[]>,
    share: Promise<BigUint64Array>,
    settled = Array.isArray(shape),
  ) {
    this.settled = settled;
    if (Array.isArray(shape)) {
      this.knownShape = Object.freeze([...shape]) as number[];
      this.shaped = Promise.resolve(this.knownShape);
    } else {
      this.shaped = shape.then(
        (s) => (this.knownShape = Object.freeze([...s]) as number[]),
        (e) => {
          this.shapeError = e;
          throw e;
        },
      );
      this.shaped.catch(() => undefined);
    }
    this.share = share;
    share.catch(() => undefined);
  }

  get shape(): number[] {
    if (this.knownShape === null) {
      if (this.shapeError !== null) throw this.shapeError;
      throw new ParleyError(
        'ERR_PENDING',
        "this array's shape comes from another party's input and is not known here yet: pass { shape } to snp.array or await x.ready()",
      );
    }
    return this.knownShape;
  }
  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  get T(): SecureArray {
    return ops().transpose(this);
  }

  /**
   * Resolves to the shape once it is known here (an extension of the NumPy API); from then on
   * the shape is settled, so shape errors of later calls on it throw at the call.
   */
  ready(): Promise<number[]> {
    return this.shaped.then((s) => {
      this.settled = true;
      return s;
    });
  }

  // Arithmetic; `other` may be a SecureArray or public data, and shapes broadcast.
  add(other: unknown): SecureArray {
    return ops().add(this, other);
  }
  sub(other: unknown): SecureArray {
    return ops().sub(this, other);
  }
  mul(other: unknown): SecureArray {
    return ops().mul(this, other);
  }
  div(other: unknown): SecureArray {
    return ops().div(this, other);
  }
  neg(): SecureArray {
    return ops().neg(this);
  }
  and(other: unknown): SecureArray {
    return ops().logical(this, other, 'and');
  }
  or(other: unknown): SecureArray {
    return ops().logical(this, other, 'or');
  }
  xor(other: unknown): SecureArray {
    return ops().logical(this, other, 'xor');
  }
  not(): SecureArray {
    return ops().not(this);
  }
  // Comparisons: secret bool arrays (nothing is revealed); `other` may be public, shapes broadcast.
  lt(other: unknown): SecureArray {
    return ops().compare(this, other, 'lt');
  }
  le(other: unknown): SecureArray {
    return ops().compare(this, other, 'le');
  }
  gt(other: unknown): SecureArray {
    return ops().compare(this, other, 'gt');
  }
  ge(other: unknown): SecureArray {
    return ops().compare(this, other, 'ge');
  }
  eq(other: unknown): SecureArray {
    return ops().compare(this, other, 'eq');
  }
  ne(other: unknown): SecureArray {
    return ops().compare(this, other, 'ne');
  }
  astype(dtype: SecureDType): SecureArray {
    return ops().astype(this, dtype);
  }
  matmul(other: unknown): SecureArray {
    return ops().matmul(this, other);
  }
  dot(other: unknown): SecureArray {
    return ops().dot(this, other);
  }

  // Shape and indexing.
  get(...idx: Index[]): SecureArray {
    return ops().get(this, idx);
  }
  /** NumPy's x[idx] = value: replaces this array's contents from here on; returns this. */
  set(idx: Index[], value: unknown): SecureArray {
    return ops().set(this, idx, value);
  }
  reshape(...dims: (number | number[])[]): SecureArray {
    return ops().reshape(this, dims.flat());
  }
  transpose(...axes: (number | number[])[]): SecureArray {
    return ops().transpose(this, axes.length === 0 ? undefined : axes.flat());
  }
  flatten(): SecureArray {
    return ops().reshape(this, [-1]);
  }
  ravel(): SecureArray {
    return ops().reshape(this, [-1]);
  }
  copy(): SecureArray {
    return ops().copy(this);
  }

  // Reductions.
  sum(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().sum(this, axisArg(axis));
  }
  prod(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().prod(this, axisArg(axis));
  }
  mean(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().mean(this, axisArg(axis));
  }
  cumsum(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().cumsum(this, axisArg(axis));
  }
  /** Secret int64 indices that sort this array along the axis (default −1; null: flattened), stably. */
  argsort(axis: Axis | { axis?: Axis } = -1): SecureArray {
    return ops().argsort(this, axisArg(axis));
  }
  max(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().extreme(this, axisArg(axis), 'max', false);
  }
  min(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().extreme(this, axisArg(axis), 'min', false);
  }
  /** Secret int64 indices of the first maximum (flat indices when axis is omitted). */
  argmax(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().extreme(this, axisArg(axis), 'max', true);
  }
  argmin(axis?: Axis | { axis?: Axis }): SecureArray {
    return ops().extreme(this, axisArg(axis), 'min', true);
  }

  // Results.
  /** Only party `to` learns the value: an NDArray there, null at the other party. */
  revealTo(to: number): Promise<NDArray | null> {
    return ops().revealTo(this, to);
  }
  /** This party's raw share (an int64 NDArray; the shares add up mod 2^64). */
  toShare(): Promise<NDArray> {
    return ops().toShare(this);
  }
}

function axisArg(axis: Axis | { axis?: Axis }): Axis {
  if (axis !== null && typeof axis === 'object') return axis.axis;
  return axis;
}
