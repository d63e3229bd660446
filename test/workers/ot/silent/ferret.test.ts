// Ferret silent OT (workers/ot/silent/ferret.ts) over the in-memory Pool: every COT satisfies
// t_j = q_j ⊕ r_j·Δ across the bootstrap iteration and the first main iteration.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IknpReceiver, IknpSender } from '../../../../workers/ot/iknp.js';
import { FerretReceiver, FerretSender } from '../../../../workers/ot/silent/ferret.js';
import type { Pool } from '../../../../workers/pool/pool.js';
import { type PoolGroup, poolDuo } from '../../../helpers/pools.js';

describe('Ferret COT', () => {
  let g: PoolGroup;
  let sender: FerretSender;
  let receiver: FerretReceiver;
  beforeAll(async () => {
    g = poolDuo();
    const [p0, p1] = g.pools as [Pool, Pool];
    const [bs, br] = await Promise.all([IknpSender.setup(p0, 1, 'f', 0), IknpReceiver.setup(p1, 0, 'f', 0)]);
    [sender, receiver] = await Promise.all([
      FerretSender.open(p0, 1, 'f/x', bs),
      FerretReceiver.open(p1, 0, 'f/x', br),
    ]);
  }, 60_000);
  afterAll(() => g.close());

  it('gives t = q ⊕ r·Δ for every COT', async () => {
    const d = sender.delta;
    for (const m of [1000, 50_000, 700_000]) {
      const [q, t] = await Promise.all([sender.take(m), receiver.take(m)]);
      let ones = 0;
      for (let j = 0; j < m; j++) {
        const r = t[4 * j]! & 1;
        ones += r;
        expect(q[4 * j]! & 1).toBe(0);
        for (let i = 0; i < 4; i++) {
          if ((t[4 * j + i]! ^ (r ? d[i]! : 0)) >>> 0 !== q[4 * j + i])
            throw new Error(`COT ${j} word ${i} wrong (m=${m})`);
        }
      }
      expect(Math.abs(ones / m - 0.5)).toBeLessThan(0.05);
    }
  }, 300_000);
});
