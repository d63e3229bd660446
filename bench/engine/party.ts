// One party's run of `npm run bench:engine` on one SecureNumpy session: the setup, a fixed-point
// element-wise multiply and secret × secret square matrix products (each with its preprocessing
// timed apart from its online phase), then the compare and math sections. Node (runLocal) and
// the tabs' bench workers (bench/worker/) run this same code.

import type { SecureArray, Snp } from '../../workers/securenumpy/index.js';
import { benchCompare, type CompareBenchSpec, type CompareFigures } from './compare.js';
import { benchMath, type MathBenchSpec, type MathFigures } from './math.js';
import { barrier, matrix, maxError, plainMatmul, type StepFigures, step, vector } from './steps.js';

export interface EngineBenchSpec {
  mode: 'dealer-free' | 'dealer';
  /** The session's ring (absent: the engine's default, 64; bench/engine/rings.ts runs both). */
  ring?: 64 | 128;
  /** Dealer-free preprocessing lanes this party wishes for (absent: the engine's default). */
  lanes?: number;
  /** Where dealer-free correlated OTs come from (absent: the engine's default, silent OT). */
  otExtension?: 'silent' | 'iknp';
  /** Elements of the fixed-point element-wise product (0 skips it). */
  mulSize: number;
  /** Sides of the square secret × secret matrix products to measure, in order. */
  matmulSizes: number[];
  /** Comparison and order ops to measure (absent or null skips them). */
  compare?: CompareBenchSpec | null;
  /** Division by a secret, exp, sigmoid and logistic regression (absent or null skips them). */
  math?: MathBenchSpec | null;
}

export interface PartyFigures {
  party: number;
  /** The first correlations, which pay for setup (base OTs dealer-free; the dealer's seed). */
  setup: StepFigures;
  mul: {
    size: number;
    preprocessTriples: StepFigures;
    preprocessTruncations: StepFigures;
    online: StepFigures;
    maxError: number | null;
  } | null;
  matmul: {
    size: number;
    preprocessMatrix: StepFigures;
    preprocessTruncations: StepFigures;
    online: StepFigures;
    maxError: number | null;
  }[];
  compare?: CompareFigures | null;
  math?: MathFigures | null;
}

/** Both parties compute the same public test data; each inputs its own part. */
const mulX = (i: number) => 10 * Math.sin(i * 0.37);
const mulY = (i: number) => 10 * Math.cos(i * 0.11);
const matX = (i: number) => Math.sin(i * 0.013);
const matY = (i: number) => Math.cos(i * 0.029);

/** A small product first, untimed, so the timed ones run on optimised code (V8 compiles lazily). */
async function warmUp(snp: Snp, party: number): Promise<void> {
  const w = 4096;
  await snp.preprocess({ triples: w, truncations: w });
  const x = snp.array(party === 0 ? vector(w, mulX) : null, 0, 'float64', { shape: [w] });
  const y = snp.array(party === 1 ? vector(w, mulY) : null, 1, 'float64', { shape: [w] });
  await x.mul(y).toShare();
  await barrier(snp);
}

/** Runs the measurements for one party of one session; both parties call it with the same spec. */
export async function benchEngine(snp: Snp, party: number, spec: EngineBenchSpec): Promise<PartyFigures> {
  const figures: PartyFigures = {
    party,
    setup: await step(snp, () => snp.preprocess({ triples: 1, truncations: 1 })),
    mul: null,
    matmul: [],
  };
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
    const err = revealed
      ? maxError(
          revealed.data as Float64Array,
          Float64Array.from({ length: n }, (_, i) => mulX(i) * mulY(i)),
        )
      : null;
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
    figures.matmul.push({
      size: s,
      preprocessMatrix,
      preprocessTruncations,
      online,
      maxError: revealed ? maxError(revealed.data as Float64Array, want()) : null,
    });
  }
  if (spec.compare) figures.compare = await benchCompare(snp, party, spec.compare);
  if (spec.math) figures.math = await benchMath(snp, party, spec.math);
  await barrier(snp);
  return figures;
}
