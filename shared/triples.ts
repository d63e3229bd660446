// Beaver triples from a dealer in compressed form: party 0 expands all of (a0, b0, c0) from a
// seed; party 1 expands (a1, b1) from its own seed and receives c1 = (a0+a1)(b0+b1) - c0.
// The dealer is a placeholder source of correlated randomness, never a data owner.

import { ParleyError } from './errors.js';
import { ringAdd, ringMul, ringSub } from './fixed.js';
import { expandSeed, fromBase64Url, toBase64Url } from './random.js';

export interface TripleShares {
  a: BigUint64Array;
  b: BigUint64Array;
  c: BigUint64Array;
}

/** The correction vector c1 for party 1, given both seeds (run by the dealer only). */
export async function dealerCorrection(seed0: Uint8Array, seed1: Uint8Array, n: number): Promise<BigUint64Array> {
  const s0 = await expandSeed(seed0, 3 * n);
  const s1 = await expandSeed(seed1, 2 * n);
  const a = ringAdd(s0.subarray(0, n), s1.subarray(0, n));
  const b = ringAdd(s0.subarray(n, 2 * n), s1.subarray(n, 2 * n));
  return ringSub(ringMul(a, b), s0.subarray(2 * n, 3 * n));
}

/** A party's n triples from its grant: seed (both parties) and correction (party 1 only). */
export async function triplesFromGrant(
  party: 0 | 1,
  grant: { seed: string; count: number; correction?: string },
): Promise<TripleShares> {
  const n = grant.count;
  const seed = fromBase64Url(grant.seed);
  if (party === 0) {
    const s = await expandSeed(seed, 3 * n);
    return { a: s.slice(0, n), b: s.slice(n, 2 * n), c: s.slice(2 * n, 3 * n) };
  }
  if (!grant.correction) throw new ParleyError('ERR_PROTOCOL', 'party 1 needs a correction vector from the dealer');
  const bytes = fromBase64Url(grant.correction);
  if (bytes.length !== n * 8) throw new ParleyError('ERR_PROTOCOL', `expected ${n * 8} correction bytes, got ${bytes.length}`);
  const s = await expandSeed(seed, 2 * n);
  return { a: s.slice(0, n), b: s.slice(n, 2 * n), c: new BigUint64Array(bytes.slice().buffer) };
}

export function encodeCorrection(c: BigUint64Array): string {
  return toBase64Url(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
}
