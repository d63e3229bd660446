// An independent NumPy-exact plaintext reference on plain number arrays for the SecureNumpy conformance suite; shares no code with the engine.

export interface Arr {
  shape: number[];
  /** Row-major values; booleans are 0/1. */
  data: number[];
}
export type Nested = number | boolean | readonly Nested[];
export type Axis = number | null | undefined;
export type Index = number | string;
export type Operand = Arr | Nested;

/** A refusal of the reference, with the code the engine is expected to use for the same input. */
export class RefError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes, conversion, positions

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape: readonly number[]): number[] {
  const st: number[] = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) st[i] = st[i + 1]! * shape[i + 1]!;
  return st;
}

/** Multi-index of a row-major flat position. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx[d] = flat % n;
    flat = Math.floor(flat / n);
  }
  return idx;
}

/** Row-major flat position of a multi-index. */
export function ravelIndex(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + idx[d]!;
  return flat;
}

export function make(shape: readonly number[], data: readonly number[]): Arr {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new RefError('ERR_SHAPE', `bad shape [${shape.join(', ')}]`);
  if (sizeOf(shape) !== data.length)
    throw new RefError('ERR_SHAPE', `shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${data.length}`);
  return { shape: [...shape], data: [...data] };
}

export function isArr(x: unknown): x is Arr {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    Array.isArray((x as Arr).shape) &&
    Array.isArray((x as Arr).data)
  );
}

/** Nested plain arrays (numbers or booleans) to an Arr; ragged input is refused. */
export function fromNested(x: Nested): Arr {
  const shape: number[] = [];
  let cur: Nested = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = (cur as readonly Nested[])[0]!;
  }
  const data: number[] = [];
  const walk = (v: Nested, d: number): void => {
    if (d === shape.length) {
      if (Array.isArray(v)) throw new RefError('ERR_SHAPE', 'ragged nested array');
      data.push(typeof v === 'boolean' ? Number(v) : (v as number));
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) throw new RefError('ERR_SHAPE', 'ragged nested array');
    for (const e of v as readonly Nested[]) walk(e, d + 1);
  };
  walk(x, 0);
  return { shape, data };
}

/** Nested plain arrays; a plain number for a 0-d array. */
export function toNested(a: Arr): unknown {
  const build = (d: number, offset: number): unknown => {
    if (d === a.shape.length) return a.data[offset];
    const stride = sizeOf(a.shape.slice(d + 1));
    return Array.from({ length: a.shape[d]! }, (_, i) => build(d + 1, offset + i * stride));
  };
  return build(0, 0);
}

export const asArr = (x: Operand): Arr => (isArr(x) ? x : fromNested(x));

export const scalar = (v: number): Arr => ({ shape: [], data: [v] });

export function normAxis(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RefError('ERR_AXIS', `axis ${axis} is out of bounds for an array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

// ---------------------------------------------------------------------------------------------
// Broadcasting and element-wise operations

export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = ndim - s.length + i;
      const d = s[i]!;
      if (d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else if (out[o] !== d) {
        throw new RefError('ERR_SHAPE', `shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(', ')} do not broadcast`);
      }
    }
  }
  return out;
}

export function broadcastTo(x: Operand, shape: readonly number[]): Arr {
  const a = asArr(x);
  if (a.shape.length > shape.length)
    throw new RefError('ERR_SHAPE', `cannot broadcast [${a.shape.join(', ')}] to [${shape.join(', ')}]`);
  const lead = shape.length - a.shape.length;
  a.shape.forEach((d, i) => {
    if (d !== 1 && d !== shape[lead + i])
      throw new RefError('ERR_SHAPE', `cannot broadcast [${a.shape.join(', ')}] to [${shape.join(', ')}]`);
  });
  const n = sizeOf(shape);
  const data = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape)
      .slice(lead)
      .map((v, d) => (a.shape[d] === 1 ? 0 : v));
    data[i] = a.data[ravelIndex(idx, a.shape)]!;
  }
  return { shape: [...shape], data };
}

export function map(x: Operand, f: (v: number, i: number) => number): Arr {
  const a = asArr(x);
  return { shape: [...a.shape], data: a.data.map(f) };
}

export function binary(x: Operand, y: Operand, f: (a: number, b: number) => number): Arr {
  const a = asArr(x);
  const b = asArr(y);
  const shape = broadcastShapes(a.shape, b.shape);
  const A = broadcastTo(a, shape);
  const B = broadcastTo(b, shape);
  return { shape, data: A.data.map((v, i) => f(v, B.data[i]!)) };
}

export const add = (x: Operand, y: Operand) => binary(x, y, (a, b) => a + b);
export const sub = (x: Operand, y: Operand) => binary(x, y, (a, b) => a - b);
export const mul = (x: Operand, y: Operand) => binary(x, y, (a, b) => a * b);
export const div = (x: Operand, y: Operand) => binary(x, y, (a, b) => a / b);
export const neg = (x: Operand) => map(x, (v) => -v);
export const abs = (x: Operand) => map(x, (v) => Math.abs(v));
export const square = (x: Operand) => map(x, (v) => v * v);
export function power(x: Operand, n: number): Arr {
  if (!Number.isInteger(n)) throw new RefError('ERR_UNSUPPORTED', `expected an integer exponent, got ${n}`);
  return map(x, (v) => v ** n);
}
export const logicalAnd = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a !== 0 && b !== 0 ? 1 : 0));
export const logicalOr = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a !== 0 || b !== 0 ? 1 : 0));
export const logicalXor = (x: Operand, y: Operand) => binary(x, y, (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0));
export const logicalNot = (x: Operand) => map(x, (v) => (v === 0 ? 1 : 0));
export const onesLike = (x: Operand) => map(x, () => 1);

// ---------------------------------------------------------------------------------------------
// Reductions

function reduce(x: Operand, axis: Axis, init: number, f: (acc: number, v: number) => number): Arr {
  const a = asArr(x);
  if (axis === null || axis === undefined) return scalar(a.data.reduce(f, init));
  // NumPy's legacy rule: a 0-d array reduces over axis 0 or -1 as if over all axes.
  if (a.shape.length === 0 && (axis === 0 || axis === -1)) return scalar(a.data.reduce(f, init));
  const ax = normAxis(axis, a.shape.length);
  const outShape = a.shape.filter((_, d) => d !== ax);
  const out = new Array<number>(sizeOf(outShape)).fill(init);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape);
    idx.splice(ax, 1);
    const o = ravelIndex(idx, outShape);
    out[o] = f(out[o]!, a.data[i]!);
  }
  return { shape: outShape, data: out };
}

export const sum = (x: Operand, axis?: Axis) => reduce(x, axis, 0, (s, v) => s + v);
export const prod = (x: Operand, axis?: Axis) => reduce(x, axis, 1, (s, v) => s * v);

export function mean(x: Operand, axis?: Axis): Arr {
  const a = asArr(x);
  const count = axis === null || axis === undefined ? a.data.length : a.shape[normAxis(axis, a.shape.length)]!;
  return map(sum(a, axis), (v) => v / count);
}

/** np.cumsum: without an axis the array is flattened first. */
export function cumsum(x: Operand, axis?: Axis): Arr {
  let a = asArr(x);
  if (axis === null || axis === undefined || a.shape.length === 0) a = flatten(a); // NumPy ravels a 0-d input
  const ax = normAxis(axis ?? 0, a.shape.length);
  const stride = stridesOf(a.shape)[ax] ?? 1;
  const out = [...a.data];
  for (let i = 0; i < out.length; i++) {
    if (unravel(i, a.shape)[ax]! > 0) out[i] = out[i - stride]! + out[i]!;
  }
  return { shape: [...a.shape], data: out };
}

/** np.average: weights either of x's shape, or 1-D along the given axis. */
export function average(x: Operand, axis?: Axis, weights?: Operand): Arr {
  const a = asArr(x);
  if (weights === undefined) return mean(a, axis);
  let w = asArr(weights);
  if (w.shape.join() !== a.shape.join()) {
    if (axis === null || axis === undefined)
      throw new RefError('ERR_SHAPE', 'axis must be given when the weights differ in shape');
    if (w.shape.length !== 1) throw new RefError('ERR_SHAPE', '1-D weights expected when shapes differ');
    const ax = normAxis(axis, a.shape.length);
    if (w.shape[0] !== a.shape[ax]) throw new RefError('ERR_SHAPE', 'the length of the weights differs from the axis');
    w = broadcastTo(
      reshape(
        w,
        a.shape.map((d, i) => (i === ax ? d : 1)),
      ),
      a.shape,
    );
  }
  return div(sum(mul(a, w), axis), sum(w, axis));
}

// ---------------------------------------------------------------------------------------------
// Linear algebra

/** np.matmul: 1-D operands gain a dimension that is removed again; batch dimensions broadcast. */
export function matmul(x: Operand, y: Operand): Arr {
  const a = asArr(x);
  const b = asArr(y);
  if (a.shape.length === 0 || b.shape.length === 0)
    throw new RefError('ERR_SHAPE', 'matmul does not take 0-d operands');
  const A = a.shape.length === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const B = b.shape.length === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const [n, k] = A.shape.slice(-2) as [number, number];
  const [k2, m] = B.shape.slice(-2) as [number, number];
  if (k !== k2) throw new RefError('ERR_SHAPE', `matmul: inner dimensions ${k} and ${k2} differ`);
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const Ab = broadcastTo(A, [...batch, n, k]);
  const Bb = broadcastTo(B, [...batch, k, m]);
  const nb = sizeOf(batch);
  const data: number[] = [];
  for (let t = 0; t < nb; t++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += Ab.data[t * n * k + i * k + l]! * Bb.data[t * k * m + l * m + j]!;
        data.push(s);
      }
    }
  }
  const shape = [...batch];
  if (a.shape.length > 1) shape.push(n);
  if (b.shape.length > 1) shape.push(m);
  return { shape, data };
}

/** np.dot: scalars multiply; otherwise a sum over a's last axis and b's second-to-last (or only) axis. */
export function dot(x: Operand, y: Operand): Arr {
  const a = asArr(x);
  const b = asArr(y);
  if (a.shape.length === 0 || b.shape.length === 0) return mul(a, b);
  const k = a.shape[a.shape.length - 1]!;
  const kAxisB = b.shape.length === 1 ? 0 : b.shape.length - 2;
  if (b.shape[kAxisB] !== k) throw new RefError('ERR_SHAPE', `dot: ${k} and ${b.shape[kAxisB]} differ`);
  const aOuter = a.shape.slice(0, -1);
  const bOuter = b.shape.filter((_, d) => d !== kAxisB);
  const shape = [...aOuter, ...bOuter];
  const data = new Array<number>(sizeOf(shape));
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape);
    const ia = idx.slice(0, aOuter.length);
    const ib = idx.slice(aOuter.length);
    let s = 0;
    for (let l = 0; l < k; l++) {
      const jb = [...ib];
      jb.splice(kAxisB, 0, l);
      s += a.data[ravelIndex([...ia, l], a.shape)]! * b.data[ravelIndex(jb, b.shape)]!;
    }
    data[o] = s;
  }
  return { shape, data };
}

/** np.inner: scalars multiply; otherwise a sum over the last axes of both. */
export function inner(x: Operand, y: Operand): Arr {
  const a = asArr(x);
  const b = asArr(y);
  if (a.shape.length === 0 || b.shape.length === 0) return mul(a, b);
  const k = a.shape[a.shape.length - 1]!;
  if (b.shape[b.shape.length - 1] !== k)
    throw new RefError('ERR_SHAPE', `inner: last dimensions ${k} and ${b.shape[b.shape.length - 1]} differ`);
  const aOuter = a.shape.slice(0, -1);
  const bOuter = b.shape.slice(0, -1);
  const shape = [...aOuter, ...bOuter];
  const data = new Array<number>(sizeOf(shape));
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape);
    const ia = idx.slice(0, aOuter.length);
    const ib = idx.slice(aOuter.length);
    let s = 0;
    for (let l = 0; l < k; l++)
      s += a.data[ravelIndex([...ia, l], a.shape)]! * b.data[ravelIndex([...ib, l], b.shape)]!;
    data[o] = s;
  }
  return { shape, data };
}

/** np.outer: both operands are flattened. */
export function outer(x: Operand, y: Operand): Arr {
  const a = flatten(x);
  const b = flatten(y);
  const data: number[] = [];
  for (const u of a.data) for (const v of b.data) data.push(u * v);
  return { shape: [a.data.length, b.data.length], data };
}

// ---------------------------------------------------------------------------------------------
// Shape manipulation

const shapeArg = (s: number | readonly number[]): number[] => (typeof s === 'number' ? [s] : [...s]);

export function reshape(x: Operand, newShape: number | readonly number[]): Arr {
  const a = asArr(x);
  const shape = shapeArg(newShape);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new RefError('ERR_SHAPE', 'can only specify one unknown dimension');
  if (shape.some((d) => !Number.isInteger(d) || d < -1))
    throw new RefError('ERR_SHAPE', `bad shape [${shape.join(', ')}]`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  if (unknown === 1) {
    if (known === 0 || a.data.length % known !== 0) {
      throw new RefError('ERR_SHAPE', `cannot reshape an array of size ${a.data.length} into [${shape.join(', ')}]`);
    }
    shape[shape.indexOf(-1)] = a.data.length / known;
  }
  if (sizeOf(shape) !== a.data.length)
    throw new RefError('ERR_SHAPE', `cannot reshape an array of size ${a.data.length} into [${shape.join(', ')}]`);
  return { shape, data: [...a.data] };
}

export function transpose(x: Operand, axes?: readonly number[] | null): Arr {
  const a = asArr(x);
  const nd = a.shape.length;
  const perm =
    axes === undefined || axes === null ? a.shape.map((_, i) => nd - 1 - i) : axes.map((ax) => normAxis(ax, nd));
  if (perm.length !== nd)
    throw new RefError('ERR_AXIS', `axes [${perm.join(', ')}] do not match an array of dimension ${nd}`);
  if (new Set(perm).size !== nd) throw new RefError('ERR_AXIS', `repeated axis in [${perm.join(', ')}]`);
  const shape = perm.map((p) => a.shape[p]!);
  const data = new Array<number>(a.data.length);
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape);
    const src = new Array<number>(nd);
    perm.forEach((p, i) => (src[p] = idx[i]!));
    data[o] = a.data[ravelIndex(src, a.shape)]!;
  }
  return { shape, data };
}

export function flatten(x: Operand): Arr {
  const a = asArr(x);
  return { shape: [a.data.length], data: [...a.data] };
}
export const ravel = flatten;

export function concatenate(xs: readonly Operand[], axis: number | null = 0): Arr {
  if (xs.length === 0) throw new RefError('ERR_SHAPE', 'need at least one array to concatenate');
  let arrs = xs.map(asArr);
  let ax = 0;
  if (axis === null) arrs = arrs.map(flatten);
  else {
    const nd = arrs[0]!.shape.length;
    if (nd === 0) throw new RefError('ERR_SHAPE', 'zero-dimensional arrays cannot be concatenated');
    if (arrs.some((a) => a.shape.length !== nd))
      throw new RefError('ERR_SHAPE', 'all arrays must have the same number of dimensions');
    ax = normAxis(axis, nd);
    for (const a of arrs) {
      if (a.shape.some((d, i) => i !== ax && d !== arrs[0]!.shape[i])) {
        throw new RefError(
          'ERR_SHAPE',
          `shapes [${a.shape.join(', ')}] and [${arrs[0]!.shape.join(', ')}] differ off axis ${ax}`,
        );
      }
    }
  }
  const first = arrs[0]!.shape;
  const shape = [...first];
  shape[ax] = arrs.reduce((s, a) => s + a.shape[ax]!, 0);
  const outer = sizeOf(first.slice(0, ax));
  const innerSize = sizeOf(first.slice(ax + 1));
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const a of arrs) {
      const chunk = a.shape[ax]! * innerSize;
      data.push(...a.data.slice(o * chunk, (o + 1) * chunk));
    }
  }
  return { shape, data };
}

export function stack(xs: readonly Operand[], axis = 0): Arr {
  if (xs.length === 0) throw new RefError('ERR_SHAPE', 'need at least one array to stack');
  const arrs = xs.map(asArr);
  const s0 = arrs[0]!.shape;
  if (arrs.some((a) => a.shape.join() !== s0.join()))
    throw new RefError('ERR_SHAPE', 'all input arrays must have the same shape');
  const ax = normAxis(axis, s0.length + 1);
  const expanded = [...s0.slice(0, ax), 1, ...s0.slice(ax)];
  return concatenate(
    arrs.map((a) => reshape(a, expanded)),
    ax,
  );
}

export function atleast1d(x: Operand): Arr {
  const a = asArr(x);
  return a.shape.length === 0 ? reshape(a, [1]) : a;
}
export function atleast2d(x: Operand): Arr {
  const a = asArr(x);
  if (a.shape.length === 0) return reshape(a, [1, 1]);
  if (a.shape.length === 1) return reshape(a, [1, a.shape[0]!]);
  return a;
}

export const vstack = (xs: readonly Operand[]) => concatenate(xs.map(atleast2d), 0);
export const rowStack = vstack;
export function hstack(xs: readonly Operand[]): Arr {
  const arrs = xs.map(atleast1d);
  return concatenate(arrs, arrs[0]?.shape.length === 1 ? 0 : 1);
}
export function columnStack(xs: readonly Operand[]): Arr {
  return concatenate(
    xs.map(asArr).map((a) => (a.shape.length < 2 ? reshape(a, [a.data.length, 1]) : a)),
    1,
  );
}

/** np.resize: the flattened data repeated cyclically (zeros if the input is empty). */
export function resize(x: Operand, newShape: number | readonly number[]): Arr {
  const a = asArr(x);
  const shape = shapeArg(newShape);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new RefError('ERR_SHAPE', `all elements of the new shape must be non-negative, got [${shape.join(', ')}]`);
  const n = sizeOf(shape);
  const data = Array.from({ length: n }, (_, i) => (a.data.length === 0 ? 0 : a.data[i % a.data.length]!));
  return { shape, data };
}

/** np.repeat: each element (or slice along `axis`) repeated; without an axis the input is flattened. */
export function repeat(x: Operand, repeats: number | readonly number[], axis?: Axis): Arr {
  let a = asArr(x);
  let ax = 0;
  if (axis === null || axis === undefined) a = flatten(a);
  else ax = normAxis(axis, a.shape.length);
  const n = a.shape[ax]!;
  let reps = typeof repeats === 'number' ? new Array<number>(n).fill(repeats) : [...repeats];
  if (reps.length === 1) reps = new Array<number>(n).fill(reps[0]!);
  if (reps.length !== n)
    throw new RefError('ERR_SHAPE', `repeats has ${reps.length} entries for an axis of length ${n}`);
  if (reps.some((r) => !Number.isInteger(r) || r < 0))
    throw new RefError('ERR_SHAPE', 'repeats must be non-negative integers');
  const shape = [...a.shape];
  shape[ax] = reps.reduce((s, r) => s + r, 0);
  const outer = sizeOf(a.shape.slice(0, ax));
  const innerSize = sizeOf(a.shape.slice(ax + 1));
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const start = (o * n + i) * innerSize;
      for (let r = 0; r < reps[i]!; r++) data.push(...a.data.slice(start, start + innerSize));
    }
  }
  return { shape, data };
}

/** np.tile: reps shorter than ndim gain leading ones; an array of lower rank gains leading axes. */
export function tile(x: Operand, reps: number | readonly number[]): Arr {
  const a = asArr(x);
  let r = shapeArg(reps);
  if (r.some((v) => !Number.isInteger(v) || v < 0))
    throw new RefError('ERR_SHAPE', 'reps must be non-negative integers');
  if (r.length < a.shape.length) r = [...new Array<number>(a.shape.length - r.length).fill(1), ...r];
  const src = [...new Array<number>(r.length - a.shape.length).fill(1), ...a.shape];
  const shape = src.map((d, i) => d * r[i]!);
  const data = new Array<number>(sizeOf(shape));
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape).map((v, i) => v % src[i]!);
    data[o] = a.data[ravelIndex(idx, src)]!;
  }
  return { shape, data };
}

// ---------------------------------------------------------------------------------------------
// Basic indexing

export interface SliceParts {
  start?: number;
  stop?: number;
  step?: number;
}

/** Parses 'start:stop:step' (each part optional, integers only). */
export function parseSlice(text: string): SliceParts {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) throw new RefError('ERR_INDEX', `malformed slice '${text}'`);
  const nums = parts.map((p) => {
    const t = p.trim();
    if (t === '') return undefined;
    if (!/^[+-]?\d+$/.test(t)) throw new RefError('ERR_INDEX', `malformed slice '${text}'`);
    return Number(t);
  });
  if (nums[2] === 0) throw new RefError('ERR_INDEX', 'slice step cannot be zero');
  return { start: nums[0], stop: nums[1], step: nums[2] };
}

/** The positions a slice selects on an axis of length n, following Python's slice.indices. */
export function sliceIndices(n: number, s: SliceParts): number[] {
  const step = s.step ?? 1;
  const lower = step < 0 ? -1 : 0;
  const upper = step < 0 ? n - 1 : n;
  const fix = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, lower), upper);
  };
  const start = fix(s.start, step < 0 ? upper : lower);
  const stop = fix(s.stop, step < 0 ? lower : upper);
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

interface Selection {
  positions: number[][];
  keep: boolean[];
}

function select(shape: readonly number[], idx: readonly Index[]): Selection {
  if (idx.length > shape.length)
    throw new RefError('ERR_INDEX', `too many indices: ${idx.length} for ${shape.length} dimensions`);
  const positions: number[][] = [];
  const keep: boolean[] = [];
  shape.forEach((n, d) => {
    const i = idx[d];
    if (i === undefined) {
      positions.push(Array.from({ length: n }, (_, j) => j));
      keep.push(true);
    } else if (typeof i === 'number') {
      if (!Number.isInteger(i) || i < -n || i >= n)
        throw new RefError('ERR_INDEX', `index ${i} is out of bounds for axis ${d} with size ${n}`);
      positions.push([i < 0 ? i + n : i]);
      keep.push(false);
    } else {
      positions.push(sliceIndices(n, parseSlice(i)));
      keep.push(true);
    }
  });
  return { positions, keep };
}

const selShape = (sel: Selection) => sel.positions.filter((_, d) => sel.keep[d]).map((p) => p.length);

function selSources(shape: readonly number[], sel: Selection): number[] {
  const full = sel.positions.map((p) => p.length);
  return Array.from({ length: sizeOf(full) }, (_, o) => {
    const idx = unravel(o, full).map((v, d) => sel.positions[d]![v]!);
    return ravelIndex(idx, shape);
  });
}

/** x[idx...] with integers (negative allowed) and slice strings; integer axes are dropped. */
export function get(x: Operand, ...idx: Index[]): Arr {
  const a = asArr(x);
  const sel = select(a.shape, idx);
  return { shape: selShape(sel), data: selSources(a.shape, sel).map((s) => a.data[s]!) };
}

/** A copy of x with x[idx...] = value (value broadcast to the selection's shape). */
export function set(x: Operand, idx: readonly Index[], value: Operand): Arr {
  const a = asArr(x);
  const sel = select(a.shape, idx);
  const target = selShape(sel);
  let v = asArr(value);
  // NumPy drops leading length-1 axes of the value that the selection does not have.
  while (v.shape.length > target.length && v.shape[0] === 1) v = { shape: v.shape.slice(1), data: v.data };
  v = broadcastTo(v, target);
  const data = [...a.data];
  selSources(a.shape, sel).forEach((s, i) => (data[s] = v.data[i]!));
  return { shape: [...a.shape], data };
}

// ---------------------------------------------------------------------------------------------
// Creation

export const full = (shape: number | readonly number[], value: number): Arr => {
  const s = shapeArg(shape);
  if (s.some((d) => !Number.isInteger(d) || d < 0)) throw new RefError('ERR_SHAPE', `bad shape [${s.join(', ')}]`);
  return { shape: s, data: new Array<number>(sizeOf(s)).fill(value) };
};
export const zeros = (shape: number | readonly number[]) => full(shape, 0);
export const ones = (shape: number | readonly number[]) => full(shape, 1);

export function eye(N: number, M?: number | null, k = 0): Arr {
  const m = M ?? N;
  const data: number[] = [];
  for (let i = 0; i < N; i++) for (let j = 0; j < m; j++) data.push(j - i === k ? 1 : 0);
  return { shape: [N, m], data };
}
export const identity = (n: number) => eye(n);

/** np.arange: values start + i·((start + step) − start), length ceil((stop − start) / step). */
export function arange(start: number, stop?: number, step = 1): Arr {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new RefError('ERR_VALUE', 'arange step cannot be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const delta = start + step - start;
  return { shape: [n], data: Array.from({ length: n }, (_, i) => (i === 0 ? start : start + i * delta)) };
}

/** np.linspace, following NumPy's computation (step multiply, then the exact endpoint). */
export function linspace(start: number, stop: number, num = 50, endpoint = true): Arr {
  if (!Number.isInteger(num) || num < 0)
    throw new RefError('ERR_VALUE', `number of samples must be a non-negative integer, got ${num}`);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const data = Array.from({ length: num }, (_, i) => {
    if (div > 0) {
      const step = delta / div;
      return (step === 0 ? (i / div) * delta : i * step) + start;
    }
    return i * delta + start;
  });
  if (endpoint && num > 1) data[num - 1] = stop;
  return { shape: [num], data };
}

export function logspace(start: number, stop: number, num = 50, endpoint = true, base = 10): Arr {
  return map(linspace(start, stop, num, endpoint), (v) => base ** v);
}

// ---------------------------------------------------------------------------------------------
// Comparisons and selection (results 0/1 for bool)

export const less = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a < b ? 1 : 0));
export const lessEqual = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a <= b ? 1 : 0));
export const greater = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a > b ? 1 : 0));
export const greaterEqual = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a >= b ? 1 : 0));
export const equal = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a === b ? 1 : 0));
export const notEqual = (x: Operand, y: Operand) => binary(x, y, (a, b) => (a !== b ? 1 : 0));
export const maximum = (x: Operand, y: Operand) => binary(x, y, (a, b) => Math.max(a, b));
export const minimum = (x: Operand, y: Operand) => binary(x, y, (a, b) => Math.min(a, b));
export const sign = (x: Operand) => map(x, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0));
export const relu = (x: Operand) => map(x, (v) => Math.max(v, 0));

/** NumPy's where: a where cond is non-zero, b elsewhere, all three broadcast together. */
export function where(cond: Operand, x: Operand, y: Operand): Arr {
  const shape = broadcastShapes(asArr(cond).shape, asArr(x).shape, asArr(y).shape);
  const c = broadcastTo(cond, shape);
  const a = broadcastTo(x, shape);
  const b = broadcastTo(y, shape);
  return { shape, data: c.data.map((v, i) => (v !== 0 ? a.data[i]! : b.data[i]!)) };
}

/** NumPy's clip: minimum(maximum(x, lo), hi); a null bound is left out. */
export function clip(x: Operand, lo: Operand | null, hi: Operand | null): Arr {
  let out = asArr(x);
  if (lo !== null) out = maximum(out, lo);
  if (hi !== null) out = minimum(out, hi);
  return out;
}
