// Additive secret sharing in Z_2^64: a value x becomes (x - r, r) for a fresh uniform r, so
// either share alone is uniformly random and reveals nothing about x.

import { ringAdd, ringSub } from '../shared/fixed.js';
import { randomRing } from '../shared/random.js';

/** Splits x into two shares; the second is the fresh mask r. */
export function share(x: BigUint64Array, random: (n: number) => BigUint64Array = randomRing): [BigUint64Array, BigUint64Array] {
  const r = random(x.length);
  return [ringSub(x, r), r];
}

export function reconstruct(s0: BigUint64Array, s1: BigUint64Array): BigUint64Array {
  return ringAdd(s0, s1);
}
