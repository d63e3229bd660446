// The "math" section of `npm run bench:engine`: division by a secret, exp and sigmoid, each op's
// correlations made first by snp.preprocess (timed apart from the online phase) and every result
// checked at party 0 against its documented error bound; then logistic regression (logreg.ts).

import type { SecureArray, Snp } from '../../workers/securenumpy/index.js';
import { benchLogreg, grid, type LogRegFigures, logregInputs, runLogreg } from './logreg.js';
import { logregNeeds, type MathNeeds, mathNeeds } from './needs.js';
import { barrier, type StepFigures, step, vector } from './steps.js';

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

export interface MathFigures {
  div: MathStep | null;
  exp: MathStep | null;
  sigmoid: MathStep | null;
  logreg: LogRegFigures | null;
}

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

/** Untimed small runs of each op, so the timed ones run on optimised code. */
async function warmUpMath(snp: Snp, party: number): Promise<void> {
  const n = 256;
  const lr = logregNeeds(32, 5, 1, 1);
  const ops = [mathNeeds('div', n), mathNeeds('exp', n), mathNeeds('sigmoid', n), lr];
  await snp.preprocess({
    andWords: ops.reduce((t, x) => t + x.andWords, 0),
    triples: ops.reduce((t, x) => t + x.triples, 0),
    truncations: ops.reduce((t, x) => t + x.truncations, 0),
    matrices: lr.matrices,
  });
  const x = snp.array(party === 0 ? vector(n, divX) : null, 0, 'float64', { shape: [n] });
  const d = snp.array(party === 1 ? vector(n, divD) : null, 1, 'float64', { shape: [n] });
  const e = snp.exp(snp.array(party === 0 ? vector(n, expX) : null, 0, 'float64', { shape: [n] }));
  const s = snp.sigmoid(snp.array(party === 0 ? vector(n, sigX) : null, 0, 'float64', { shape: [n] }));
  const l = logregInputs(snp, party, 32, 4);
  await Promise.all([x.div(d).toShare(), e.toShare(), s.toShare(), runLogreg(snp, party, l, 1, 1)]);
  await barrier(snp);
}

/** Times one element-wise math op on prepared inputs and checks it against its documented bound at party 0. */
async function mathStep(
  snp: Snp,
  op: 'div' | 'exp' | 'sigmoid',
  n: number,
  inputs: SecureArray[],
  run: () => SecureArray,
): Promise<MathStep> {
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
  return {
    size: n,
    needs,
    preprocess,
    online,
    maxError: err,
    maxErrorOverBound: +ratio.toFixed(4),
    withinBound: ratio <= 1,
  };
}

export async function benchMath(snp: Snp, party: number, spec: MathBenchSpec): Promise<MathFigures> {
  await warmUpMath(snp, party);
  const out: MathFigures = { div: null, exp: null, sigmoid: null, logreg: null };
  const at0 = (n: number, f: (i: number) => number) =>
    snp.array(party === 0 ? vector(n, f) : null, 0, 'float64', { shape: [n] });
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
    out.logreg = await benchLogreg(snp, party, spec.lrRows, spec.lrFeatures, spec.lrEpochs, spec.lrRate);
  }
  return out;
}
