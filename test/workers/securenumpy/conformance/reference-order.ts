// Plaintext references for the order reductions (max, min, argmax, argmin, ptp), as NumPy
// computes them: one axis (negative allowed) or null for all (argmax over the flattened array),
// ties resolved to the first occurrence, empty reductions refused.

import * as R from './reference.js';

export type Kind = 'max' | 'min';

/** The groups of a reduction along `axis` (null: the whole array as one group), in order. */
function groups(x: R.Arr, axis: R.Axis): { shape: number[]; rows: number[][] } {
  if (axis === null || axis === undefined) return { shape: [], rows: [x.data.slice()] };
  const ax = R.normAxis(axis, x.shape.length);
  const moved = R.transpose(x, [...x.shape.map((_, i) => i).filter((i) => i !== ax), ax]);
  const n = x.shape[ax]!;
  const shape = moved.shape.slice(0, -1);
  return { shape, rows: Array.from({ length: R.sizeOf(shape) }, (_, g) => moved.data.slice(g * n, (g + 1) * n)) };
}

/** Index of the first maximum (minimum) of a non-empty row. */
function argBest(row: readonly number[], kind: Kind): number {
  if (row.length === 0) throw new R.RefError('ERR_SHAPE', `attempt to get arg${kind} of an empty sequence`);
  let best = 0;
  for (let j = 1; j < row.length; j++) if (kind === 'max' ? row[j]! > row[best]! : row[j]! < row[best]!) best = j;
  return best;
}

export function argExtreme(x: R.Arr, axis: R.Axis, kind: Kind): R.Arr {
  const g = groups(x, axis);
  return { shape: g.shape, data: g.rows.map((r) => argBest(r, kind)) };
}

export function extreme(x: R.Arr, axis: R.Axis, kind: Kind): R.Arr {
  const g = groups(x, axis);
  return { shape: g.shape, data: g.rows.map((r) => r[argBest(r, kind)]!) };
}

export const amax = (x: R.Arr, axis?: R.Axis) => extreme(x, axis, 'max');
export const amin = (x: R.Arr, axis?: R.Axis) => extreme(x, axis, 'min');
export const argmax = (x: R.Arr, axis?: R.Axis) => argExtreme(x, axis, 'max');
export const argmin = (x: R.Arr, axis?: R.Axis) => argExtreme(x, axis, 'min');
export const ptp = (x: R.Arr, axis?: R.Axis) => R.sub(amax(x, axis), amin(x, axis));
