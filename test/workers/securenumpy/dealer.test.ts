// The dealer in both rings: each request carries the session's ring ℓ, the dealer deals ring
// elements of ℓ/64 words (triples, matrix triples, bit products' z) that reconstruct exactly, and
// refuses a request in a ring other than the one its first request fixed (ERR_PROTOCOL).

import { describe, expect, it } from 'vitest';
import { RING64, RING128 } from '../../../shared/rings.js';
import { DealerClient, serveDealer } from '../../../workers/securenumpy/dealer.js';
import { poolGroup } from '../../helpers/pools.js';

describe.each([RING64, RING128])('the dealer in the $bits-bit ring', (R) => {
  it('deals triples, matrix triples and bit products that reconstruct', async () => {
    const g = poolGroup(3);
    const served = serveDealer(g.pools[2]!);
    const [c0, c1] = [0, 1].map((p) => new DealerClient(g.pools[p]!, p as 0 | 1, 2, R)) as [DealerClient, DealerClient];
    const [t0, t1] = await Promise.all([c0.triples(5), c1.triples(5)]);
    expect(t0.a.length).toBe(5 * R.words);
    expect(R.mul(R.add(t0.a, t1.a), R.add(t0.b, t1.b))).toEqual(R.add(t0.c, t1.c));
    const [m0, m1] = await Promise.all([c0.matrixTriple(2, 3, 4), c1.matrixTriple(2, 3, 4)]);
    expect(m0.C.length).toBe(8 * R.words);
    expect(R.ringMatmul(R.add(m0.A, m1.A), R.add(m0.B, m1.B), 2, 3, 4)).toEqual(R.add(m0.C, m1.C));
    const [b0, b1] = await Promise.all([c0.bitProducts(64), c1.bitProducts(64)]);
    const want = new BigUint64Array(64 * R.words);
    for (let i = 0; i < 64; i++) want[i * R.words] = b0.mine[i]! & b1.mine[i]!;
    expect(R.add(b0.z, b1.z)).toEqual(want);
    expect(new Set(b0.mine).size).toBe(2); // uniform bits: both values appear among 64
    c0.close();
    c1.close();
    await expect(served).resolves.toEqual({ requests: 3 });
    g.close();
  });
});

describe('the dealer refuses requests in another ring', () => {
  it.each([
    ['64 after 128', [128, 64]],
    ['128 after 64', [64, 128]],
    ['a 96-bit ring', [96]],
  ])('%s: ERR_PROTOCOL', async (_, rings) => {
    const g = poolGroup(3);
    const served = serveDealer(g.pools[2]!);
    served.catch(() => undefined);
    rings.forEach(
      (bits, n) => void g.pools[1]!.send(2, Float64Array.of(0, bits, 2), `snp/dreq/${n}`).catch(() => undefined),
    );
    await expect(served).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    g.close();
  });
});
