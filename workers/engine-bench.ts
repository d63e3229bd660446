// The measurements of `npm run bench:engine`, shared so Node (runLocal) and the tabs' workers run the same code.

import { NDArray } from '../shared/ndarray.js';
import type { SecureArray, SessionStats, Snp } from './securenumpy/index.js';
import { sortingNetwork } from './securenumpy/ops-sort.js';

export interface EngineBenchSpec {
  mode: 'dealer-free' | 'dealer';
  /** Elements of the fixed-point element-wise product (0 skips it). */
  mulSize: number;
  /** Sides of the square secret × secret matrix products to measure, in order. */
  matmulSizes: number[];
  /** Comparison and order ops to measure (absent or null skips them). */
  compare?: CompareBenchSpec | null;
}

/** Sizes of the comparison section; 0 skips a step. */
export interface CompareBenchSpec {
  /** Elements of `x.lt(y)` (x party 0's, y party 1's), then of `snp.where(x.lt(y), x, y)` on its result. */
  ltSize: number;
  /** `argmax(1)` over argmaxRows rows of argmaxCols. */
  argmaxRows: number;
  argmaxCols: number;
  /** Values sorted by `snp.sort`. */
  sortSize: number;
}

/** One timed step at one party: wall time and what this party's stats moved by. */
export interface StepFigures {
  seconds: number;
  bytesSent: number;
  bytesReceived: number;
  /** Communication rounds the op added on its longest chain (its result's depth over its inputs'); 0 for preprocessing. */
  rounds: number;
  /** Batches this party sent the other during the step (stats().messages). */
  messages: number;
  triplesMade: number;
  /** Truncation correlations made: dealer pairs, or dealer-free bit products. */
  truncationsMade: number;
  matrixTriplesMade: number;
  andWordsMade: number;
}

/** One comparison-section op at one party: its preprocessing (the correlations the op reserves, made by snp.preprocess), its online phase, and a check. */
export interface CompareStep {
  size: number;
  /** What snp.preprocess was asked for (exactly what the op consumes). */
  needs: { andWords: number; triples: number };
  preprocess: StepFigures;
  online: StepFigures;
  /** Mismatches against plaintext (bool/index results), or the largest absolute error (values); null at party 1. */
  mismatches?: number | null;
  maxError?: number | null;
}

export interface CompareFigures {
  lt: CompareStep | null;
  where: CompareStep | null;
  argmax: (CompareStep & { rows: number; cols: number }) | null;
  sort: (CompareStep & { comparators: number }) | null;
}

export interface PartyFigures {
  party: number;
  /** The first correlations, which pay for setup (base OTs dealer-free; the dealer's seed). */
  setup: StepFigures;
  mul: { size: number; preprocessTriples: StepFigures; preprocessTruncations: StepFigures; online: StepFigures; maxError: number | null } | null;
  matmul: { size: number; preprocessMatrix: StepFigures; preprocessTruncations: StepFigures; online: StepFigures; maxError: number | null }[];
  compare?: CompareFigures | null;
}

/** Both parties compute the same public test data; each inputs its own part. */
const mulX = (i: number) => 10 * Math.sin(i * 0.37);
const mulY = (i: number) => 10 * Math.cos(i * 0.11);
const matX = (i: number) => Math.sin(i * 0.013);
const matY = (i: number) => Math.cos(i * 0.029);

const vector = (n: number, f: (i: number) => number) => new NDArray([n], 'float64', Float64Array.from({ length: n }, (_, i) => f(i)));
const matrix = (s: number, f: (i: number) => number) => new NDArray([s, s], 'float64', Float64Array.from({ length: s * s }, (_, i) => f(i)));

/** The plain product of two s×s row-major matrices (i-k-j order). */
export function plainMatmul(a: Float64Array, b: Float64Array, s: number): Float64Array {
  const out = new Float64Array(s * s);
  for (let i = 0; i < s; i++) {
    for (let k = 0; k < s; k++) {
      const x = a[i * s + k]!;
      const row = k * s;
      const o = i * s;
      for (let j = 0; j < s; j++) out[o + j]! += x * b[row + j]!;
    }
  }
  return out;
}

/** Returns when both parties got here (party 0 leaves half a round trip earlier). */
async function barrier(snp: Snp): Promise<void> {
  const z = snp.zeros([1]);
  await z.revealTo(0);
  await z.revealTo(1);
}

/** Lets messages posted this turn leave (the engine batches a turn's posts), so stats count them. */
const settle = () => new Promise((r) => setTimeout(r, 20));

/** Times f between barriers; f resolves to the rounds its op added (or nothing). */
async function step(snp: Snp, f: () => Promise<number | void>): Promise<StepFigures> {
  await barrier(snp);
  await settle();
  const before: SessionStats = snp.stats();
  const t = performance.now();
  const rounds = (await f()) ?? 0;
  const seconds = (performance.now() - t) / 1000;
  await settle();
  const after = snp.stats();
  return {
    seconds,
    bytesSent: after.bytesSent - before.bytesSent,
    bytesReceived: after.bytesReceived - before.bytesReceived,
    rounds,
    messages: after.messages - before.messages,
    triplesMade: after.triplesMade - before.triplesMade,
    truncationsMade: after.truncationsMade - before.truncationsMade,
    matrixTriplesMade: after.matrixTriplesMade - before.matrixTriplesMade,
    andWordsMade: after.andWordsMade - before.andWordsMade,
  };
}

function maxError(got: Float64Array, want: Float64Array): number {
  let e = 0;
  for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i]! - want[i]!));
  return e;
}

/** Runs the measurements for one party of one session; both parties call it with the same spec. */
/** A small product first, untimed, so the timed ones run on optimised code (V8 compiles lazily). */
async function warmUp(snp: Snp, party: number): Promise<void> {
  const w = 4096;
  await snp.preprocess({ triples: w, truncations: w });
  const x = snp.array(party === 0 ? vector(w, mulX) : null, 0, 'float64', { shape: [w] });
  const y = snp.array(party === 1 ? vector(w, mulY) : null, 1, 'float64', { shape: [w] });
  await x.mul(y).toShare();
  await barrier(snp);
}

export async function benchEngine(snp: Snp, party: number, spec: EngineBenchSpec): Promise<PartyFigures> {
  const figures: PartyFigures = { party, setup: await step(snp, () => snp.preprocess({ triples: 1, truncations: 1 })), mul: null, matmul: [] };
  const n = spec.mulSize;
  await warmUp(snp, party);
  if (n > 0) {
    const preprocessTriples = await step(snp, () => snp.preprocess({ triples: n }));
    const preprocessTruncations = await step(snp, () => snp.preprocess({ truncations: n }));
    const x = snp.array(party === 0 ? vector(n, mulX) : null, 0, 'float64', { shape: [n] });
    const y = snp.array(party === 1 ? vector(n, mulY) : null, 1, 'float64', { shape: [n] });
    await Promise.all([x.toShare(), y.toShare()]);
    let z!: SecureArray;
    const online = await step(snp, async () => {
      z = x.mul(y);
      await z.toShare();
      return z.depth - Math.max(x.depth, y.depth);
    });
    const revealed = await z.revealTo(0);
    const err = revealed ? maxError(revealed.data as Float64Array, Float64Array.from({ length: n }, (_, i) => mulX(i) * mulY(i))) : null;
    figures.mul = { size: n, preprocessTriples, preprocessTruncations, online, maxError: err };
  }
  for (const s of spec.matmulSizes) {
    const preprocessMatrix = await step(snp, () => snp.preprocess({ matrices: [[s, s, s]] }));
    const preprocessTruncations = await step(snp, () => snp.preprocess({ truncations: s * s }));
    const x = snp.array(party === 0 ? matrix(s, matX) : null, 0, 'float64', { shape: [s, s] });
    const y = snp.array(party === 1 ? matrix(s, matY) : null, 1, 'float64', { shape: [s, s] });
    await Promise.all([x.toShare(), y.toShare()]);
    let z!: SecureArray;
    const online = await step(snp, async () => {
      z = x.matmul(y);
      await z.toShare();
      return z.depth - Math.max(x.depth, y.depth);
    });
    const revealed = await z.revealTo(0);
    const want = () => plainMatmul(matrix(s, matX).data as Float64Array, matrix(s, matY).data as Float64Array, s);
    figures.matmul.push({ size: s, preprocessMatrix, preprocessTruncations, online, maxError: revealed ? maxError(revealed.data as Float64Array, want()) : null });
  }
  if (spec.compare) figures.compare = await benchCompare(snp, party, spec.compare);
  await barrier(snp);
  return figures;
}

// ---- Comparisons, where, argmax, sort ------------------------------------------------------------

/** Values on a 1/64 grid (exact in fixed point, so plaintext comparisons agree bit for bit; ties occur and are kept). */
const cmpX = (i: number) => Math.round(640 * Math.sin(i * 0.37 + 0.5)) / 64;
const cmpY = (i: number) => Math.round(640 * Math.cos(i * 0.11)) / 64;

/** Correlations of one comparison-section op (the engine's own counts: ops-compare.ts, ops-order.ts, ops-sort.ts). */
export function compareNeeds(op: 'lt' | 'where' | 'argmax' | 'sort', size: number, cols = 0): { andWords: number; triples: number } {
  const MSB = 12; // AND words of one sign test (protocols-bool.ts MSB_AND_WORDS)
  if (op === 'lt') return { andWords: MSB * size, triples: 0 };
  if (op === 'where') return { andWords: 0, triples: 2 * size }; // B2A of the condition + one Beaver product
  if (op === 'argmax') {
    // A tournament over each row: pairs per level, the last level selects only the index.
    let pairs = 0;
    let last = 0;
    for (let g = cols; g > 1; g = Math.ceil(g / 2)) {
      last = Math.floor(g / 2);
      pairs += last;
    }
    return { andWords: MSB * pairs * size, triples: (3 * pairs - last) * size };
  }
  const C = sortingNetwork(size).comparators;
  return { andWords: MSB * C, triples: 2 * C };
}

function countMismatches(got: ArrayLike<unknown>, want: (i: number) => number): number {
  let bad = 0;
  for (let i = 0; i < got.length; i++) if (Number(got[i]) !== want(i)) bad++;
  return bad;
}

/** Untimed small runs of each op, so the timed ones run on optimised code. */
async function warmUpCompare(snp: Snp, party: number): Promise<void> {
  const n = 256;
  const needs = [compareNeeds('lt', n), compareNeeds('where', n), compareNeeds('argmax', 16, 10), compareNeeds('sort', 64)];
  await snp.preprocess({ andWords: needs.reduce((t, x) => t + x.andWords, 0), triples: needs.reduce((t, x) => t + x.triples, 0) });
  const x = snp.array(party === 0 ? vector(n, cmpX) : null, 0, 'float64', { shape: [n] });
  const y = snp.array(party === 1 ? vector(n, cmpY) : null, 1, 'float64', { shape: [n] });
  const c = x.lt(y);
  const w = snp.where(c, x, y);
  const m = snp.array(party === 0 ? new NDArray([16, 10], 'float64', Float64Array.from({ length: 160 }, (_, i) => cmpX(i))) : null, 0, 'float64', { shape: [16, 10] });
  const am = m.argmax(1);
  const s = snp.sort(snp.array(party === 0 ? vector(64, cmpX) : null, 0, 'float64', { shape: [64] }));
  await Promise.all([w.toShare(), am.toShare(), s.toShare()]);
  await barrier(snp);
}

async function benchCompare(snp: Snp, party: number, spec: CompareBenchSpec): Promise<CompareFigures> {
  await warmUpCompare(snp, party);
  const out: CompareFigures = { lt: null, where: null, argmax: null, sort: null };
  const n = spec.ltSize;
  if (n > 0) {
    const x = snp.array(party === 0 ? vector(n, cmpX) : null, 0, 'float64', { shape: [n] });
    const y = snp.array(party === 1 ? vector(n, cmpY) : null, 1, 'float64', { shape: [n] });
    await Promise.all([x.toShare(), y.toShare()]);
    const needs = compareNeeds('lt', n);
    const preprocess = await step(snp, () => snp.preprocess(needs));
    let c!: SecureArray;
    const online = await step(snp, async () => {
      c = x.lt(y);
      await c.toShare();
      return c.depth - Math.max(x.depth, y.depth);
    });
    const got = await c.revealTo(0);
    out.lt = { size: n, needs, preprocess, online, mismatches: got ? countMismatches(got.data, (i) => Number(cmpX(i) < cmpY(i))) : null };
    {
      const [m, cm, xm, ym] = [n, c, x, y];
      const wNeeds = compareNeeds('where', m);
      const wPre = await step(snp, () => snp.preprocess(wNeeds));
      let z!: SecureArray;
      const wOn = await step(snp, async () => {
        z = snp.where(cm, xm, ym);
        await z.toShare();
        return z.depth - Math.max(cm.depth, xm.depth, ym.depth);
      });
      const r = await z.revealTo(0);
      out.where = { size: m, needs: wNeeds, preprocess: wPre, online: wOn, maxError: r ? maxError(r.data as Float64Array, Float64Array.from({ length: m }, (_, i) => Math.min(cmpX(i), cmpY(i)))) : null };
    }
  }
  if (spec.argmaxRows > 0 && spec.argmaxCols > 0) {
    const R = spec.argmaxRows;
    const g = spec.argmaxCols;
    const val = (i: number) => cmpX(i) + cmpY(i);
    // The sum of party 0's and party 1's matrices, so neither party knows the values.
    const a = snp.array(party === 0 ? new NDArray([R, g], 'float64', Float64Array.from({ length: R * g }, (_, i) => cmpX(i))) : null, 0, 'float64', { shape: [R, g] });
    const b = snp.array(party === 1 ? new NDArray([R, g], 'float64', Float64Array.from({ length: R * g }, (_, i) => cmpY(i))) : null, 1, 'float64', { shape: [R, g] });
    const v = a.add(b);
    await v.toShare();
    const needs = compareNeeds('argmax', R, g);
    const preprocess = await step(snp, () => snp.preprocess(needs));
    let z!: SecureArray;
    const online = await step(snp, async () => {
      z = v.argmax(1);
      await z.toShare();
      return z.depth - v.depth;
    });
    const r = await z.revealTo(0);
    const want = (row: number) => {
      let best = 0;
      for (let j = 1; j < g; j++) if (val(row * g + j) > val(row * g + best)) best = j;
      return best;
    };
    out.argmax = { size: R * g, rows: R, cols: g, needs, preprocess, online, mismatches: r ? countMismatches(r.data, want) : null };
  }
  const S = spec.sortSize;
  if (S > 0) {
    const a = snp.array(party === 0 ? vector(S, cmpX) : null, 0, 'float64', { shape: [S] });
    const b = snp.array(party === 1 ? vector(S, (i) => cmpY(i * 7)) : null, 1, 'float64', { shape: [S] });
    const v = a.add(b);
    await v.toShare();
    const needs = compareNeeds('sort', S);
    const preprocess = await step(snp, () => snp.preprocess(needs));
    let z!: SecureArray;
    const online = await step(snp, async () => {
      z = snp.sort(v);
      await z.toShare();
      return z.depth - v.depth;
    });
    const r = await z.revealTo(0);
    const want = r ? Float64Array.from({ length: S }, (_, i) => cmpX(i) + cmpY(i * 7)).sort() : null;
    out.sort = { size: S, comparators: sortingNetwork(S).comparators, needs, preprocess, online, maxError: r && want ? maxError(r.data as Float64Array, want) : null };
  }
  return out;
}

/** One step seen from both parties: the slower party's time, each party's bytes, the most rounds and messages. */
export function bothParties(a: StepFigures, b: StepFigures) {
  return {
    seconds: +Math.max(a.seconds, b.seconds).toFixed(3),
    bytesSentPerParty: [a.bytesSent, b.bytesSent],
    rounds: Math.max(a.rounds, b.rounds),
    messages: Math.max(a.messages, b.messages),
    triplesMade: a.triplesMade,
    truncationsMade: a.truncationsMade,
    matrixTriplesMade: a.matrixTriplesMade,
  };
}
