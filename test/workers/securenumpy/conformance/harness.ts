// Shared machinery of the SecureNumpy conformance suite: two-party runs, seeded random arrays, the fixed-point tolerance rules, comparisons.

import { expect } from 'vitest';
import { NDArray } from '../../../../shared/ndarray.js';
import { seededUniform } from '../../../../shared/random.js';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import * as R from './reference.js';

type Program = Parameters<typeof runLocal>[1];
export type Snp = Parameters<Program>[0];
export type SA = ReturnType<Snp['zeros']>;
export type RunOptions = NonNullable<Parameters<typeof runLocal>[2]>;
export type Mode = 'dealer' | 'dealer-free';

/** One unit in the last place of the default fixed point (f = 16). */
export const U = 2 ** -16;
export const DEALER: RunOptions = { preprocessing: 'dealer' };
export const MODES: Mode[] = ['dealer', 'dealer-free'];
/** The session's ring: every op in dealer mode in both; dealer-free (ring 64 only here) on a sample. */
export type RingBits = 64 | 128;
export const RINGS: RingBits[] = [64, 128];
export const dealerIn = (ring: RingBits): RunOptions => ({ preprocessing: 'dealer', ring });

/**
 * Runs `build` at both parties; each returns a list of revealTo(0) promises. Resolves to party 0's
 * NDArrays after checking that party 1 received only nulls.
 */
export async function reveal0(
  build: (snp: Snp, party: number) => Promise<NDArray | null>[],
  opts: RunOptions = DEALER,
): Promise<NDArray[]> {
  const results = (await runLocal(
    2,
    async (snp: Snp, party: number) => Promise.all(build(snp, party)),
    opts,
  )) as unknown as (NDArray | null)[][];
  const [r0, r1] = results as [(NDArray | null)[], (NDArray | null)[]];
  expect(
    r1.every((v) => v === null),
    'party 1 must receive null for reveals to party 0',
  ).toBe(true);
  r0.forEach((v, i) => expect(v, `result ${i} at party 0`).toBeInstanceOf(NDArray));
  return r0 as NDArray[];
}

/** `v` at its owner, null at every other party (as snp.array's data). */
export const mine = <T>(party: number, owner: number, v: T) => (party === owner ? v : null) as never;

/**
 * Party 0's reveals of `build`'s arrays under `opts` (party 1 must get only nulls), each as its
 * shape and its flat values (numbers, or bigints for int64).
 */
export async function revealFlat(opts: RunOptions, build: (snp: Snp, party: number) => SA[]) {
  const [r0, r1] = (await runLocal(
    2,
    (snp, p) => Promise.all(build(snp, p).map((a) => a.revealTo(0))),
    opts,
  )) as (NDArray | null)[][];
  expect(r1!.every((v) => v === null)).toBe(true);
  return r0!.map((nd) => ({ shape: [...nd!.shape], values: Array.from(nd!.data as ArrayLike<number | bigint>) }));
}

/** A secret input of `owner`; the other party passes null (and the shape hint when `hint`). */
export function input(
  snp: Snp,
  party: number,
  owner: number,
  x: R.Arr,
  dtype: 'float64' | 'int64' | 'bool' = 'float64',
  hint = false,
): SA {
  const data = (party !== owner ? null : dtype === 'bool' ? toBoolNested(x) : R.toNested(x)) as never;
  return hint ? snp.array(data, owner, dtype, { shape: [...x.shape] }) : snp.array(data, owner, dtype);
}

/** Nested plain booleans for a 0/1 array. */
export function toBoolNested(x: R.Arr): unknown {
  const n = R.toNested(x);
  const conv = (v: unknown): unknown => (Array.isArray(v) ? v.map(conv) : v !== 0);
  return conv(n);
}

/** A public NDArray holding the reference array's values. */
export function publicNd(x: R.Arr, dtype: 'float64' | 'int64' | 'bool' = 'float64'): NDArray {
  if (dtype === 'int64')
    return new NDArray(
      x.shape,
      dtype,
      BigInt64Array.from(x.data, (v) => BigInt(v)),
    );
  if (dtype === 'bool')
    return new NDArray(
      x.shape,
      dtype,
      Uint8Array.from(x.data, (v) => (v !== 0 ? 1 : 0)),
    );
  return new NDArray(x.shape, dtype, Float64Array.from(x.data));
}

/** The revealed NDArray in the reference's representation (int64 and bool read as numbers). */
export function toRef(nd: NDArray): R.Arr {
  return { shape: [...nd.shape], data: Array.from(nd.data as ArrayLike<number | bigint>, (v) => Number(v) + 0) }; // + 0: -0 reads as 0
}

// ---------------------------------------------------------------------------------------------
// Seeded random inputs

export type Rng = () => number;

/** mulberry32, seeded, so every failure can be replayed. */
export const rng = (seed: number): Rng => seededUniform(seed);

export const randInt = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Uniform doubles in [lo, hi) (not multiples of the fixed-point unit). */
export function randArr(r: Rng, shape: readonly number[], lo = -100, hi = 100): R.Arr {
  return { shape: [...shape], data: Array.from({ length: R.sizeOf(shape) }, () => lo + (hi - lo) * r()) };
}
export function randInts(r: Rng, shape: readonly number[], lo: number, hi: number): R.Arr {
  return { shape: [...shape], data: Array.from({ length: R.sizeOf(shape) }, () => randInt(r, lo, hi)) };
}
export const randBools = (r: Rng, shape: readonly number[]): R.Arr => randInts(r, shape, 0, 1);

export function randShape(r: Rng, minNd = 0, maxNd = 3, maxDim = 4): number[] {
  return Array.from({ length: randInt(r, minNd, maxNd) }, () => randInt(r, 1, maxDim));
}

/** A shape that broadcasts with `s`: some axes set to 1, some leading axes dropped or added. */
export function partnerShape(r: Rng, s: readonly number[]): number[] {
  const nd = randInt(r, Math.max(0, s.length - 2), s.length + 1);
  return Array.from({ length: nd }, (_, i) => {
    const j = s.length - nd + i;
    if (j < 0) return randInt(r, 1, 2);
    return r() < 0.3 ? 1 : s[j]!;
  });
}

// ---------------------------------------------------------------------------------------------
// Tolerances of the fixed-point contract (f = 16, u = 2^-16)

/** Terms summed into each element (a linear op applied to ones) times u/2: exact on rounded inputs. */
export function tolLinear(counts: R.Arr): R.Arr {
  return R.map(counts, (c) => (c * U) / 2);
}

/**
 * A bilinear op f (mul, matmul, dot, inner, outer) on rounded inputs with one truncation per
 * product: per product (|x| + |y|)·u/2 + 2u, summed over the products in each element.
 */
export function tolBilinear(f: (a: R.Operand, b: R.Operand) => R.Arr, a: R.Arr, b: R.Arr): R.Arr {
  const oa = R.onesLike(a);
  const ob = R.onesLike(b);
  const rounding = R.add(f(R.abs(a), ob), f(oa, R.abs(b)));
  return R.add(R.mul(rounding, U / 2), R.mul(f(oa, ob), 2 * U));
}

/**
 * A product of n rounded factors in any bracketing: every leaf's rounding u/2 times the other
 * factors, plus at most 2u per internal product times the factors outside it (M_i = max(1, |x_i|)).
 */
export function prodBound(factors: readonly number[]): number {
  const M = factors.map((v) => Math.max(1, Math.abs(v)));
  const P = M.reduce((a, b) => a * b, 1);
  const leaves = M.reduce((s, m) => s + ((U / 2) * P) / m, 0);
  if (factors.length < 2) return leaves;
  const sorted = [...M].sort((a, b) => a - b);
  return leaves + (factors.length - 1) * 2 * U * (P / (sorted[0]! * sorted[1]!));
}

/** prodBound for every element of a product reduction over `axis`. */
export function tolProd(x: R.Arr, axis?: R.Axis): R.Arr {
  if (axis === null || axis === undefined) return R.scalar(prodBound(x.data));
  const ax = R.normAxis(axis, x.shape.length);
  const moved = R.transpose(x, [...x.shape.map((_, i) => i).filter((i) => i !== ax), ax]);
  const n = x.shape[ax]!;
  const outShape = moved.shape.slice(0, -1);
  return {
    shape: outShape,
    data: Array.from({ length: R.sizeOf(outShape) }, (_, o) => prodBound(moved.data.slice(o * n, (o + 1) * n))),
  };
}

/** Slack for the reference's own double rounding (far below u). */
const slack = (want: number) => 2 ** -40 * Math.max(1, Math.abs(want));

/** Shapes equal exactly; every value within its tolerance of the reference. */
export function expectClose(
  got: NDArray | null | undefined,
  want: R.Arr,
  tol: R.Arr | number,
  label = '',
  dtype?: string,
): void {
  expect(got, `${label}: a revealed NDArray`).toBeInstanceOf(NDArray);
  if (dtype !== undefined) expect(got!.dtype, `${label}: dtype`).toBe(dtype);
  const g = toRef(got!);
  expect(g.shape, `${label}: shape`).toEqual(want.shape);
  const t = typeof tol === 'number' ? R.full(want.shape, tol) : R.broadcastTo(tol, want.shape);
  const bad: string[] = [];
  want.data.forEach((w, i) => {
    const v = g.data[i]!;
    if (!(Math.abs(v - w) <= t.data[i]! + slack(w)))
      bad.push(`[${R.unravel(i, want.shape).join(',')}] got ${v}, want ${w} ± ${t.data[i]}`);
  });
  expect(bad.slice(0, 6), `${label}: ${bad.length} of ${want.data.length} values outside tolerance`).toEqual([]);
}

/** Shapes and values equal exactly (int64 and bool results, or exactly representable float64 ones). */
export function expectExact(got: NDArray | null | undefined, want: R.Arr, dtype?: string, label = ''): void {
  expect(got, `${label}: a revealed NDArray`).toBeInstanceOf(NDArray);
  if (dtype !== undefined) expect(got!.dtype, `${label}: dtype`).toBe(dtype);
  const g = toRef(got!);
  expect(g.shape, `${label}: shape`).toEqual(want.shape);
  expect(g.data, `${label}: values`).toEqual(want.data.map((v) => v + 0)); // + 0: -0 compares as 0
}

/** The rounded fixed-point value of x (what the engine stores for a float64 input). */
export const roundFixed = (v: number): number => Math.round(v / U) * U + 0; // + 0: never -0

/** Expects `f` to throw a coded error synchronously. */
export function expectCode(f: () => unknown, code: string): void {
  expect(f).toThrow(expect.objectContaining({ code }));
}

// ---------------------------------------------------------------------------------------------
// Many cases in one two-party run (independent operations share communication rounds)

export interface Case {
  label: string;
  /** Builds the secret result at a party (both parties run it, in the same order). */
  run(snp: Snp, party: number): SA;
  /** Checks party 0's revealed result. */
  check(nd: NDArray, label: string): void;
}

export const close = (label: string, run: Case['run'], want: R.Arr, tol: R.Arr | number, dtype?: string): Case => ({
  label,
  run,
  check: (nd, l) => expectClose(nd, want, tol, l, dtype),
});

export const exact = (label: string, run: Case['run'], want: R.Arr, dtype?: string): Case => ({
  label,
  run,
  check: (nd, l) => expectExact(nd, want, dtype, l),
});

/** Runs every case in one two-party computation and checks each revealed result. */
export async function runCases(cases: readonly Case[], opts: RunOptions = DEALER): Promise<void> {
  const out = await reveal0((snp, party) => {
    const reveals: Promise<NDArray | null>[] = [];
    try {
      for (const c of cases) reveals.push(c.run(snp, party).revealTo(0));
    } catch (e) {
      for (const r of reveals) r.catch(() => undefined); // the run fails with e; these reject with it
      throw e;
    }
    return reveals;
  }, opts);
  cases.forEach((c, i) => c.check(out[i]!, c.label));
}
