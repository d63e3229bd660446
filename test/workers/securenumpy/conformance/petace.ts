// Helpers of the PETAce ports (petace-array.test.ts, petace-functions.test.ts): PETAce's
// tolerances, its seeded uniform data, and party 0's secret copy of a reference array.

import { input, randArr, rng, type Snp } from './harness.js';
import * as R from './reference.js';

/** PETAce's `decimal=d`: |error| < 1.5·10^-d. */
export const dec = (d: number) => 1.5 * 10 ** -d;
/** Uniform [0, 1) data, as np.random.random. */
export const random = (seed: number, shape: number[]) => randArr(rng(seed), shape, 0, 1);
export const ar = (start: number, stop?: number) => R.arange(start, stop);
export const N = R.fromNested;
/** Party 0's secret copy of x (PETAce's snp.array(x, 0)). */
export const own0 =
  (x: R.Arr, dtype: 'float64' | 'bool' = 'float64') =>
  (snp: Snp, p: number) =>
    input(snp, p, 0, x, dtype);
