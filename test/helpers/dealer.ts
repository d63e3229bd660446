// An in-process dealer for engine tests: fresh seeds per call, the same compressed grants the
// service hands out.

import type { TripleGrant } from '../../shared/protocol.js';
import { randomBytes, toBase64Url } from '../../shared/random.js';
import { dealerCorrection, encodeCorrection } from '../../shared/triples.js';

export async function localGrants(n: number): Promise<[TripleGrant, TripleGrant]> {
  const seed0 = randomBytes(32);
  const seed1 = randomBytes(32);
  const correction = encodeCorrection(await dealerCorrection(seed0, seed1, n));
  return [
    { seed: toBase64Url(seed0), count: n },
    { seed: toBase64Url(seed1), count: n, correction },
  ];
}
