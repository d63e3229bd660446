// Shape manipulation and indexing on secret arrays: all local (no communication), moving each
// party's share exactly as NumPy moves the values (shared/nd computes the positions). Only
// x[idx] = v may communicate first: v is cast to x's dtype, which can narrow (ops-convert.ts).

import { ParleyError } from '../../shared/errors.js';
import {
  concatenateSources,
  repeatPositions,
  resizePositions,
  type Sources,
  stackSources,
  tilePositions,
} from '../../shared/nd/combine.js';
import { checkReshape, checkShape, resolveReshape, type Shape, sizeOf } from '../../shared/nd/shape.js';
import { checkIndexSyntax, type Index, resolveIndex, selectionShape } from '../../shared/nd/slice.js';
import { broadcastPositions, scatter, selectionPositions, transposePositions } from '../../shared/nd/strided.js';
import type { SecureArray } from './array.js';
import { broadcastTo, gatherElements, operand, widen } from './operand.js';
import { cast } from './ops-convert.js';
import { constantPlain } from './ops-reveal.js';
import type { Session } from './session.js';
import { promote, type SecureDType } from './values.js';

const words = (n: number) => new BigUint64Array(n);

/** Element positions as word positions, `w` words per element (p → w·p … w·p + w − 1). */
function wordPositions(pos: Float64Array, w: number): Float64Array {
  if (w === 1) return pos;
  const out = new Float64Array(w * pos.length);
  for (let k = 0; k < pos.length; k++) for (let j = 0; j < w; j++) out[w * k + j] = w * pos[k]! + j;
  return out;
}

/** A local re-arrangement: out[k] = share[positions[k]]. */
function rearrange(
  a: SecureArray,
  plan: (shape: Shape) => { shape: number[]; positions: Float64Array | null },
): SecureArray {
  let memo: { shape: number[]; positions: Float64Array | null } | null = null;
  return a.session.derive({
    inputs: [a],
    dtype: a.dtype,
    shape: ([s]) => (memo = plan(s!)).shape,
    run: (c) => {
      const p = memo ?? plan(c.shapes[0]!);
      return p.positions ? gatherElements(c.shares[0]!, p.positions, c.wire.ring.words) : c.shares[0]!.slice();
    },
  });
}

// Arguments that no shape makes valid are refused at the call (at every party alike, whether or
// not the shape is known); the rest is checked against the shape (session.ts derive).

export function reshape(a: SecureArray, dims: number[]): SecureArray {
  if (!Array.isArray(dims)) throw new ParleyError('ERR_SHAPE', `expected a shape, got ${typeof dims}`);
  checkReshape(dims);
  return rearrange(a, (s) => ({ shape: resolveReshape(sizeOf(s), dims), positions: null }));
}

export function transpose(a: SecureArray, axes?: number[]): SecureArray {
  if (axes !== undefined && (!axes.every(Number.isInteger) || new Set(axes).size !== axes.length))
    throw new ParleyError('ERR_AXIS', `repeated or non-integer axis in transpose: ${JSON.stringify(axes)}`);
  return rearrange(a, (s) => transposePositions(s, axes));
}

export function get(a: SecureArray, idx: Index[]): SecureArray {
  checkIndexSyntax(idx);
  return rearrange(a, (s) => {
    const sel = resolveIndex(s, idx);
    return { shape: selectionShape(sel), positions: selectionPositions(s, sel) };
  });
}

/** Secret arrays as they are, public data as constants, all cast to their common dtype. */
function secretsOf(s: Session, items: readonly unknown[]): SecureArray[] {
  // NumPy: a TypeError for what is not a sequence, a ValueError for an empty one.
  if (!Array.isArray(items))
    throw new ParleyError('ERR_BAD_INPUT', 'expected a list of arrays, e.g. snp.vstack([a, b])');
  if (items.length === 0) throw new ParleyError('ERR_SHAPE', 'need at least one array');
  const ops = items.map((v) => operand(s, v));
  const dtype = ops
    .map((o) => (o.kind === 'secret' ? o.a.dtype : o.p.dtype))
    .reduce((a: SecureDType, b) => promote(a, b));
  return ops.map((o) => (o.kind === 'secret' ? widen(o.a, dtype) : constantPlain(s, o.p, dtype)));
}

/** A local gather from several arrays: out[k] = shares[input[k]][position[k]]. */
function combine(s: Session, arrays: SecureArray[], plan: (shapes: Shape[]) => Sources): SecureArray {
  let memo: Sources | null = null;
  return s.derive({
    inputs: arrays,
    dtype: arrays[0]!.dtype,
    shape: (shapes) => (memo = plan(shapes)).shape,
    run: (c) => {
      const p = memo ?? plan(c.shapes);
      const W = c.wire.ring.words;
      const out = words(W * p.position.length);
      if (W === 1) for (let k = 0; k < out.length; k++) out[k] = c.shares[p.input[k]!]![p.position[k]!]!;
      else
        for (let k = 0; k < p.position.length; k++)
          for (let j = 0; j < W; j++) out[W * k + j] = c.shares[p.input[k]!]![W * p.position[k]! + j]!;
      return out;
    },
  });
}

const atLeast2d = (s: Shape): Shape => (s.length === 0 ? [1, 1] : s.length === 1 ? [1, s[0]!] : s);

export function concatenate(s: Session, arrays: readonly unknown[], axis: number | null = 0): SecureArray {
  const xs = secretsOf(s, arrays);
  if (axis === null)
    return concatenate(
      s,
      xs.map((x) => reshape(x, [-1])),
      0,
    );
  return combine(s, xs, (shapes) => concatenateSources(shapes, axis));
}

export function stack(s: Session, arrays: readonly unknown[], axis = 0): SecureArray {
  return combine(s, secretsOf(s, arrays), (shapes) => stackSources(shapes, axis));
}

export function vstack(s: Session, arrays: readonly unknown[]): SecureArray {
  return combine(s, secretsOf(s, arrays), (shapes) => {
    const src = concatenateSources(shapes.map(atLeast2d), 0);
    return src;
  });
}

export function hstack(s: Session, arrays: readonly unknown[]): SecureArray {
  return combine(s, secretsOf(s, arrays), (shapes) => {
    if (shapes.some((x) => x.length === 0))
      return concatenateSources(
        shapes.map((x) => (x.length === 0 ? [1] : x)),
        0,
      );
    return concatenateSources(shapes, shapes[0]!.length === 1 ? 0 : 1);
  });
}

export function columnStack(s: Session, arrays: readonly unknown[]): SecureArray {
  return combine(s, secretsOf(s, arrays), (shapes) =>
    concatenateSources(
      shapes.map((x) => (x.length === 0 ? [1, 1] : x.length === 1 ? [x[0]!, 1] : x)),
      1,
    ),
  );
}

export function tile(a: SecureArray, reps: number | number[]): SecureArray {
  const r = typeof reps === 'number' ? [reps] : reps;
  if (!Array.isArray(r) || !r.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new ParleyError('ERR_SHAPE', `expected non-negative whole repetitions, got ${JSON.stringify(reps)}`);
  return rearrange(a, (s) => tilePositions(s, r));
}

export function repeat(a: SecureArray, repeats: number | number[], axis?: number | null): SecureArray {
  const counts = typeof repeats === 'number' ? [repeats] : repeats;
  if (!Array.isArray(counts) || !counts.every((c) => Number.isSafeInteger(c) && c >= 0))
    throw new ParleyError('ERR_SHAPE', `expected non-negative whole repeat counts, got ${JSON.stringify(repeats)}`);
  if (axis !== undefined && axis !== null && !Number.isInteger(axis))
    throw new ParleyError('ERR_AXIS', `expected an integer axis, got ${String(axis)}`);
  return rearrange(a, (s) => repeatPositions(s, repeats, axis));
}

/** numpy.resize: the flattened values repeated to fill `shape`; an empty array fills with zeros. */
export function resize(a: SecureArray, shape: number | number[]): SecureArray {
  const to = [...checkShape(typeof shape === 'number' ? [shape] : shape)];
  return a.session.derive({
    inputs: [a],
    dtype: a.dtype,
    shape: () => to,
    run: (c) =>
      sizeOf(c.shapes[0]!) === 0
        ? words(sizeOf(to) * c.wire.ring.words)
        : gatherElements(c.shares[0]!, resizePositions(c.shapes[0]!, to).positions, c.wire.ring.words),
  });
}

/** NumPy's a[idx] = value, in place: later uses of `a` see the new contents. */
export function set(a: SecureArray, idx: Index[], value: unknown): SecureArray {
  const s = a.session;
  if (!Array.isArray(idx))
    throw new ParleyError('ERR_INDEX', 'set expects an array of indices, e.g. x.set([0, ":"], v)');
  const o = operand(s, value);
  const v = o.kind === 'secret' ? cast(o.a, a.dtype) : constantPlain(s, o.p, a.dtype);
  const updated = s.derive({
    inputs: [a, v],
    dtype: a.dtype,
    shape: ([as, vs]) => {
      const sel = resolveIndex(as!, idx);
      broadcastPositions(vs!, selectionShape(sel));
      return as!;
    },
    run: (c) => {
      const sel = resolveIndex(c.shapes[0]!, idx);
      const out = c.shares[0]!.slice();
      const at = wordPositions(selectionPositions(c.shapes[0]!, sel), c.wire.ring.words);
      scatter(out, at, broadcastTo(c.shares[1]!, c.shapes[1]!, selectionShape(sel)));
      return out;
    },
  });
  a.share = updated.share;
  return a;
}
