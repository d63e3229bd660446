// The injectable random source of the OT protocols: tests pass a seeded one to make
// runs reproducible; production uses the platform CSPRNG. Also draws ring elements from one.

import { randomBytes } from '../../shared/random.js';

/** Returns `n` fresh random bytes. */
export type RandomSource = (n: number) => Uint8Array;

export const platformRandom: RandomSource = randomBytes;

/** n uniform 64-bit words drawn from `rng` (n elements of Z_2^64, or n / 2 of Z_2^128). */
export function randomWords(rng: RandomSource, n: number): BigUint64Array {
  return new BigUint64Array(rng(n * 8).slice().buffer);
}
