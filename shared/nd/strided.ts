// Moving elements between row-major flat arrays: the flat positions a selection, a transpose or
// a broadcast reads, so any typed array (plaintext or shares) can be gathered or scattered the
// same way. Positions come as Int32Array-compatible numbers (arrays beyond 2^31 elements are
// not supported in a tab anyway).

import { ParleyError } from '../errors.js';
import { normalizeAxis, type Shape, sizeOf, stridesOf } from './shape.js';
import type { AxisSelection } from './slice.js';

/** Walks every multi-index of `counts` in row-major order, calling `visit` with the offset sum. */
function walk(counts: readonly number[], steps: readonly number[], base: number, out: Float64Array): Float64Array {
  const nd = counts.length;
  const n = out.length;
  if (n === 0) return out;
  const idx = new Array<number>(nd).fill(0);
  let off = base;
  for (let k = 0; k < n; k++) {
    out[k] = off;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += steps[d]!;
      if (idx[d]! < counts[d]!) break;
      off -= steps[d]! * counts[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** Flat positions (in the source) of a basic-index selection, in result order. */
export function selectionPositions(shape: Shape, sel: readonly AxisSelection[]): Float64Array {
  const st = stridesOf(shape);
  const base = sel.reduce((a, s, d) => a + s.start * st[d]!, 0);
  return walk(
    sel.map((s) => s.count),
    sel.map((s, d) => s.step * st[d]!),
    base,
    new Float64Array(sizeOf(sel.map((s) => s.count))),
  );
}

/** Flat positions (in the source) read by transpose(axes): result[i...] = source[permuted i...]. */
export function transposePositions(
  shape: Shape,
  axes?: readonly number[],
): { shape: number[]; positions: Float64Array } {
  const nd = shape.length;
  const perm = axes ? axes.map((a) => normalizeAxis(a, nd)) : Array.from({ length: nd }, (_, i) => nd - 1 - i);
  if (perm.length !== nd || new Set(perm).size !== nd)
    throw new ParleyError('ERR_AXIS', `axes ${JSON.stringify(axes)} do not permute ${nd} dimensions`);
  const st = stridesOf(shape);
  const out = perm.map((a) => shape[a]!);
  return {
    shape: out,
    positions: walk(
      out,
      perm.map((a) => st[a]!),
      0,
      new Float64Array(sizeOf(out)),
    ),
  };
}

/** Flat positions (in the source) read when broadcasting `shape` to `target`. */
export function broadcastPositions(shape: Shape, target: Shape): Float64Array {
  const st = stridesOf(shape);
  const lead = target.length - shape.length;
  if (lead < 0) throw new ParleyError('ERR_SHAPE', `cannot broadcast ${shape.length} dimensions to ${target.length}`);
  const steps = target.map((d, i) => {
    if (i < lead) return 0;
    const s = shape[i - lead]!;
    if (s === d) return st[i - lead]!;
    if (s === 1) return 0;
    throw new ParleyError('ERR_SHAPE', `cannot broadcast shape (${shape.join(', ')}) to (${target.join(', ')})`);
  });
  return walk(target, steps, 0, new Float64Array(sizeOf(target)));
}

type Flat = { length: number; [i: number]: number | bigint };

/** out[k] = src[positions[k]] into a new array made by `make`. */
export function gather<T extends Flat>(src: T, positions: Float64Array, make: (n: number) => T): T {
  const out = make(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = src[positions[k]!]!;
  return out;
}

/** dst[positions[k]] = values[k] (values already broadcast to the selection). */
export function scatter<T extends Flat>(dst: T, positions: Float64Array, values: T): void {
  if (values.length !== positions.length)
    throw new ParleyError('ERR_SHAPE', `expected ${positions.length} values, got ${values.length}`);
  for (let k = 0; k < positions.length; k++) dst[positions[k]!] = values[k]!;
}

/**
 * Flat positions grouped for a reduction over `axes`: the kept axes in order, each group the
 * reduced elements of one output element (contiguous, `group` long). With keepdims false the
 * output shape drops the reduced axes.
 */
export function reductionPositions(
  shape: Shape,
  axes: readonly number[],
): { outShape: number[]; group: number; positions: Float64Array } {
  const reduced = new Set(axes.map((a) => normalizeAxis(a, shape.length)));
  const kept = shape.map((_, i) => i).filter((i) => !reduced.has(i));
  const perm = [...kept, ...[...reduced].sort((a, b) => a - b)];
  const { positions } = transposePositions(shape, perm);
  return { outShape: kept.map((i) => shape[i]!), group: [...reduced].reduce((a, i) => a * shape[i]!, 1), positions };
}

/** Folds each group of a reduction with `combine`, starting from `init`. */
export function reduceGroups<T extends Flat, V extends number | bigint>(
  src: T,
  r: { group: number; positions: Float64Array },
  make: (n: number) => T,
  init: V,
  combine: (acc: V, x: V) => V,
): T {
  const n = r.group === 0 ? r.positions.length : r.positions.length / r.group;
  const out = make(r.group === 0 ? 0 : n);
  for (let g = 0; g < out.length; g++) {
    let acc = init;
    for (let k = g * r.group; k < (g + 1) * r.group; k++) acc = combine(acc, src[r.positions[k]!] as V);
    out[g] = acc;
  }
  return out;
}
