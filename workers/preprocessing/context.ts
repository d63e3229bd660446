// The injectable random source of the preprocessing protocols: tests pass a seeded one to make
// runs reproducible; production uses the platform CSPRNG.

import { randomBytes } from '../../shared/random.js';

/** Returns `n` fresh random bytes. */
export type RandomSource = (n: number) => Uint8Array;

export const platformRandom: RandomSource = randomBytes;
