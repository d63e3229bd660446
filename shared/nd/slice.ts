// NumPy basic indexing: integers (negative from the end) and slice strings such as ':', '1:3',
// '::2', '-2:', '::-1'. An index list resolves to one selection per axis; missing trailing axes
// are taken whole, and integer-indexed axes are dropped from the result's shape.

import { ParleyError } from '../errors.js';
import type { Shape } from './shape.js';

export type Index = number | string;

export interface AxisSelection {
  start: number;
  step: number;
  count: number;
  /** True for an integer index: the axis disappears from the result. */
  drop: boolean;
}

const SLICE = /^\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?)$/;

/** The positions a slice string selects on an axis of length n, as Python computes them. */
export function parseSlice(text: string, n: number): AxisSelection {
  const m = SLICE.exec(text);
  if (!m || !text.includes(':'))
    throw new ParleyError('ERR_INDEX', `expected a slice like '1:3', '::2' or '-2:', got '${text}'`);
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (step === 0) throw new ParleyError('ERR_INDEX', 'slice step cannot be zero');
  const clamp = (v: string | undefined, dflt: number, lo: number, hi: number) => {
    if (v === undefined) return dflt;
    let x = Number(v);
    if (x < 0) x += n;
    return Math.min(Math.max(x, lo), hi);
  };
  const start = step > 0 ? clamp(m[1], 0, 0, n) : clamp(m[1], n - 1, -1, n - 1);
  const stop = step > 0 ? clamp(m[2], n, 0, n) : clamp(m[2], -1, -1, n - 1);
  const count =
    step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return { start, step, count, drop: false };
}

function parseInteger(i: number, n: number, axis: number): AxisSelection {
  if (!Number.isInteger(i)) throw new ParleyError('ERR_INDEX', `expected an integer index, got ${i}`);
  if (i < -n || i >= n)
    throw new ParleyError('ERR_INDEX', `index ${i} is out of bounds for axis ${axis} with size ${n}`);
  return { start: i < 0 ? i + n : i, step: 1, count: 1, drop: true };
}

/** Refuses what no shape makes a valid index list (malformed slices, non-integers), at once. */
export function checkIndexSyntax(idx: readonly Index[]): void {
  for (const i of idx) {
    if (typeof i === 'number') {
      if (!Number.isInteger(i)) throw new ParleyError('ERR_INDEX', `expected an integer index, got ${i}`);
    } else if (typeof i === 'string') parseSlice(i, 0);
    else throw new ParleyError('ERR_INDEX', `expected an integer or a slice string, got ${typeof i}`);
  }
}

/** One selection per axis of `shape` for the index list `idx`. */
export function resolveIndex(shape: Shape, idx: readonly Index[]): AxisSelection[] {
  if (idx.length > shape.length)
    throw new ParleyError('ERR_INDEX', `too many indices: ${idx.length} for an array of dimension ${shape.length}`);
  return shape.map((n, axis) => {
    const i = idx[axis];
    if (i === undefined) return { start: 0, step: 1, count: n, drop: false };
    if (typeof i === 'number') return parseInteger(i, n, axis);
    if (typeof i === 'string') return parseSlice(i, n);
    throw new ParleyError('ERR_INDEX', `expected an integer or a slice string, got ${typeof i}`);
  });
}

/** The result shape of a selection. */
export function selectionShape(sel: readonly AxisSelection[]): number[] {
  return sel.filter((s) => !s.drop).map((s) => s.count);
}
