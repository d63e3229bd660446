// The measurements of `npm run bench:engine`, shared so Node (runLocal) and the tabs' workers run the same code.

import { NDArray } from '../shared/ndarray.js';
import type { SecureArray, SessionStats, Snp } from './securenumpy/index.js';

export interface EngineBenchSpec {
  mode: 'dealer-free' | 'dealer';
  /** Elements of the fixed-point element-wise product (0 skips it). */
  mulSize: number;
  /** Sides of the square secret × secret matrix products to measure, in order. */
  matmulSizes: number[];
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
}

export interface PartyFigures {
  party: number;
  /** The first correlations, which pay for setup (base OTs dealer-free; the dealer's seed). */
  setup: StepFigures;
  mul: { size: number; preprocessTriples: StepFigures; preprocessTruncations: StepFigures; online: StepFigures; maxError: number | null } | null;
  matmul: { size: number; preprocessMatrix: StepFigures; preprocessTruncations: StepFigures; online: StepFigures; maxError: number | null }[];
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
  await barrier(snp);
  return figures;
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
