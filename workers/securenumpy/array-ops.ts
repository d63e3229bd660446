// The seam between the secure type and the operations on it, as in MPyC (sectypes.py calls
// `runtime.add`, and the runtime installs itself): SecureArray's methods call the late-bound
// ArrayOps below, which snp.ts installs from the ops-*.ts modules when it is loaded. So array.ts
// imports no operation, and the operations import SecureArray only where they construct one.

import { ParleyError } from '../../shared/errors.js';
import type { Index } from '../../shared/nd/slice.js';
import type { NDArray } from '../../shared/ndarray.js';
import type { Axis, SecureArray } from './array.js';
import type { SecureDType } from './values.js';

export type CompareOp = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
export type LogicalOp = 'and' | 'or' | 'xor';

/** What a SecureArray method does, given its normalised arguments; `other` may be public data. */
export interface ArrayOps {
  add(a: SecureArray, other: unknown): SecureArray;
  sub(a: SecureArray, other: unknown): SecureArray;
  mul(a: SecureArray, other: unknown): SecureArray;
  /** True division by a public value or a secret array. */
  div(a: SecureArray, other: unknown): SecureArray;
  neg(a: SecureArray): SecureArray;
  logical(a: SecureArray, other: unknown, op: LogicalOp): SecureArray;
  not(a: SecureArray): SecureArray;
  compare(a: SecureArray, other: unknown, op: CompareOp): SecureArray;
  astype(a: SecureArray, dtype: SecureDType): SecureArray;
  matmul(a: SecureArray, other: unknown): SecureArray;
  dot(a: SecureArray, other: unknown): SecureArray;
  get(a: SecureArray, idx: Index[]): SecureArray;
  set(a: SecureArray, idx: Index[], value: unknown): SecureArray;
  reshape(a: SecureArray, dims: number[]): SecureArray;
  transpose(a: SecureArray, axes?: number[]): SecureArray;
  copy(a: SecureArray): SecureArray;
  sum(a: SecureArray, axis: Axis): SecureArray;
  prod(a: SecureArray, axis: Axis): SecureArray;
  mean(a: SecureArray, axis: Axis): SecureArray;
  cumsum(a: SecureArray, axis: Axis): SecureArray;
  argsort(a: SecureArray, axis: Axis): SecureArray;
  /** max/min (arg false) or argmax/argmin (arg true). */
  extreme(a: SecureArray, axis: Axis, kind: 'max' | 'min', arg: boolean): SecureArray;
  revealTo(a: SecureArray, to: number): Promise<NDArray | null>;
  toShare(a: SecureArray): Promise<NDArray>;
}

let installed: ArrayOps | null = null;

/** Installs the operations behind SecureArray's methods (snp.ts does, once, at load). */
export function installArrayOps(ops: ArrayOps): void {
  installed = ops;
}

/** The installed operations; an engine loaded without snp.ts has none. */
export function arrayOps(): ArrayOps {
  if (installed === null) {
    throw new ParleyError('ERR_INTERNAL', 'SecureArray operations are not installed (load snp.ts)');
  }
  return installed;
}
