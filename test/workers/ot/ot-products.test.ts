// Dealer-free OT products (OtGenerator.otProducts, workers/ot/ot-triples.ts), the private join's
// bit × ring correlations: as sender a party holds r and s, as receiver β and t, with
// s_P + t_{1−P} = β_{1−P}·r_P mod 2^ℓ, in both rings and on both OT extensions; the bits are
// balanced, the r uniform-looking, and no message is sent beyond the COTs' own; the lanes split
// and rejoin them like the other kinds.

import { afterEach, describe, expect, it } from 'vitest';
import { RING64, RING128, type Ring } from '../../../shared/rings.js';
import { Lanes, openThreadLane } from '../../../workers/ot/lanes/lanes.js';
import { OtGenerator } from '../../../workers/ot/ot-triples.js';
import type { Pool } from '../../../workers/pool/pool.js';
import type { OtProducts } from '../../../workers/securenumpy/correlations.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';

let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});

/** Element k of v (W words, low first) as a bigint. */
const at = (v: BigUint64Array, k: number, W: number) => (W === 1 ? v[k]! : v[2 * k]! | (v[2 * k + 1]! << 64n));

function expectValid(p: [OtProducts, OtProducts], n: number, ring: Ring): void {
  const W = ring.words;
  const mod = (1n << BigInt(ring.bits)) - 1n;
  const wrong: number[] = [];
  let ones = 0;
  for (const [snd, rcv] of [
    [p[0], p[1]],
    [p[1], p[0]],
  ] as const) {
    expect([snd.r.length, snd.s.length, rcv.beta.length, rcv.t.length]).toEqual([n * W, n * W, n, n * W]);
    for (let k = 0; k < n; k++) {
      const beta = rcv.beta[k]!;
      if (beta > 1n) wrong.push(k);
      ones += Number(beta);
      if (((at(snd.s, k, W) + at(rcv.t, k, W)) & mod) !== ((beta * at(snd.r, k, W)) & mod)) wrong.push(k);
    }
  }
  expect(wrong).toEqual([]);
  expect(ones / (2 * n)).toBeGreaterThan(0.4);
  expect(ones / (2 * n)).toBeLessThan(0.6);
  expect(new Set(Array.from({ length: n }, (_, k) => at(p[0].r, k, W))).size).toBe(n);
}

describe('OT products', () => {
  for (const [ring, extension] of [
    [RING64, 'silent'],
    [RING128, 'silent'],
    [RING64, 'iknp'],
  ] as const) {
    it(`hold s + t = β·r each way (ring ${ring.bits}, ${extension})`, async () => {
      g = poolDuo();
      const pools = g.pools as [Pool, Pool];
      const gens = await Promise.all(
        [0, 1].map((p) => OtGenerator.open(pools[p]!, p as 0 | 1, 'otp', { extension, ring: ring.bits })),
      );
      const n = 3000;
      const before = pools[0].stats.bytesSent + pools[1].stats.bytesSent;
      const p = (await Promise.all(gens.map((s) => s.otProducts(n)))) as [OtProducts, OtProducts];
      expectValid(p, n, ring);
      if (extension === 'iknp') {
        // Only the COTs travel: IKNP's u, 16 B per OT and instance, nothing of the products' own.
        const sent = pools[0].stats.bytesSent + pools[1].stats.bytesSent - before;
        expect(sent).toBeLessThan(2 * n * 16 + 4096);
      }
    }, 60_000);
  }

  it('split over lanes and joined back in order (kind otProducts)', async () => {
    g = poolDuo();
    const pools = g.pools as [Pool, Pool];
    const lanes = await Promise.all(
      [0, 1].map((p) => Lanes.open(pools[p]!, p as 0 | 1, 'otl', { wish: 2, openLane: openThreadLane })),
    );
    const n = 1001;
    const made = await Promise.all(lanes.map((l) => l.make('otProducts', n, 300)));
    const p = made.map(([r, s, beta, t]) => ({ r: r!, s: s!, beta: beta!, t: t! })) as [OtProducts, OtProducts];
    expectValid(p, n, RING64);
    for (const l of lanes) l.close();
  }, 60_000);
});
