// Order reductions: max, min, argmax, argmin (and ptp = max − min) along an axis or over the
// whole array, as NumPy computes them, without revealing anything (no comparison bit, no index).
//
// PROTOCOL. Each call is one derive op. The n values of every group (reductionPositions: the
// reduced axes last, so position j in a group is the index along the axis, or the flat index
// for axis = null) play a tournament: each level pairs neighbours (2i, 2i + 1) in every group at
// once, and an odd last element passes to the next level unplayed, so ⌈log2 n⌉ levels. A level
// (all groups side by side):
//   1. the bit "left wins" = NOT msb(L − R) for max (L ≥ R), NOT msb(R − L) for min (L ≤ R):
//      msbBits, 7 rounds, 12 AND-triple words per pair in Z_2^64, 8 and 27 in Z_2^128
//      (comparison valid while |L − R| < 2^(ℓ−1) in ring units, true for every value in the
//      documented ranges);
//   2. B2A of that bit (one triple per pair, one round);
//   3. selection: winner = R + w·(L − R), and for argmax/argmin the index iR + w·(iL − iR) with
//      the same bit, in one Beaver round (one triple per pair per selected quantity; the last
//      level of an arg op selects only the index).
// Indices start as public constants held by party 0 (j at party 0, 0 at party 1) and stay
// secret int64 shares. Values and indices are ring elements (ring.words words each), moved by
// element positions. TIES: the left element wins on equality, and each level keeps the order
// of the blocks, so every group's winner is its FIRST maximum (minimum), as in NumPy.
//
// COST per call, with G groups of n and P = G·(n − 1) pairs over all levels:
//   rounds 9·⌈log2 n⌉ (10 in Z_2^128); AND words 12·P (27·P); triples 2·P for max/min, 3·P − G·(pairs of the last
//   level = 1) = 3·P − G for argmax/argmin. ptp runs max and min side by side (same rounds).
// bool: max/min are logical or/and (NumPy), an AND tree on the XOR-shared bits: ⌈log2 n⌉ rounds,
// one AND word per pair (OR = NOT AND of NOTs). argmax/argmin of bools cast to int64 first
// (one more op: one triple per element, one round) and run the tournament.
//
// LEAKAGE: none. Only masked openings are sent (msbBits, Beaver, AND words); their sizes and
// count depend only on the shape. Empty reductions raise ERR_SHAPE from the shape, as NumPy.

import { ParleyError } from '../../shared/errors.js';
import { normalizeAxes, normalizeAxis, type Shape, sizeOf } from '../../shared/nd/shape.js';
import { reductionPositions } from '../../shared/nd/strided.js';
import type { SecureArray } from './array.js';
import { gatherElements, scatterElements, widen } from './operand.js';
import { sub } from './ops-arith.js';
import { beaverMul, bitsToArithmetic, concat, tripleSupply } from './protocols.js';
import { andSupply, andWords, boolShares, lowWords, msbAndWords, msbBits, msbRounds } from './protocols-bool.js';

export type OrderKind = 'max' | 'min';
/** An axis, several axes (max/min only), or null/undefined for all. */
export type OrderAxis = number | readonly number[] | null | undefined;

const NAME: Record<OrderKind, string> = { max: 'maximum', min: 'minimum' };

function plan(shape: Shape, axis: OrderAxis, kind: OrderKind, arg: boolean) {
  if (arg && axis !== null && axis !== undefined && typeof axis !== 'number') {
    throw new ParleyError('ERR_AXIS', `arg${kind} takes one axis (a number) or none, got ${JSON.stringify(axis)}`);
  }
  const axes =
    arg && typeof axis === 'number' ? [normalizeAxis(axis, shape.length)] : normalizeAxes(axis, shape.length);
  const r = reductionPositions(shape, axes);
  if (r.group === 0) {
    throw new ParleyError(
      'ERR_SHAPE',
      arg
        ? `attempt to get arg${kind} of an empty sequence`
        : `zero-size array to reduction operation ${NAME[kind]} which has no identity`,
    );
  }
  return { ...r, outSize: sizeOf(r.outShape) };
}

/** Pairs per group at each tournament level for groups of n. */
function levels(n: number): number[] {
  const out: number[] = [];
  for (let w = n; w > 1; w = Math.ceil(w / 2)) out.push(Math.floor(w / 2));
  return out;
}

/** max/min (arg = false) or argmax/argmin (arg = true) of `a` along `axis`. */
export function extreme(a0: SecureArray, axis: OrderAxis, kind: OrderKind, arg: boolean): SecureArray {
  if (a0.dtype === 'bool' && !arg) return boolExtreme(a0, axis, kind);
  // Refuse a bad axis or an empty reduction at the call, before a bool cast is issued.
  if (a0.settled) plan(a0.knownShape!, axis, kind, arg);
  const a = a0.dtype === 'bool' ? widen(a0, 'int64') : a0;
  const s = a.session;
  return s.derive({
    inputs: [a],
    dtype: arg ? 'int64' : a.dtype,
    shape: ([sh]) => plan(sh!, axis, kind, arg).outShape,
    needs: ([sh]) => {
      const p = plan(sh!, axis, kind, arg);
      const ls = levels(p.group);
      const pairs = ls.reduce((t, h) => t + h, 0) * p.outSize;
      // B2A per pair; values selected except at an arg op's last level; indices for arg ops.
      const last = ls.length > 0 ? ls[ls.length - 1]! * p.outSize : 0;
      return { andWords: msbAndWords(s.ring) * pairs, triples: 2 * pairs + (arg ? pairs - last : 0) };
    },
    run: async (c) => {
      const p = plan(c.shapes[0]!, axis, kind, arg);
      const { ring } = s;
      const W = ring.words;
      const G = p.outSize;
      let width = p.group;
      let val = gatherElements(c.shares[0]!, p.positions, W);
      // Indices 0..width − 1 as int64 ring elements, held by party 0.
      let idx = new BigUint64Array(arg ? W * G * width : 0);
      if (arg && s.party === 0) for (let k = 0; k < G * width; k++) idx[W * k] = BigInt(k % width);
      const takeAnd = andSupply(c.material!.and);
      const takeTriples = tripleSupply(c.material!.triples, W);
      let stage = 0;
      while (width > 1) {
        const half = Math.floor(width / 2);
        const next = width - half;
        const lastLevel = next === 1;
        const n = G * half;
        // Element positions of each pair's left and right, of the winners' places in the next
        // level, and of an odd last element and its place.
        const [L, R, to] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
        for (let g = 0, k = 0; g < G; g++)
          for (let i = 0; i < half; i++, k++) {
            L[k] = g * width + 2 * i;
            R[k] = L[k]! + 1;
            to[k] = g * next + i;
          }
        const odd = width % 2 === 1 ? G : 0;
        const [oddFrom, oddTo] = [new Float64Array(odd), new Float64Array(odd)];
        for (let g = 0; g < odd; g++) {
          oddFrom[g] = g * width + width - 1;
          oddTo[g] = g * next + half;
        }
        const rv = gatherElements(val, R, W);
        const dv = ring.sub(gatherElements(val, L, W), rv); // L − R
        const ri = arg ? gatherElements(idx, R, W) : idx;
        const di = arg ? ring.sub(gatherElements(idx, L, W), ri) : idx;
        // Left wins on L ≥ R (max) or L ≤ R (min): NOT msb(L − R), NOT msb(R − L).
        const d = kind === 'max' ? dv : ring.neg(dv);
        const base = stage;
        const win = await msbBits(c.wire, (st) => c.key(base + st), d, takeAnd(msbAndWords(ring) * n));
        stage += msbRounds(ring);
        if (s.party === 0) for (let i = 0; i < n; i++) win[i] = win[i]! ^ 1n;
        const w = await bitsToArithmetic(c.wire, c.key(stage++), win, takeTriples(n));
        const selectValues = !(arg && lastLevel);
        const xs = [...(selectValues ? [w] : []), ...(arg ? [w] : [])];
        const ys = [...(selectValues ? [dv] : []), ...(arg ? [di] : [])];
        const prod = await beaverMul(c.wire, c.key(stage++), concat(xs), concat(ys), takeTriples(xs.length * n));
        const nv = new BigUint64Array(W * G * next);
        const ni = new BigUint64Array(arg ? W * G * next : 0);
        if (selectValues) scatterElements(nv, to, ring.add(rv, prod.subarray(0, W * n)), W);
        if (arg) scatterElements(ni, to, ring.add(ri, prod.subarray(prod.length - W * n)), W);
        scatterElements(nv, oddTo, gatherElements(val, oddFrom, W), W);
        if (arg) scatterElements(ni, oddTo, gatherElements(idx, oddFrom, W), W);
        val = nv;
        idx = ni;
        width = next;
      }
      return arg ? idx : val;
    },
  });
}

/** max (logical or) or min (logical and) of bools: an AND tree, OR as NOT AND of NOTs. */
function boolExtreme(a: SecureArray, axis: OrderAxis, kind: OrderKind): SecureArray {
  const s = a.session;
  const flip = kind === 'max' && s.party === 0;
  return s.derive({
    inputs: [a],
    dtype: 'bool',
    shape: ([sh]) => plan(sh!, axis, kind, false).outShape,
    needs: ([sh]) => {
      const p = plan(sh!, axis, kind, false);
      return { andWords: levels(p.group).reduce((t, h) => t + h, 0) * p.outSize };
    },
    run: async (c) => {
      const p = plan(c.shapes[0]!, axis, kind, false);
      const W = s.ring.words;
      const G = p.outSize;
      let width = p.group;
      // Each element's bit (its low word), one per word.
      let cur = lowWords(gatherElements(c.shares[0]!, p.positions, W), W).slice();
      if (flip) for (let k = 0; k < cur.length; k++) cur[k] = cur[k]! ^ 1n;
      const take = andSupply(c.material!.and);
      let stage = 0;
      while (width > 1) {
        const half = Math.floor(width / 2);
        const next = width - half;
        const n = G * half;
        const u = new BigUint64Array(n);
        const v = new BigUint64Array(n);
        for (let g = 0; g < G; g++) {
          for (let i = 0; i < half; i++) {
            u[g * half + i] = cur[g * width + 2 * i]!;
            v[g * half + i] = cur[g * width + 2 * i + 1]!;
          }
        }
        const z = await andWords(c.wire, c.key(stage++), u, v, take(n));
        const merged = new BigUint64Array(G * next);
        for (let g = 0; g < G; g++) {
          for (let i = 0; i < half; i++) merged[g * next + i] = z[g * half + i]! & 1n;
          if (width % 2 === 1) merged[g * next + half] = cur[g * width + width - 1]!;
        }
        cur = merged;
        width = next;
      }
      if (flip) for (let k = 0; k < cur.length; k++) cur[k] = cur[k]! ^ 1n;
      return boolShares(cur, W);
    },
  });
}

/** NumPy's ptp: max − min along the axis (both run side by side); not defined for bool. */
export function ptp(a: SecureArray, axis: OrderAxis): SecureArray {
  if (a.dtype === 'bool') throw new ParleyError('ERR_DTYPE', 'numpy ptp is not defined for bool (boolean subtract)');
  return sub(extreme(a, axis, 'max', false), extreme(a, axis, 'min', false));
}
