// Oblivious sorting: sort and argsort along an axis (or of the flattened array), and median and
// percentile built on sort. Nothing about the order is revealed: every message is a masked
// opening, and which compare-exchanges run depends only on the length n of the sorted axis.
//
// NETWORK. Batcher's odd–even merge sort on N = 2^⌈log2 n⌉ wires with every comparator that
// touches a wire ≥ n removed. That is the network for n values padded with +∞ sentinels at the
// end: every comparator (i, j), i < j, leaves the larger value at j, so the sentinels never move
// and their comparators never swap; dropping them is exact, so no sentinel is ever encoded.
// With p = ⌈log2 n⌉ the network has p(p + 1)/2 layers (fewer when whole layers drop out), of at
// most (p² − p + 4)·2^(p−2) − 1 comparators in all (n = 10,000: 105 layers, 456,229 comparators).
// Each layer's comparators touch disjoint wires, so a layer runs all its compare-exchanges, over
// every row of the other axes, as one batch.
//
// COMPARE-EXCHANGE (i, j), i < j, on float64 or int64 values: c = [x_j < x_i], the sign bit of
// x_j − x_i (msbBits: 7 rounds, 12 AND words; 8 and 27 in Z_2^128); c to a 0/1 int64 share (bitsToArithmetic: one
// triple, 1 round); then one Beaver product p = c·(x_j − x_i) (one triple, 1 round; an integer
// 0/1 times a fixed-point value needs no truncation, so sort is exact); x_i += p, x_j −= p.
// 9 rounds per layer (10 in Z_2^128). Correct while every difference of two values is below
// 2^(ℓ−1) ring units: |x_j − x_i| < 2^(63−f) for float64 in Z_2^64 (any two values of the ranges
// of §2), 2^63 for int64; in Z_2^128 any two values it holds.
// Bools sort with one AND per comparator: x_i' = x_i ∧ x_j, x_j' = x_i ⊕ x_j ⊕ (x_i ∧ x_j)
// (one triple, 1 round per layer).
//
// ARGSORT carries int64 indices (0..n−1, public at the start) through the same swaps, and
// compares the keys x·2^b + index, b = ⌈log2 n⌉, in one sign test: keys are distinct, so the
// order is the unique ascending order of (value, original index), that is STABLE (ties keep their
// original order, like NumPy's kind='stable'; NumPy's default quicksort does not promise it).
// The product step multiplies c by both the value and the index difference: 2 triples. The keys
// narrow the range: |x_j − x_i| < 2^(ℓ−1−b) ring units (2^(63−f−b) for float64: 2^33 at f = 16,
// n ≤ 16,384, still far beyond any two inputs; 2^97 in Z_2^128). Bools are cast to int64 first (n triples, 1 round).
//
// COST per call, with R rows (the product of the other axes), C comparators and L layers:
// sort: 12·R·C AND words, 2·R·C triples, 9L rounds; argsort: 12·R·C AND words, 3·R·C triples,
// 9L rounds (Z_2^128: 27·R·C AND words, 10L rounds); bool sort: R·C triples, L rounds. All of it is reserved up front from the shape, in
// one operation (the shape may still be on its way from the owner).
//
// PERCENTILE (NumPy's default method 'linear'): for q in [0, 100], the virtual index
// h = (n − 1)·q/100, lo = ⌊h⌋, hi = min(lo + 1, n − 1), γ = h − lo, and the result is
// s_lo + γ·(s_hi − s_lo) on the sorted values s. Everything but s is public (it depends only on n
// and q), so this is a local selection, and when γ ≠ 0 one product by the public γ encoded with
// 30 fractional bits and one truncation (1 R per value, 1 round). Exact when γ = 0; otherwise
// within |s_hi − s_lo|·2^-31 + one unit of the last place, valid while |s_hi − s_lo| < 2^(32−f)
// (any two inputs; 2^(96−f) in Z_2^128). median = percentile 50 (NumPy's mean of the two middle values, for even n).
// The results are float64 (int64 inputs are scaled locally first); bools raise ERR_DTYPE.

import { ParleyError } from '../../shared/errors.js';
import { normalizeAxis, type Shape, sizeOf } from '../../shared/nd/shape.js';
import type { Ring } from '../../shared/rings.js';
import type { Axis, SecureArray } from './array.js';
import { gatherElements, scatterElements, widen } from './operand.js';
import { reshape } from './ops-shape.js';
import { andBits, beaverMul, bitsToArithmetic, concat, tripleSupply, truncate } from './protocols.js';
import { andSupply, boolShares, lowWords, msbAndWords, msbBits, msbRounds } from './protocols-bool.js';
import type { RunContext } from './session.js';
import { toPlain } from './values.js';

/** A sorting network: layers of disjoint comparators (i, j), i < j, flattened as i0, j0, i1, j1, … */
export interface Network {
  n: number;
  layers: Int32Array[];
  comparators: number;
}

const networks = new Map<number, Network>();

/** Batcher's odd–even merge sort for n wires (the power-of-two network with wires ≥ n dropped). */
export function sortingNetwork(n: number): Network {
  const cached = networks.get(n);
  if (cached) return cached;
  let N = 1;
  while (N < n) N *= 2;
  const layers: Int32Array[] = [];
  let comparators = 0;
  for (let p = 1; p < N; p *= 2) {
    for (let k = p; k >= 1; k /= 2) {
      const pairs: number[] = [];
      for (let j = k % p; j + k < n; j += 2 * k) {
        for (let i = 0; i < k && i + j + k < n; i++) {
          if (Math.floor((i + j) / (2 * p)) === Math.floor((i + j + k) / (2 * p))) pairs.push(i + j, i + j + k);
        }
      }
      if (pairs.length > 0) {
        layers.push(Int32Array.from(pairs));
        comparators += pairs.length / 2;
      }
    }
  }
  const net = { n, layers, comparators };
  if (networks.size > 64) networks.clear();
  networks.set(n, net);
  return net;
}

/** Where the values of the sorted axis lie: row r's element k is at base[r] + k·stride. */
function layout(shape: Shape, ax: number): { n: number; rows: number; base: Float64Array; stride: number } {
  const n = shape[ax]!;
  const stride = sizeOf(shape.slice(ax + 1));
  const outer = sizeOf(shape.slice(0, ax));
  const base = new Float64Array(outer * stride);
  for (let o = 0, r = 0; o < outer; o++) for (let t = 0; t < stride; t++, r++) base[r] = o * n * stride + t;
  return { n, rows: base.length, base, stride };
}

const bitsFor = (n: number): number => (n <= 1 ? 0 : Math.ceil(Math.log2(n)));

type Kind = 'sort' | 'argsort';

/** Correlations of one sort or argsort of `shape` along `ax`. */
function sortNeeds(
  ring: Ring,
  shape: Shape,
  ax: number,
  kind: Kind,
  bool: boolean,
): { andWords: number; triples: number } {
  const { n, rows } = layout(shape, ax);
  const C = rows * sortingNetwork(n).comparators;
  if (bool) return { andWords: 0, triples: C };
  return { andWords: msbAndWords(ring) * C, triples: (kind === 'sort' ? 2 : 3) * C };
}

/** Runs the network on this party's share `x` (ring values, or XOR bits for bool). */
async function runNetwork(
  c: RunContext,
  x0: BigUint64Array,
  shape: Shape,
  ax: number,
  kind: Kind,
  bool: boolean,
): Promise<BigUint64Array> {
  const { n, rows, base, stride } = layout(shape, ax);
  const net = sortingNetwork(n);
  const { ring } = c.wire;
  const W = ring.words;
  const party = c.wire.party;
  // Bools sort their bits (each element's low word), one per word.
  const x = bool ? lowWords(x0, W).slice() : x0.slice();
  // Indices 0..n−1 as int64 ring elements (public: party 0 holds them, party 1 zeros).
  const id = kind === 'argsort' ? new BigUint64Array(x.length) : null;
  if (id && party === 0)
    for (let r = 0; r < rows; r++) for (let k = 0; k < n; k++) id[W * (base[r]! + k * stride)] = BigInt(k);
  const scale = 1n << BigInt(bitsFor(n));
  const takeAnd = bool ? null : andSupply(c.material!.and);
  const triples = tripleSupply(c.material!.triples, W);
  let stage = 0;
  for (const layer of net.layers) {
    const P = layer.length / 2;
    const M = rows * P;
    const I = new Float64Array(M);
    const J = new Float64Array(M);
    for (let r = 0, m = 0; r < rows; r++) {
      const b = base[r]!;
      for (let q = 0; q < P; q++, m++) {
        I[m] = b + layer[2 * q]! * stride;
        J[m] = b + layer[2 * q + 1]! * stride;
      }
    }
    if (bool) {
      const u = new BigUint64Array(M);
      const v = new BigUint64Array(M);
      for (let m = 0; m < M; m++) {
        u[m] = x[I[m]!]!;
        v[m] = x[J[m]!]!;
      }
      const z = await andBits(c.wire, c.key(stage++), u, v, triples(M));
      for (let m = 0; m < M; m++) {
        x[I[m]!] = z[m]!;
        x[J[m]!] = u[m]! ^ v[m]! ^ z[m]!;
      }
      continue;
    }
    const [xi, xj] = [gatherElements(x, I, W), gatherElements(x, J, W)];
    const dx = ring.sub(xj, xi);
    let key = dx;
    let di: BigUint64Array | null = null;
    if (id) {
      di = ring.sub(gatherElements(id, J, W), gatherElements(id, I, W));
      key = ring.add(ring.mulScalar(dx, scale), di); // x·2^b + index, compared in one sign test
    }
    const first = stage;
    const bits = await msbBits(c.wire, (s) => c.key(first + s), key, takeAnd!(msbAndWords(ring) * M));
    stage += msbRounds(ring);
    const c01 = await bitsToArithmetic(c.wire, c.key(stage++), bits, triples(M));
    const prod = di
      ? await beaverMul(c.wire, c.key(stage++), concat([c01, c01]), concat([dx, di]), triples(2 * M))
      : await beaverMul(c.wire, c.key(stage++), c01, dx, triples(M));
    const px = prod.subarray(0, W * M);
    scatterElements(x, I, ring.add(xi, px), W);
    scatterElements(x, J, ring.sub(xj, px), W);
    if (id) {
      const pi = prod.subarray(W * M);
      scatterElements(id, I, ring.add(gatherElements(id, I, W), pi), W);
      scatterElements(id, J, ring.sub(gatherElements(id, J, W), pi), W);
    }
  }
  return id ?? (bool ? boolShares(x, W) : x);
}

/** The array flattened when axis is null or undefined (NumPy's axis=None), and the axis to use. */
function prepare(a: SecureArray, axis: Axis): [SecureArray, number] {
  if (axis === null || axis === undefined) return [reshape(a, [-1]), 0];
  if (typeof axis !== 'number')
    throw new ParleyError('ERR_AXIS', `sort takes one axis (a number) or null, got ${JSON.stringify(axis)}`);
  return [a, axis];
}

function sortOp(a0: SecureArray, axis: Axis, kind: Kind): SecureArray {
  // argsort compares int64 keys; a bool array is cast to 0/1 int64 first.
  const a1 = kind === 'argsort' && a0.dtype === 'bool' ? widen(a0, 'int64') : a0;
  const [a, axis1] = prepare(a1, axis);
  const bool = a.dtype === 'bool';
  const axisOf = (sh: Shape) => normalizeAxis(axis1, sh.length);
  return a.session.derive({
    inputs: [a],
    dtype: kind === 'argsort' ? 'int64' : a.dtype,
    shape: ([sh]) => (axisOf(sh!), [...sh!]),
    needs: ([sh]) => sortNeeds(a.session.ring, sh!, axisOf(sh!), kind, bool),
    run: (c) => runNetwork(c, c.shares[0]!, c.shapes[0]!, axisOf(c.shapes[0]!), kind, bool),
  });
}

/** NumPy's sort(a, axis=-1): an oblivious sorting network, ascending; axis null sorts the flattened array. */
export function sort(a: SecureArray, axis: Axis = -1): SecureArray {
  return sortOp(a, axis, 'sort');
}

/** NumPy's argsort(a, axis=-1), stable: secret int64 indices that sort a along the axis. */
export function argsort(a: SecureArray, axis: Axis = -1): SecureArray {
  return sortOp(a, axis, 'argsort');
}

/** Fractional bits of the public interpolation weight γ. */
const GAMMA_BITS = 30;

/** The public q as percentages in [0, 100], with its shape ([] for a scalar). */
function percentages(q: unknown): { shape: number[]; values: number[] } {
  const p = toPlain(q);
  const values = p.values.map(Number);
  if (p.dtype === 'bool' || !values.every((v) => Number.isFinite(v) && v >= 0 && v <= 100)) {
    throw new ParleyError(
      'ERR_BAD_INPUT',
      `percentiles must be numbers in the range [0, 100], got ${JSON.stringify(p.values.map(String))}`,
    );
  }
  return { shape: p.shape, values };
}

/** Per percentile: lo, hi and γ·2^30 (NumPy's 'linear' method on n sorted values). */
function interpolation(n: number, qs: readonly number[]): { lo: number; hi: number; g: bigint }[] {
  return qs.map((q) => {
    const h = (n - 1) * (q / 100);
    const lo = Math.floor(h);
    return { lo, hi: Math.min(lo + 1, n - 1), g: BigInt(Math.round((h - lo) * 2 ** GAMMA_BITS)) };
  });
}

/** NumPy's percentile(a, q, axis=None) with the default 'linear' method; q public. */
export function percentile(a0: SecureArray, q: unknown, axis: Axis = null): SecureArray {
  const qp = percentages(q);
  return quantiles(a0, qp.shape, qp.values, axis, 'percentile');
}

/** NumPy's median(a, axis=None). */
export function median(a0: SecureArray, axis: Axis = null): SecureArray {
  return quantiles(a0, [], [50], axis, 'median');
}

function quantiles(a0: SecureArray, qShape: number[], qs: number[], axis: Axis, name: string): SecureArray {
  if (a0.dtype === 'bool')
    throw new ParleyError(
      'ERR_DTYPE',
      `${name} of a bool array is not supported (NumPy cannot subtract booleans); cast with astype('int64') first`,
    );
  const [a, axis1] = prepare(a0, axis);
  const s = a.session;
  const f = BigInt(s.fracBits);
  const sorted = sort(a, axis1);
  const plan = (sh: Shape) => {
    const ax = normalizeAxis(axis1, sh.length);
    const n = sh[ax]!;
    if (n === 0) throw new ParleyError('ERR_BAD_INPUT', `${name} of an empty array`);
    const rest = sh.filter((_, i) => i !== ax);
    const rows = sizeOf(rest);
    const steps = interpolation(n, qs);
    return { ax, n, rows, rest, steps, truncated: steps.filter((t) => t.g !== 0n).length * rows };
  };
  return s.derive({
    inputs: [sorted],
    dtype: 'float64',
    shape: ([sh]) => [...qShape, ...plan(sh!).rest],
    needs: ([sh]) => ({ truncations: plan(sh!).truncated }),
    run: async (c) => {
      const sh = c.shapes[0]!;
      const p = plan(sh);
      const { base, stride } = layout(sh, p.ax);
      const { ring } = s;
      const W = ring.words;
      let x = c.shares[0]!;
      if (a.dtype === 'int64') x = ring.mulScalar(x, 1n << f); // to fixed point, locally
      /** Row r's element at `k` along the axis, for every row. */
      const at = (k: number) =>
        gatherElements(
          x,
          base.map((b) => b + k * stride),
          W,
        );
      const lows = p.steps.map((t) => at(t.lo));
      const diffs: BigUint64Array[] = [];
      const targets: number[] = [];
      p.steps.forEach((t, k) => {
        if (t.g === 0n) return;
        diffs.push(ring.mulScalar(ring.sub(at(t.hi), lows[k]!), t.g));
        targets.push(k);
      });
      if (diffs.length > 0) {
        const moved = await truncate(c.wire, c.key(0), concat(diffs), GAMMA_BITS, c.material!.trunc);
        const part = W * p.rows;
        targets.forEach((k, i) => {
          lows[k] = ring.add(lows[k]!, moved.subarray(i * part, (i + 1) * part));
        });
      }
      return concat(lows);
    },
  });
}
