// Reductions along axes: sum and cumsum (local), mean (a sum times a public 1/count), and prod
// (a tree of Beaver products, ⌈log2 n⌉ rounds, each followed by truncation for float64).

import { ParleyError } from '../../shared/errors.js';
import { normalizeAxes, normalizeAxis, sizeOf, type Shape } from '../../shared/nd/shape.js';
import { reductionPositions } from '../../shared/nd/strided.js';
import type { Axis, SecureArray } from './array.js';
import { cast } from './operand.js';
import { div } from './ops-arith.js';
import { reshape } from './ops-shape.js';
import type { TruncMaterial } from './preprocessing.js';
import { beaverMul, truncate } from './protocols.js';

const sumDtype = (a: SecureArray) => (a.dtype === 'bool' ? cast(a, 'int64') : a);

function plan(shape: Shape, axis: Axis) {
  const axes = normalizeAxes(axis, shape.length);
  const r = reductionPositions(shape, axes);
  return { ...r, outSize: sizeOf(r.outShape) };
}

export function sum(a0: SecureArray, axis: Axis): SecureArray {
  const a = sumDtype(a0);
  return a.session.derive({
    inputs: [a],
    dtype: a.dtype,
    shape: ([s]) => plan(s!, axis).outShape,
    run: (c) => {
      const p = plan(c.shapes[0]!, axis);
      const x = c.shares[0]!;
      const out = new BigUint64Array(p.outSize);
      for (let g = 0, k = 0; g < p.outSize; g++) {
        let acc = 0n;
        for (let j = 0; j < p.group; j++, k++) acc += x[p.positions[k]!]!;
        out[g] = acc;
      }
      return out;
    },
  });
}

export function mean(a: SecureArray, axis: Axis): SecureArray {
  const s = sum(a, axis);
  const count = (shape: Shape) => plan(shape, axis).group;
  if (a.knownShape) {
    const n = count(a.knownShape);
    if (n === 0) throw new ParleyError('ERR_BAD_INPUT', 'mean of an empty array');
    return div(s, n);
  }
  throw new ParleyError('ERR_PENDING', "mean needs this array's shape, which comes from another party's input: await x.ready() first");
}

export function cumsum(a0: SecureArray, axis: Axis): SecureArray {
  const a = sumDtype(a0);
  if (axis === undefined || axis === null) return cumsum(reshape(a, [-1]), 0);
  return a.session.derive({
    inputs: [a],
    dtype: a.dtype,
    shape: ([s]) => {
      normalizeAxis(axis, s!.length);
      return s!;
    },
    run: (c) => {
      const shape = c.shapes[0]!;
      const ax = normalizeAxis(axis, shape.length);
      const stride = sizeOf(shape.slice(ax + 1));
      const len = shape[ax]!;
      const x = c.shares[0]!;
      const out = x.slice();
      for (let p = 0; p < out.length; p++) if (Math.floor(p / stride) % len > 0) out[p] = out[p - stride]! + x[p]!;
      return out;
    },
  });
}

function sliceTrunc(m: TruncMaterial, off: number, n: number): TruncMaterial {
  if (m.kind === 'pairs') return { kind: 'pairs', pairs: { r: m.pairs.r.subarray(off, off + n), rt: m.pairs.rt.subarray(off, off + n), msb: m.pairs.msb.subarray(off, off + n) } };
  const t = m.triples;
  return { kind: 'wrap', triples: { a: t.a.subarray(off, off + n), b: t.b.subarray(off, off + n), c: t.c.subarray(off, off + n) } };
}

export function prod(a0: SecureArray, axis: Axis): SecureArray {
  const a = sumDtype(a0);
  const s = a.session;
  const truncates = a.dtype === 'float64';
  const one = a.dtype === 'float64' ? 1n << BigInt(s.fracBits) : 1n;
  return s.derive({
    inputs: [a],
    dtype: a.dtype,
    shape: ([sh]) => plan(sh!, axis).outShape,
    needs: (shapes) => {
      const p = plan(shapes[0]!, axis);
      const products = p.outSize * Math.max(0, p.group - 1);
      return { triples: products, truncations: truncates ? products : 0 };
    },
    run: async (c) => {
      const p = plan(c.shapes[0]!, axis);
      const x = c.shares[0]!;
      // rows[g] holds group g's remaining factors; each level multiplies neighbours pairwise.
      let width = p.group;
      let cur = new BigUint64Array(p.outSize * width);
      for (let k = 0; k < cur.length; k++) cur[k] = x[p.positions[k]!]!;
      if (width === 0) return new BigUint64Array(p.outSize).fill(s.party === 0 ? one : 0n);
      let used = 0;
      for (let level = 0; width > 1; level++) {
        const half = Math.floor(width / 2);
        const n = p.outSize * half;
        const left = new BigUint64Array(n);
        const right = new BigUint64Array(n);
        for (let g = 0; g < p.outSize; g++) {
          for (let i = 0; i < half; i++) {
            left[g * half + i] = cur[g * width + 2 * i]!;
            right[g * half + i] = cur[g * width + 2 * i + 1]!;
          }
        }
        const t = c.material!.triples;
        let z = await beaverMul(c.wire, c.key(2 * level), left, right, { a: t.a.subarray(used, used + n), b: t.b.subarray(used, used + n), c: t.c.subarray(used, used + n) });
        if (truncates) z = await truncate(c.wire, c.key(2 * level + 1), z, s.fracBits, sliceTrunc(c.material!.trunc, used, n));
        used += n;
        const next = width - half;
        const merged = new BigUint64Array(p.outSize * next);
        for (let g = 0; g < p.outSize; g++) {
          merged.set(z.subarray(g * half, (g + 1) * half), g * next);
          if (width % 2 === 1) merged[g * next + half] = cur[g * width + width - 1]!;
        }
        cur = merged;
        width = next;
      }
      return cur;
    },
  });
}
