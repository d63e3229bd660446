// Logistic regression in the "math" section of `npm run bench:engine`: the shipped preset program
// (workers/programs/logistic-regression.ts, compiled as a job's program is) on public,
// deterministic data, X at party 0 and the labels at party 1. The inputs are shared first and
// timed apart, then the program's correlations are made by snp.preprocess, then it runs; its
// theta is compared at party 0 with the program module's plaintext reference.

import { NDArray } from '../../shared/ndarray.js';
import { seededUniform } from '../../shared/random.js';
import { compileProgram } from '../../workers/program.js';
import {
  LOGISTIC_REGRESSION_COLUMNS,
  logisticAccuracy,
  logisticRegressionPlain,
  logisticRegressionProgram,
} from '../../workers/programs/logistic-regression.js';
import { inputTable } from '../../workers/sandbox/input-table.js';
import type { SecureArray, Snp } from '../../workers/securenumpy/index.js';
import { logregNeeds, type MathNeeds } from './needs.js';
import { maxError, type StepFigures, step } from './steps.js';

export interface LogRegFigures {
  rows: number;
  /** Columns of X including the column of ones. */
  cols: number;
  epochs: number;
  learningRate: number;
  needs: MathNeeds;
  /** Sharing X (party 0) and y (party 1). */
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

/** Exact in fixed point (f = 16), so the plaintext reference sees the encoded inputs. */
export const grid = (x: number) => Math.round(x * 65536) / 65536;

/** A deterministic PRNG (mulberry32) and standard normals from it. */
function rng(seed: number) {
  const uniform = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Public, deterministic test data: X (rows × features, standard normal on the fixed-point grid)
 * and y = [b + w·x + noise > 0] with w ~ N(0, 0.6²), b = 0.3, noise ~ N(0, 1) (the true model's
 * accuracy is ~89%). Smaller rows are a prefix.
 */
function logregData(rows: number, features: number): { X: number[][]; y: number[] } {
  const g = rng(12345);
  const w = Array.from({ length: features }, () => 0.6 * g());
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    let z = 0.3;
    const row = Array.from({ length: features }, (_, j) => {
      const v = grid(g());
      z += w[j]! * v;
      return v;
    });
    X.push(row);
    y.push(z + g() > 0 ? 1 : 0);
  }
  return { X, y };
}

export interface LogregInputs {
  X: SecureArray;
  y: SecureArray;
  /** This party's rows as the program gets them (X at party 0, y as one column at party 1). */
  input: number[][];
  data: { X: number[][]; y: number[] };
}

export function logregInputs(snp: Snp, party: number, rows: number, features: number): LogregInputs {
  const data = logregData(rows, features);
  const X = new NDArray([rows, features], 'float64', Float64Array.from(data.X.flat()));
  const y = new NDArray([rows, 1], 'float64', Float64Array.from(data.y));
  return {
    X: snp.array(party === 0 ? X : null, 0, 'float64', { shape: [rows, features] }),
    y: snp.array(party === 1 ? y : null, 1, 'float64', { shape: [rows, 1] }),
    input: party === 0 ? data.X : data.y.map((v) => [v]),
    data,
  };
}

/**
 * Runs the shipped program text on the inputs; its two snp.array calls get the arrays shared
 * beforehand (so the timing of the inputs stays apart). Resolves to theta at party 0, else null.
 */
export async function runLogreg(
  snp: Snp,
  party: number,
  l: LogregInputs,
  epochs: number,
  lr: number,
): Promise<NDArray | null> {
  const program = compileProgram(logisticRegressionProgram({ receivers: [0], epochs, learningRate: lr }));
  const view = { ...snp, array: (_data: unknown, owner: number) => (owner === 0 ? l.X : l.y) };
  // X's columns are its features, however many (read as input.rows); the labels by name.
  const input = inputTable(l.input, party === 1 ? LOGISTIC_REGRESSION_COLUMNS[1]! : null);
  const out = (await program(view, party, input)) as { theta: NDArray | null };
  return out.theta;
}

export async function benchLogreg(
  snp: Snp,
  party: number,
  rows: number,
  features: number,
  epochs: number,
  lr: number,
): Promise<LogRegFigures> {
  const l = logregInputs(snp, party, rows, features);
  const cols = features + 1;
  const inputs = await step(snp, async () => {
    await Promise.all([l.X.toShare(), l.y.toShare()]);
  });
  const needs = logregNeeds(rows, cols, epochs, lr);
  const preprocess = await step(snp, () => snp.preprocess(needs));
  let theta: NDArray | null = null;
  const online = await step(snp, async () => {
    theta = await runLogreg(snp, party, l, epochs, lr);
    // stats().rounds is the deepest chain so far (this program's: it is deeper than every op
    // before it); the reveal is one round after theta (ops-reveal.ts).
    return snp.stats().rounds - 1 - Math.max(l.X.depth, l.y.depth);
  });
  const got = theta as NDArray | null;
  const figs: Pick<LogRegFigures, 'theta' | 'accuracy' | 'plainAccuracy' | 'maxThetaDiff'> = {
    theta: null,
    accuracy: null,
    plainAccuracy: null,
    maxThetaDiff: null,
  };
  if (got) {
    const plain = logisticRegressionPlain(l.data.X, l.data.y, epochs, lr);
    const secure = Array.from(got.data as Float64Array);
    figs.theta = secure.map((v) => +v.toFixed(5));
    figs.accuracy = logisticAccuracy(secure, l.data.X, l.data.y);
    figs.plainAccuracy = logisticAccuracy(plain, l.data.X, l.data.y);
    figs.maxThetaDiff = maxError(Float64Array.from(secure), Float64Array.from(plain));
  }
  return { rows, cols, epochs, learningRate: lr, needs, inputs, preprocess, online, ...figs };
}
