// What every section of `npm run bench:engine` times with: one timed step between barriers with
// what this party's session stats moved by, the shared test-data shapes, and the error checks.
// The measurements run the same in Node (runLocal) and in the tabs' bench workers.

import { NDArray } from '../../shared/ndarray.js';
import type { SessionStats, Snp } from '../../workers/securenumpy/index.js';

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

export const vector = (n: number, f: (i: number) => number) =>
  new NDArray(
    [n],
    'float64',
    Float64Array.from({ length: n }, (_, i) => f(i)),
  );
export const matrix = (s: number, f: (i: number) => number) =>
  new NDArray(
    [s, s],
    'float64',
    Float64Array.from({ length: s * s }, (_, i) => f(i)),
  );

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
export async function barrier(snp: Snp): Promise<void> {
  const z = snp.zeros([1]);
  await z.revealTo(0);
  await z.revealTo(1);
}

/** Lets messages posted this turn leave (the engine batches a turn's posts), so stats count them. */
const settle = () => new Promise((r) => setTimeout(r, 20));

/** Times f between barriers; f resolves to the rounds its op added (or nothing). */
// biome-ignore lint/suspicious/noConfusingVoidType: steps pass engine calls that resolve to nothing
export async function step(snp: Snp, f: () => Promise<number | void>): Promise<StepFigures> {
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

export function maxError(got: Float64Array, want: Float64Array): number {
  let e = 0;
  for (let i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i]! - want[i]!));
  return e;
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
