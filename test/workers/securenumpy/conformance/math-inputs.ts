// Inputs of the math conformance tests (math*.test.ts) in both rings: each ring's domain edges
// (the normalisation width H = ℓ/2: |x| < 2^(H−1−f)), seeded log-uniform and uniform samples
// rounded to the fixed point, and the run options (dealer mode; the wide ring takes a smaller
// random sample, its edges always included).

import { type Rng, type RunOptions, roundFixed, U } from './harness.js';
import type * as R from './reference.js';

export const RINGS = [64, 128] as const;
export type RingBits = (typeof RINGS)[number];

/** A ring's domain and run options at f = 16. */
export interface RingCase {
  ring: RingBits;
  opts: RunOptions;
  /** The largest input below the ring's math domain 2^(H−1−f). */
  edge: number;
  /** div's extra fractional bits of 1/d (its |x|·2^-q term). */
  q: number;
  /** Random points per function (the edges come on top). */
  sample: number;
}

export function ringCase(ring: RingBits): RingCase {
  return {
    ring,
    opts: { preprocessing: 'dealer', ring },
    edge: 2 ** (ring / 2 - 1 - 16) - (ring === 64 ? U : 2 ** -4),
    q: ring === 64 ? 31 : 62,
    sample: ring === 64 ? 200 : 60,
  };
}

export const arr = (data: number[], shape: number[] = [data.length]): R.Arr => ({ shape, data: data.map(roundFixed) });

/** Log-uniform magnitudes in [lo, hi), random signs (unless positive). */
export function logUniform(r: Rng, n: number, lo: number, hi: number, positive = false): number[] {
  return Array.from({ length: n }, () => {
    const m = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * r());
    return roundFixed(positive || r() < 0.5 ? m : -m) || U;
  });
}

export const uniform = (r: Rng, n: number, lo: number, hi: number) =>
  Array.from({ length: n }, () => roundFixed(lo + (hi - lo) * r()));
