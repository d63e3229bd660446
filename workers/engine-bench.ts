// The measurements of `npm run bench:engine`, shared so Node (runLocal) and the tabs' workers run the same code.

import { NDArray } from '../shared/ndarray.js';
import { seededUniform } from '../shared/random.js';
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
  /** Division by a secret, exp, sigmoid and logistic regression (absent or null skips them). */
  math?: MathBenchSpec | null;
}

/** Sizes of the math section; 0 skips a step. */
export interface MathBenchSpec {
  /** Elements of `x.div(d)` (x party 0's, d party 1's). */
  divSize: number;
  /** Elements of `snp.exp(x)`. */
  expSize: number;
  /** Elements of `snp.sigmoid(x)`. */
  sigmoidSize: number;
  /** Logistic regression: rows of X (party 0's, a column of ones added), features, epochs, learning rate. */
  lrRows: number;
  lrFeatures: number;
  lrEpochs: number;
  lrRate: number;
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
  math?: MathFigures | null;
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
  if (spec.math) figures.math = await benchMath(snp, party, spec.math);
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

// ---- Division by a secret, exp, sigmoid, logistic regression -----------------------------------

export interface MathNeeds {
  andWords: number;
  triples: number;
  truncations: number;
  /** Matrix triples by (m, k, n) (logistic regression). */
  matrices?: [number, number, number][];
}

/** One math op at one party: preprocessing (snp.preprocess of exactly its needs), online, and the check at party 0. */
export interface MathStep {
  size: number;
  needs: MathNeeds;
  preprocess: StepFigures;
  online: StepFigures;
  /** Largest |secure − plaintext| and largest error / documented bound (≤ 1 is within the bound); null at party 1. */
  maxError: number | null;
  maxErrorOverBound: number | null;
  withinBound: boolean | null;
}

export interface LogRegFigures {
  rows: number;
  /** Columns of X including the column of ones. */
  cols: number;
  epochs: number;
  learningRate: number;
  needs: MathNeeds;
  /** Sharing X (party 0), y (party 1) and the initial theta. */
  inputs: StepFigures;
  preprocess: StepFigures;
  /** The epochs and theta revealed to party 0. */
  online: StepFigures;
  /** At party 0 (null at party 1): the secure theta, its accuracy, the plaintext theta's on the same data. */
  theta: number[] | null;
  accuracy: number | null;
  plainAccuracy: number | null;
  maxThetaDiff: number | null;
}

export interface MathFigures {
  div: MathStep | null;
  exp: MathStep | null;
  sigmoid: MathStep | null;
  logreg: LogRegFigures | null;
}

/** Per value (the engine's counts: ops-math.ts divide per divisor + per output, ops-exp.ts EXP_NEEDS; sigmoid = lt(x, 0) + 2 where + exp + 1/(1 + e)). */
const PER_VALUE = {
  div: { andWords: 17, triples: 43 + 1, truncations: 8 + 1 },
  exp: { andWords: 12, triples: 59, truncations: 24 },
  sigmoid: { andWords: 12 + 12, triples: 2 * 2 + 59 + 6, truncations: 24 + 7 },
} as const;

/** Correlations of one math op over `size` values (divisor and numerator of the same shape). */
export function mathNeeds(op: 'div' | 'exp' | 'sigmoid', size: number): MathNeeds {
  const k = PER_VALUE[op];
  return { andWords: k.andWords * size, triples: k.triples * size, truncations: k.truncations * size };
}

/**
 * Correlations of logistic regression, rows × cols (ones included), per epoch: X·theta (a matrix
 * triple [rows, cols, 1] + rows truncations), sigmoid of rows values, Xᵀ(p − y) ([cols, rows, 1] +
 * cols truncations), times lr/n (a public fraction: cols truncations).
 */
export function logregNeeds(rows: number, cols: number, epochs: number): MathNeeds {
  const sig = mathNeeds('sigmoid', rows);
  return {
    andWords: epochs * sig.andWords,
    triples: epochs * sig.triples,
    truncations: epochs * (sig.truncations + rows + 2 * cols),
    matrices: Array.from({ length: epochs }, () => [[rows, cols, 1], [cols, rows, 1]] as [number, number, number][]).flat(),
  };
}

/** Scalar correlations in a MathNeeds (a matrix triple counted as m·k·n scalar triples, its cost dealer-free). */
export function needsCount(n: MathNeeds): number {
  return n.andWords + n.triples + n.truncations + (n.matrices ?? []).reduce((t, [m, k, c]) => t + m * k * c, 0);
}

/** Exact in fixed point (f = 16), so the plaintext reference sees the encoded inputs. */
const grid = (x: number) => Math.round(x * 65536) / 65536;
const U = 2 ** -16;
const divX = (i: number) => grid(100 * Math.sin(i * 0.37));
/** |d| from 2^-6 to 2^14 (log-uniform), both signs: |x/d| ≤ 6,400 stays inside the domain. */
const divD = (i: number) => (Math.cos(i * 0.11 + 0.2) < 0 ? -1 : 1) * grid(2 ** (-6 + 20 * ((i * 0.6180339887) % 1)));
/** [−20, 10]: below −(f + 1)·ln 2 the result is 0, and 10 < (31 − f)·ln 2. */
const expX = (i: number) => grid(15 * Math.sin(i * 0.37) - 5);
/** [−30, 30], denser near 0. */
const sigX = (i: number) => grid(30 * Math.sin(i * 0.37) ** 3);

const BOUNDS = {
  div: (i: number) => 2 ** -24 * Math.abs(divX(i) / divD(i)) + Math.abs(divX(i)) * 2 ** -31 + U,
  exp: (i: number) => 2 ** -22 * Math.exp(expX(i)) + U,
  sigmoid: () => 2 * U + 2 ** -21,
};
const WANT = {
  div: (i: number) => divX(i) / divD(i),
  exp: (i: number) => Math.exp(expX(i)),
  sigmoid: (i: number) => 1 / (1 + Math.exp(-sigX(i))),
};

/** A deterministic PRNG (mulberry32) and standard normals from it. */
function rng(seed: number) {
  const uniform = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Public, deterministic test data: X (rows × (features + 1), a column of ones first, standard
 * normal features on the fixed-point grid) and y = [b + w·x + noise > 0] with w ~ N(0, 0.6²),
 * b = 0.3, noise ~ N(0, 1) (the true model's accuracy is ~89%). Smaller rows are a prefix.
 */
export function logregData(rows: number, features: number): { X: Float64Array; y: Float64Array; cols: number } {
  const g = rng(12345);
  const w = Array.from({ length: features }, () => 0.6 * g());
  const cols = features + 1;
  const X = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = 0.3;
    X[i * cols] = 1;
    for (let j = 0; j < features; j++) {
      const v = grid(g());
      X[i * cols + 1 + j] = v;
      z += w[j]! * v;
    }
    y[i] = z + g() > 0 ? 1 : 0;
  }
  return { X, y, cols };
}

/** The same gradient descent in float64. */
export function logregPlain(X: Float64Array, y: Float64Array, cols: number, epochs: number, lr: number): Float64Array {
  const n = y.length;
  const theta = new Float64Array(cols);
  for (let e = 0; e < epochs; e++) {
    const grad = new Float64Array(cols);
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < cols; j++) z += X[i * cols + j]! * theta[j]!;
      const r = 1 / (1 + Math.exp(-z)) - y[i]!;
      for (let j = 0; j < cols; j++) grad[j]! += X[i * cols + j]! * r;
    }
    for (let j = 0; j < cols; j++) theta[j]! -= (lr * grad[j]!) / n;
  }
  return theta;
}

/** Share of rows where [X·theta ≥ 0] equals y. */
export function logregAccuracy(X: Float64Array, y: Float64Array, cols: number, theta: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) {
    let z = 0;
    for (let j = 0; j < cols; j++) z += X[i * cols + j]! * theta[j]!;
    if (Number(z >= 0) === y[i]) ok++;
  }
  return ok / y.length;
}

/** Secure logistic regression: returns theta at party 0 (null at party 1). */
function logregProgram(snp: Snp, X: SecureArray, y: SecureArray, theta0: SecureArray, rows: number, epochs: number, lr: number): SecureArray {
  let theta = theta0;
  for (let e = 0; e < epochs; e++) {
    const p = snp.sigmoid(X.matmul(theta));
    const grad = X.T.matmul(p.sub(y));
    theta = theta.sub(grad.mul(lr / rows));
  }
  return theta;
}

function logregInputs(snp: Snp, party: number, rows: number, features: number) {
  const { X, y, cols } = logregData(rows, features);
  return {
    X: snp.array(party === 0 ? new NDArray([rows, cols], 'float64', X) : null, 0, 'float64', { shape: [rows, cols] }),
    y: snp.array(party === 1 ? new NDArray([rows, 1], 'float64', y) : null, 1, 'float64', { shape: [rows, 1] }),
    theta: snp.array(party === 0 ? new NDArray([cols, 1], 'float64', new Float64Array(cols)) : null, 0, 'float64', { shape: [cols, 1] }),
    cols,
  };
}

/** Untimed small runs of each op, so the timed ones run on optimised code. */
async function warmUpMath(snp: Snp, party: number): Promise<void> {
  const n = 256;
  const lr = logregNeeds(32, 5, 1);
  await snp.preprocess({
    andWords: mathNeeds('div', n).andWords + mathNeeds('exp', n).andWords + mathNeeds('sigmoid', n).andWords + lr.andWords,
    triples: mathNeeds('div', n).triples + mathNeeds('exp', n).triples + mathNeeds('sigmoid', n).triples + lr.triples,
    truncations: mathNeeds('div', n).truncations + mathNeeds('exp', n).truncations + mathNeeds('sigmoid', n).truncations + lr.truncations,
    matrices: lr.matrices,
  });
  const x = snp.array(party === 0 ? vector(n, divX) : null, 0, 'float64', { shape: [n] });
  const d = snp.array(party === 1 ? vector(n, divD) : null, 1, 'float64', { shape: [n] });
  const e = snp.exp(snp.array(party === 0 ? vector(n, expX) : null, 0, 'float64', { shape: [n] }));
  const s = snp.sigmoid(snp.array(party === 0 ? vector(n, sigX) : null, 0, 'float64', { shape: [n] }));
  const l = logregInputs(snp, party, 32, 4);
  const t = logregProgram(snp, l.X, l.y, l.theta, 32, 1, 1);
  await Promise.all([x.div(d).toShare(), e.toShare(), s.toShare(), t.toShare()]);
  await barrier(snp);
}

/** Times one element-wise math op on prepared inputs and checks it against its documented bound at party 0. */
async function mathStep(snp: Snp, op: 'div' | 'exp' | 'sigmoid', n: number, inputs: SecureArray[], run: () => SecureArray): Promise<MathStep> {
  await Promise.all(inputs.map((a) => a.toShare()));
  const needs = mathNeeds(op, n);
  const preprocess = await step(snp, () => snp.preprocess(needs));
  let z!: SecureArray;
  const online = await step(snp, async () => {
    z = run();
    await z.toShare();
    return z.depth - Math.max(...inputs.map((a) => a.depth));
  });
  const got = await z.revealTo(0);
  if (!got) return { size: n, needs, preprocess, online, maxError: null, maxErrorOverBound: null, withinBound: null };
  const data = got.data as Float64Array;
  let err = 0;
  let ratio = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.abs(data[i]! - WANT[op](i));
    err = Math.max(err, e);
    ratio = Math.max(ratio, e / BOUNDS[op](i));
  }
  return { size: n, needs, preprocess, online, maxError: err, maxErrorOverBound: +ratio.toFixed(4), withinBound: ratio <= 1 };
}

async function benchMath(snp: Snp, party: number, spec: MathBenchSpec): Promise<MathFigures> {
  await warmUpMath(snp, party);
  const out: MathFigures = { div: null, exp: null, sigmoid: null, logreg: null };
  const at0 = (n: number, f: (i: number) => number) => snp.array(party === 0 ? vector(n, f) : null, 0, 'float64', { shape: [n] });
  if (spec.divSize > 0) {
    const n = spec.divSize;
    const x = at0(n, divX);
    const d = snp.array(party === 1 ? vector(n, divD) : null, 1, 'float64', { shape: [n] });
    out.div = await mathStep(snp, 'div', n, [x, d], () => x.div(d));
  }
  if (spec.expSize > 0) {
    const x = at0(spec.expSize, expX);
    out.exp = await mathStep(snp, 'exp', spec.expSize, [x], () => snp.exp(x));
  }
  if (spec.sigmoidSize > 0) {
    const x = at0(spec.sigmoidSize, sigX);
    out.sigmoid = await mathStep(snp, 'sigmoid', spec.sigmoidSize, [x], () => snp.sigmoid(x));
  }
  if (spec.lrRows > 0 && spec.lrEpochs > 0) {
    const { lrRows: rows, lrFeatures: features, lrEpochs: epochs, lrRate: lr } = spec;
    const l = logregInputs(snp, party, rows, features);
    const cols = l.cols;
    const inputs = await step(snp, async () => {
      await Promise.all([l.X.toShare(), l.y.toShare(), l.theta.toShare()]);
    });
    const needs = logregNeeds(rows, cols, epochs);
    const preprocess = await step(snp, () => snp.preprocess(needs));
    let theta: NDArray | null = null;
    const online = await step(snp, async () => {
      const t = logregProgram(snp, l.X, l.y, l.theta, rows, epochs, lr);
      theta = await t.revealTo(0);
      return t.depth - Math.max(l.X.depth, l.y.depth, l.theta.depth);
    });
    const got = theta as NDArray | null;
    let figs: Pick<LogRegFigures, 'theta' | 'accuracy' | 'plainAccuracy' | 'maxThetaDiff'> = { theta: null, accuracy: null, plainAccuracy: null, maxThetaDiff: null };
    if (got) {
      const data = logregData(rows, features);
      const plain = logregPlain(data.X, data.y, cols, epochs, lr);
      const secure = Array.from(got.data as Float64Array);
      figs = {
        theta: secure.map((v) => +v.toFixed(5)),
        accuracy: logregAccuracy(data.X, data.y, cols, secure),
        plainAccuracy: logregAccuracy(data.X, data.y, cols, plain),
        maxThetaDiff: maxError(Float64Array.from(secure), plain),
      };
    }
    out.logreg = { rows, cols, epochs, learningRate: lr, needs, inputs, preprocess, online, ...figs };
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
