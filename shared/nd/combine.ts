// Joining and repeating arrays as NumPy does (concatenate, stack, tile, repeat, resize), as
// position maps into the inputs so plaintext and shares are moved the same way.

import { ParleyError } from '../errors.js';
import { normalizeAxis, type Shape, sizeOf, stridesOf } from './shape.js';

/** Where each output element comes from: which input, and its flat position there. */
export interface Sources {
  shape: number[];
  input: Uint32Array;
  position: Float64Array;
}

/** numpy.concatenate(arrays, axis): all shapes equal except along `axis`. */
export function concatenateSources(shapes: readonly Shape[], axis = 0): Sources {
  if (shapes.length === 0) throw new ParleyError('ERR_SHAPE', 'need at least one array to concatenate');
  const nd = shapes[0]!.length;
  if (nd === 0) throw new ParleyError('ERR_SHAPE', 'zero-dimensional arrays cannot be concatenated');
  const ax = normalizeAxis(axis, nd);
  for (const s of shapes) {
    if (s.length !== nd || s.some((d, i) => i !== ax && d !== shapes[0]![i])) {
      throw new ParleyError(
        'ERR_SHAPE',
        `all dimensions except axis ${ax} must match, got (${shapes.map((x) => x.join(', ')).join(') and (')})`,
      );
    }
  }
  const shape = [...shapes[0]!];
  shape[ax] = shapes.reduce((a, s) => a + s[ax]!, 0);
  const outer = sizeOf(shape.slice(0, ax));
  const inner = sizeOf(shape.slice(ax + 1));
  const n = sizeOf(shape);
  const input = new Uint32Array(n);
  const position = new Float64Array(n);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    shapes.forEach((s, i) => {
      const block = s[ax]! * inner;
      for (let j = 0; j < block; j++, k++) {
        input[k] = i;
        position[k] = o * block + j;
      }
    });
  }
  return { shape, input, position };
}

/** numpy.stack(arrays, axis): equal shapes, joined along a new axis. */
export function stackSources(shapes: readonly Shape[], axis = 0): Sources {
  if (shapes.length === 0) throw new ParleyError('ERR_SHAPE', 'need at least one array to stack');
  const s0 = shapes[0]!;
  if (!shapes.every((s) => s.length === s0.length && s.every((d, i) => d === s0[i]))) {
    throw new ParleyError('ERR_SHAPE', 'all input arrays must have the same shape');
  }
  const ax = normalizeAxis(axis, s0.length + 1);
  const expanded = [...s0.slice(0, ax), 1, ...s0.slice(ax)];
  return concatenateSources(
    shapes.map(() => expanded),
    ax,
  );
}

/** numpy.tile(a, reps). */
export function tilePositions(shape: Shape, reps: readonly number[]): { shape: number[]; positions: Float64Array } {
  if (!reps.every((r) => Number.isInteger(r) && r >= 0))
    throw new ParleyError('ERR_SHAPE', `expected non-negative repetitions, got [${reps.join(', ')}]`);
  const nd = Math.max(shape.length, reps.length);
  const src = [...Array(nd - shape.length).fill(1), ...shape] as number[];
  const r = [...Array(nd - reps.length).fill(1), ...reps] as number[];
  const out = src.map((d, i) => d * r[i]!);
  const st = stridesOf(src);
  const ost = stridesOf(out);
  const positions = new Float64Array(sizeOf(out));
  for (let k = 0; k < positions.length; k++) {
    let p = 0;
    for (let d = 0; d < nd; d++) p += ((Math.floor(k / ost[d]!) % out[d]!) % src[d]!) * st[d]!;
    positions[k] = p;
  }
  return { shape: out, positions };
}

/**
 * numpy.repeat(a, repeats, axis): each element repeated `repeats` times, or repeats[i] times for
 * the i-th element along the axis; without an axis, on the flattened array.
 */
export function repeatPositions(
  shape: Shape,
  repeats: number | readonly number[],
  axis?: number | null,
): { shape: number[]; positions: Float64Array } {
  const flat = axis === undefined || axis === null;
  const src = flat ? [sizeOf(shape)] : shape;
  const ax = flat ? 0 : normalizeAxis(axis, shape.length);
  const len = src[ax]!;
  const single = typeof repeats === 'number' ? repeats : repeats.length === 1 ? repeats[0]! : null;
  if (single === null && (repeats as readonly number[]).length !== len) {
    throw new ParleyError(
      'ERR_SHAPE',
      `expected 1 or ${len} repeat counts, got ${(repeats as readonly number[]).length}`,
    );
  }
  const counts = single === null ? [...(repeats as readonly number[])] : new Array<number>(len).fill(single);
  for (const c of counts)
    if (!Number.isInteger(c) || c < 0)
      throw new ParleyError('ERR_SHAPE', `expected non-negative whole repeat counts, got ${String(repeats)}`);
  // source index along the axis for each output index along it
  const along: number[] = [];
  counts.forEach((c, i) => {
    for (let r = 0; r < c; r++) along.push(i);
  });
  const out = [...src];
  out[ax] = along.length;
  const st = stridesOf(src);
  const ost = stridesOf(out);
  const positions = new Float64Array(sizeOf(out));
  for (let k = 0; k < positions.length; k++) {
    let p = 0;
    for (let d = 0; d < out.length; d++) {
      const i = Math.floor(k / ost[d]!) % out[d]!;
      p += (d === ax ? along[i]! : i) * st[d]!;
    }
    positions[k] = p;
  }
  return { shape: out, positions };
}

/** numpy.resize(a, shape): the flattened input repeated cyclically to fill the new shape. */
export function resizePositions(
  shape: Shape,
  newShape: readonly number[],
): { shape: number[]; positions: Float64Array } {
  const n = sizeOf(shape);
  const m = sizeOf(newShape);
  if (n === 0 && m > 0) throw new ParleyError('ERR_SHAPE', 'an empty array resizes to zeros, not to positions');
  return { shape: [...newShape], positions: Float64Array.from({ length: m }, (_, k) => k % n) };
}
