// Additive sharing and Beaver multiplication with two parties in one process over the
// in-memory network.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeVector, encodeVector, ringMul } from '../shared/fixed.js';
import { randomRing } from '../shared/random.js';
import { triplesFromGrant } from '../shared/triples.js';
import { beaverMul } from '../workers/beaver.js';
import { poolDuo } from './helpers/pools.js';
import type { Pool } from '../workers/pool/pool.js';
import { reconstruct, share } from '../workers/sharing.js';
import { localGrants } from './helpers/dealer.js';

const ring = fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 0, maxLength: 50 });

describe('additive sharing', () => {
  it('reconstructs what it shares, for random ring vectors', () => {
    fc.assert(
      fc.property(ring, (xs) => {
        const x = BigUint64Array.from(xs);
        const [s0, s1] = share(x);
        expect(reconstruct(s0, s1)).toEqual(x);
      }),
    );
  });

  it('uses a fresh mask each time (shares of the same value differ)', () => {
    const x = encodeVector([1, 2, 3, 4]);
    const [a] = share(x);
    const [b] = share(x);
    expect(a).not.toEqual(b);
  });

  it('gives one share that is the mask itself: independent of the value', () => {
    const fixedMask = () => BigUint64Array.of(7n, 7n);
    const [s0, s1] = share(BigUint64Array.of(100n, 200n), fixedMask);
    expect(s1).toEqual(BigUint64Array.of(7n, 7n));
    expect(s0).toEqual(BigUint64Array.of(93n, 193n));
  });
});

describe('Beaver multiplication over the in-memory transport', () => {
  async function mulShared(x: BigUint64Array, y: BigUint64Array): Promise<BigUint64Array> {
    const n = x.length;
    const g = poolDuo();
    const [m0, m1] = g.pools as [Pool, Pool];
    const [x0, x1] = share(x);
    const [y0, y1] = share(y);
    const [g0, g1] = await localGrants(n);
    const [z0, z1] = await Promise.all([
      beaverMul(m0, 0, x0, y0, await triplesFromGrant(0, g0), 'm'),
      beaverMul(m1, 1, x1, y1, await triplesFromGrant(1, g1), 'm'),
    ]);
    g.close();
    return reconstruct(z0, z1);
  }

  it('multiplies random ring vectors exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (n) => {
        const x = randomRing(n);
        const y = randomRing(n);
        expect(await mulShared(x, y)).toEqual(ringMul(x, y));
      }),
      { numRuns: 25 },
    );
  });

  it('multiplies fixed-point numbers to the exact product at 32 fractional bits', async () => {
    const z = await mulShared(encodeVector([1.5, -2, 0, 46340]), encodeVector([2, 3.25, 9, -46340]));
    expect(decodeVector(z, 32)).toEqual([3, -6.5, 0, -46340 * 46340]);
  });
});
