// Shapes as NumPy has them: sizes, row-major strides, broadcasting, axis normalisation and
// reshape with one inferred (-1) dimension. Every refusal has a stable code and says what was
// expected and what was given.

import { ParleyError } from '../errors.js';

export type Shape = readonly number[];

const fmt = (s: Shape) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

export function checkShape(shape: unknown): Shape {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ParleyError('ERR_SHAPE', `expected a shape of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape as Shape;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) element strides. */
export function stridesOf(shape: Shape): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i]!;
  }
  return st;
}

/** The broadcast shape of several shapes, as numpy.broadcast_shapes. */
export function broadcastShapes(...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = ndim - s.length + i;
      const d = s[i]!;
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else throw new ParleyError('ERR_SHAPE', `shapes ${shapes.map(fmt).join(' and ')} do not broadcast`);
    }
  }
  return out;
}

/** An axis in [-ndim, ndim) as a non-negative axis. */
export function normalizeAxis(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new ParleyError('ERR_AXIS', `axis ${axis} is out of bounds for an array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** A list of distinct axes; undefined or null means all axes. */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis(a, ndim));
  if (new Set(list).size !== list.length) throw new ParleyError('ERR_AXIS', `repeated axis in ${JSON.stringify(axis)}`);
  return list;
}

/** Refuses a reshape target no size fits: other than whole numbers ≥ 0 and at most one -1. */
export function checkReshape(shape: readonly unknown[]): readonly number[] {
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1 || !shape.every((d) => d === -1 || (Number.isSafeInteger(d) && (d as number) >= 0))) {
    throw new ParleyError('ERR_SHAPE', `expected a shape with at most one -1, got ${fmt(shape as Shape)}`);
  }
  return shape as readonly number[];
}

/** The target shape of a reshape of `size` elements, inferring one -1. */
export function resolveReshape(size: number, shape: readonly number[]): number[] {
  checkReshape(shape);
  const known = shape.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (sizeOf(out) !== size || !out.every(Number.isInteger)) {
    throw new ParleyError('ERR_SHAPE', `cannot reshape an array of size ${size} into shape ${fmt(shape)}`);
  }
  return out;
}
