// Reductions along axes: sum and cumsum (local), mean (a sum times a public 1/count), and prod
// (a tree of Beaver products, ⌈log2 n⌉ rounds, each followed by truncation for float64).

import { ParleyError } from '../../shared/errors.js';
import { normalizeAxes, normalizeAxis, type Shape, sizeOf } from '../../shared/nd/shape.js';
import { reductionPositions } from '../../shared/nd/strided.js';
import type { Axis, SecureArray } from './array.js';
import { sliceMaterial, widen } from './operand.js';
import { reshape } from './ops-shape.js';
import { beaverMul, truncate } from './protocols.js';
import type { RunContext } from './session.js';
import type { Plain } from './values.js';

const sumDtype = (a: SecureArray) => (a.dtype === 'bool' ? widen(a, 'int64') : a);

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
      if (c.wire.ring.words === 2) return sumWide(x, p);
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

/** Group sums in Z_2^128 (two words per element, low first): BigInt sums, wrapped once per group. */
function sumWide(x: BigUint64Array, p: { outSize: number; group: number; positions: Float64Array }): BigUint64Array {
  const out = new BigUint64Array(2 * p.outSize);
  for (let g = 0, k = 0; g < p.outSize; g++) {
    let acc = 0n;
    for (let j = 0; j < p.group; j++, k++) acc += x[2 * p.positions[k]!]! + (x[2 * p.positions[k]! + 1]! << 64n);
    out[2 * g] = BigInt.asUintN(64, acc);
    out[2 * g + 1] = BigInt.asUintN(64, acc >> 64n);
  }
  return out;
}

/** Fractional bits of a public reciprocal 1/n or 1/Σw: keeps |result|·2^(f+bits) below 2^62. */
const reciprocalBits = (f: number) => Math.min(2 * f, 32);

/**
 * 1/n's fractional bits in the wide ring: |Σ|·2^(f+56) stays below 2^126 while |Σ| < 2^(70−f)
 * (1.8·10^16 at f = 16, past the sum of 100 inputs at the edge of the range), and rounding 1/n
 * adds at most |Σ|·2^-57 (below 2^-17 while |Σ| < 2^40).
 */
const WIDE_RECIPROCAL_BITS = 56;

/**
 * sum times the public 1/count, in one operation (the count may still be on its way): 1/n is
 * encoded with min(2f, 32) fractional bits (56 in the wide ring) and the product truncated once,
 * so the mean is within about one unit in the last place while |mean| < 2^(30−f) (16,384 at
 * f = 16; in the wide ring while |Σ| < 2^(70−f)).
 */
export function mean(a: SecureArray, axis: Axis): SecureArray {
  const total = sum(a, axis);
  const s = a.session;
  const f = s.fracBits;
  const count = (shape: Shape) => {
    const n = plan(shape, axis).group;
    if (n === 0) throw new ParleyError('ERR_BAD_INPUT', 'mean of an empty array');
    return n;
  };
  const wide = s.ring.bits === 128;
  const frac = wide ? WIDE_RECIPROCAL_BITS : reciprocalBits(f);
  const fx = total.dtype === 'float64' ? f : 0;
  const shift = (n: number) => (n === 1 ? 0 : fx + frac - f);
  const inverse = (n: number) =>
    wide ? ((1n << BigInt(frac)) + BigInt(n >> 1)) / BigInt(n) : BigInt(Math.round(2 ** frac / n));
  return s.derive({
    inputs: [total, a],
    dtype: 'float64',
    shape: ([t, sh]) => (count(sh!), t!),
    needs: ([t, sh]) => ({ truncations: shift(count(sh!)) > 0 ? sizeOf(t!) : 0 }),
    run: async (c) => {
      const n = count(c.shapes[1]!);
      const x = c.shares[0]!;
      if (n === 1) return total.dtype === 'float64' ? x.slice() : s.ring.mulScalar(x, 1n << BigInt(f));
      const scaled = s.ring.mulScalar(x, inverse(n));
      return truncate(c.wire, c.key(0), scaled, shift(n), c.material!.trunc);
    },
  });
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
      if (c.wire.ring.words === 2) {
        // Element p is words 2p (low) and 2p + 1 (high); the carry goes from one to the other.
        for (let p = 0; p < out.length / 2; p++)
          if (Math.floor(p / stride) % len > 0) {
            const lo = out[2 * (p - stride)]! + x[2 * p]!;
            out[2 * p + 1] = out[2 * (p - stride) + 1]! + x[2 * p + 1]! + (lo > 0xffffffffffffffffn ? 1n : 0n);
            out[2 * p] = lo;
          }
        return out;
      }
      for (let p = 0; p < out.length; p++) if (Math.floor(p / stride) % len > 0) out[p] = out[p - stride]! + x[p]!;
      return out;
    },
  });
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
      if (s.ring.words === 2) return prodWide(c, p, x, truncates, one);
      // rows[g] holds group g's remaining factors; each level multiplies neighbours pairwise.
      let width = p.group;
      let cur = new BigUint64Array(p.outSize * width);
      for (let k = 0; k < cur.length; k++) cur[k] = x[p.positions[k]!]!;
      if (width === 0) return new BigUint64Array(p.outSize).fill(s.party === 0 ? one : 0n);
      let used = 0;
      let stage = 0;
      while (width > 1) {
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
        let z = await beaverMul(c.wire, c.key(stage++), left, right, {
          a: t.a.subarray(used, used + n),
          b: t.b.subarray(used, used + n),
          c: t.c.subarray(used, used + n),
        });
        if (truncates)
          z = await truncate(c.wire, c.key(stage++), z, s.fracBits, sliceMaterial(c.material!.trunc, used, n));
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

/** Elements idx[k] of src (two words each), in that order. */
function pick(src: BigUint64Array, idx: ArrayLike<number>): BigUint64Array {
  const out = new BigUint64Array(2 * idx.length);
  for (let k = 0; k < idx.length; k++) {
    out[2 * k] = src[2 * idx[k]!]!;
    out[2 * k + 1] = src[2 * idx[k]! + 1]!;
  }
  return out;
}

/** prod's tree in Z_2^128 (two words per element; the triples and bit products likewise). */
async function prodWide(
  c: RunContext,
  p: ReturnType<typeof plan>,
  x: BigUint64Array,
  truncates: boolean,
  one: bigint,
): Promise<BigUint64Array> {
  const s = c.wire.ring;
  let width = p.group;
  let cur = pick(x, p.positions.subarray(0, p.outSize * width));
  if (width === 0) {
    const out = new BigUint64Array(2 * p.outSize);
    return c.wire.party === 0 ? s.addScalar(out, one) : out;
  }
  let used = 0;
  let stage = 0;
  while (width > 1) {
    const half = Math.floor(width / 2);
    const n = p.outSize * half;
    const at = (i: number) => Math.floor(i / half) * width + 2 * (i % half);
    const left = pick(
      cur,
      Array.from({ length: n }, (_, i) => at(i)),
    );
    const right = pick(
      cur,
      Array.from({ length: n }, (_, i) => at(i) + 1),
    );
    const t = c.material!.triples;
    const span = (v: BigUint64Array) => v.subarray(2 * used, 2 * (used + n));
    let z = await beaverMul(c.wire, c.key(stage++), left, right, { a: span(t.a), b: span(t.b), c: span(t.c) });
    if (truncates) {
      const b = c.material!.trunc.bits;
      z = await truncate(c.wire, c.key(stage++), z, c.session.fracBits, {
        kind: 'bits',
        bits: { mine: b.mine.subarray(used, used + n), z: span(b.z) },
      });
    }
    used += n;
    const next = width - half;
    // Group g's products, then its odd factor out, if any.
    const zi = (g: number, j: number) => (j < half ? g * half + j : -1);
    const merged = new BigUint64Array(2 * p.outSize * next);
    for (let g = 0; g < p.outSize; g++)
      for (let j = 0; j < next; j++) {
        const from = zi(g, j) >= 0 ? z : cur;
        const e = zi(g, j) >= 0 ? zi(g, j) : g * width + width - 1;
        merged[2 * (g * next + j)] = from[2 * e]!;
        merged[2 * (g * next + j) + 1] = from[2 * e + 1]!;
      }
    cur = merged;
    width = next;
  }
  return cur;
}

/**
 * numpy.average with public weights, as NumPy computes it: Σ x·w / Σ w along the axes. The
 * products are summed exactly (whole-number weights stay integers; others get f fractional bits
 * and one truncation), then each group is multiplied by 1/Σw with r fractional bits and truncated
 * back to f: r = min(2f, 32) in Z_2^64, within about 2·2^-f while |Σ x·w| < 2^(62−2f) and
 * |average| < 2^(30−f); r = 56 in Z_2^128 (as mean), while |Σ x·w| < 2^(126−2f) and
 * |average| < 2^(70−f).
 */
export function average(a0: SecureArray, axis: Axis, weights: Plain): SecureArray {
  const a = a0.dtype === 'bool' ? widen(a0, 'int64') : a0;
  const s = a.session;
  const f = s.fracBits;
  const wholeWeights = weights.values.every((v) => Number.isInteger(Number(v)));
  const fw = wholeWeights ? 0 : f;
  const fx = a.dtype === 'float64' ? f : 0;
  // Σ x·w carries fx + fw fractional bits; bring it to at most f, then × 1/Σw → f.
  const first = fx + fw === 2 * f ? 1 : 0;
  const scale = fx + fw - first * f;
  const frac = s.ring.bits === 128 ? WIDE_RECIPROCAL_BITS : reciprocalBits(f);
  const second = scale + frac - f;
  const shifts = first + 1;
  const encoded = weights.values.map((v) => BigInt(Math.round(Number(v) * 2 ** fw)));
  /** Each position's weight index: the weights laid out like x. */
  const layout = (shape: Shape): Float64Array => {
    if (weights.shape.length === shape.length && weights.shape.every((d, i) => d === shape[i]))
      return Float64Array.from({ length: sizeOf(shape) }, (_, p) => p);
    if (weights.shape.length !== 1 || typeof axis !== 'number') {
      throw new ParleyError(
        'ERR_SHAPE',
        `weights of shape (${weights.shape.join(', ')}) need the shape of x (${shape.join(', ')}), or 1-D weights and one axis`,
      );
    }
    const ax = normalizeAxis(axis, shape.length);
    if (weights.shape[0] !== shape[ax])
      throw new ParleyError(
        'ERR_SHAPE',
        `1-D weights of length ${weights.shape[0]} do not match axis ${axis} of length ${shape[ax]}`,
      );
    const stride = sizeOf(shape.slice(ax + 1));
    return Float64Array.from({ length: sizeOf(shape) }, (_, p) => Math.floor(p / stride) % shape[ax]!);
  };
  /** 1/Σw per group, with min(2f, 32) fractional bits. */
  const reciprocals = (shape: Shape): bigint[] => {
    const w = layout(shape);
    const p = plan(shape, axis);
    return Array.from({ length: p.outSize }, (_, g) => {
      let total = 0;
      for (let j = 0; j < p.group; j++) total += Number(weights.values[w[p.positions[g * p.group + j]!]!]);
      if (total === 0 || !Number.isFinite(total))
        throw new ParleyError('ERR_BAD_INPUT', 'weights must sum to a finite, non-zero number along the axis');
      return BigInt(Math.round(2 ** frac / total));
    });
  };
  return s.derive({
    inputs: [a],
    dtype: 'float64',
    shape: ([sh]) => (reciprocals(sh!), plan(sh!, axis).outShape),
    needs: (_, out) => ({ truncations: shifts * sizeOf(out) }),
    run: async (c) => {
      const shape = c.shapes[0]!;
      const w = layout(shape);
      const inv = reciprocals(shape);
      const p = plan(shape, axis);
      const x = c.shares[0]!;
      const { bits, words } = s.ring;
      const get = (v: BigUint64Array, i: number) => (words === 1 ? v[i]! : v[2 * i]! + (v[2 * i + 1]! << 64n));
      const put = (v: BigUint64Array, i: number, e: bigint) => {
        const t = BigInt.asUintN(bits, e);
        if (words === 1) v[i] = t;
        else [v[2 * i], v[2 * i + 1]] = [BigInt.asUintN(64, t), t >> 64n];
      };
      let out: BigUint64Array = new BigUint64Array(words * p.outSize);
      for (let g = 0, k = 0; g < p.outSize; g++) {
        let acc = 0n;
        for (let j = 0; j < p.group; j++, k++) acc += get(x, p.positions[k]!) * encoded[w[p.positions[k]!]!]!;
        put(out, g, acc);
      }
      const n = p.outSize;
      const b = c.material!.trunc.bits;
      let step = 0;
      const trunc = async (v: BigUint64Array, by: number) => {
        const [lo, hi] = [step * n, (step + 1) * n];
        const bitsAt = { mine: b.mine.subarray(lo, hi), z: b.z.subarray(words * lo, words * hi) };
        return truncate(c.wire, c.key(step++), v, by, { kind: 'bits', bits: bitsAt });
      };
      if (first) out = await trunc(out, f);
      const scaledOut = new BigUint64Array(out.length);
      for (let g = 0; g < n; g++) put(scaledOut, g, get(out, g) * inv[g]!);
      out = scaledOut;
      return trunc(out, second);
    },
  });
}
