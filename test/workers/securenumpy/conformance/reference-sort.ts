// A NumPy-exact plaintext reference for sorting and order statistics (sort, stable argsort,
// percentile with the default 'linear' method, median); shares no code with the engine.

import { type Arr, type Axis, normAxis, sizeOf } from './reference.js';

/** Calls f on every 1-D lane along `axis` (null: the flattened array) and writes its result back. */
function lanes(x: Arr, axis: Axis, f: (lane: number[]) => number[]): Arr {
  if (axis === null || axis === undefined) return lanes({ shape: [x.data.length], data: x.data }, 0, f);
  const ax = normAxis(axis, x.shape.length);
  const n = x.shape[ax]!;
  const stride = sizeOf(x.shape.slice(ax + 1));
  const outer = sizeOf(x.shape.slice(0, ax));
  const out = [...x.data];
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < stride; t++) {
      const pos = Array.from({ length: n }, (_, k) => o * n * stride + k * stride + t);
      const res = f(pos.map((p) => x.data[p]!));
      pos.forEach((p, k) => (out[p] = res[k]!));
    }
  }
  return { shape: [...x.shape], data: out };
}

/** Stable ascending order of a lane: indices. */
const order = (lane: number[]): number[] =>
  lane
    .map((v, i) => [v, i] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, i]) => i);

export function sort(x: Arr, axis: Axis = -1): Arr {
  return lanes(x, axis, (lane) => order(lane).map((i) => lane[i]!));
}

/** NumPy's argsort(kind='stable'). */
export function argsort(x: Arr, axis: Axis = -1): Arr {
  return lanes(x, axis, order);
}

/** NumPy's _lerp: a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ 0.5. */
const lerp = (a: number, b: number, t: number): number => (t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t);

/** One percentile of a sorted lane, method 'linear'. */
function linear(sorted: number[], q: number): number {
  const n = sorted.length;
  const h = (n - 1) * (q / 100);
  let lo = Math.floor(h);
  let hi = lo + 1;
  if (h >= n - 1) lo = hi = n - 1;
  return lerp(sorted[lo]!, sorted[hi]!, h - Math.floor(h));
}

/** Moves the reduced axis out: the lanes along `axis` and the shape of the rest. */
function reduceLanes(x: Arr, axis: Axis): { lanes: number[][]; rest: number[] } {
  if (axis === null || axis === undefined) return { lanes: [[...x.data]], rest: [] };
  const ax = normAxis(axis, x.shape.length);
  const n = x.shape[ax]!;
  const stride = sizeOf(x.shape.slice(ax + 1));
  const outer = sizeOf(x.shape.slice(0, ax));
  const out: number[][] = [];
  for (let o = 0; o < outer; o++)
    for (let t = 0; t < stride; t++)
      out.push(Array.from({ length: n }, (_, k) => x.data[o * n * stride + k * stride + t]!));
  return { lanes: out, rest: x.shape.filter((_, i) => i !== ax) };
}

/** NumPy's percentile(x, q, axis) with q a number or a 1-D list. */
export function percentile(x: Arr, q: number | number[], axis: Axis = null): Arr {
  const { lanes: ls, rest } = reduceLanes(x, axis);
  const sorted = ls.map((l) => [...l].sort((a, b) => a - b));
  const qs = typeof q === 'number' ? [q] : q;
  const data = qs.flatMap((v) => sorted.map((l) => linear(l, v)));
  return { shape: typeof q === 'number' ? rest : [qs.length, ...rest], data };
}

/** NumPy's median: the middle value, or the mean of the two middle values. */
export function median(x: Arr, axis: Axis = null): Arr {
  const { lanes: ls, rest } = reduceLanes(x, axis);
  const data = ls.map((l) => {
    const s = [...l].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  });
  return { shape: rest, data };
}
