// IKNP OT extension (workers/ot/iknp.ts), the silent-OT bootstrap: correlated OTs with
// t = q ⊕ r·Δ and r in bit 0, for counts that are and are not multiples of 128, fresh values
// per batch, the column relation q = t ⊕ r·s, and refusal of malformed matrices from the peer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import { getBit, transposeBits } from '../../../workers/ot/bits.js';
import {
  IknpReceiver,
  IknpSender,
  KAPPA,
  paddedLength,
  receiverColumns,
  senderColumns,
} from '../../../workers/ot/iknp.js';
import type { Pool } from '../../../workers/pool/pool.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';

describe('IKNP pure steps', () => {
  it('gives rows with q_j = t_j ⊕ r_j·s', () => {
    const M = 256;
    const words = M / 32;
    const g0 = Array.from({ length: KAPPA }, () => crypto.getRandomValues(new Uint32Array(words)));
    const g1 = Array.from({ length: KAPPA }, () => crypto.getRandomValues(new Uint32Array(words)));
    const r = crypto.getRandomValues(new Uint32Array(words));
    const s = crypto.getRandomValues(new Uint32Array(4));
    const { t, u } = receiverColumns(g0, g1, r);
    const gs = g0.map((col, i) => (getBit(s, i) ? g1[i]! : col)); // base OT: S learns k_{s_i}
    const q = senderColumns(gs, s, u);
    const T = transposeBits(t, KAPPA, M);
    const Q = transposeBits(q, KAPPA, M);
    for (let j = 0; j < M; j++) {
      for (let w = 0; w < 4; w++) expect(Q[4 * j + w]).toBe((T[4 * j + w]! ^ (getBit(r, j) ? s[w]! : 0)) >>> 0);
    }
  });
});

describe('IKNP over the Pool', () => {
  let g: PoolGroup;
  let sender: IknpSender;
  let receiver: IknpReceiver;
  beforeAll(async () => {
    g = poolDuo();
    const [p0, p1] = g.pools as [Pool, Pool];
    [sender, receiver] = await Promise.all([IknpSender.setup(p0, 1, 'iknp', 0), IknpReceiver.setup(p1, 0, 'iknp', 0)]);
  });
  afterAll(() => g.close());

  async function take(m: number) {
    const [q, t] = await Promise.all([sender.take(m), receiver.take(m)]);
    return { q, t };
  }

  it.each([1, 127, 128, 129, 1000])('gives %i COTs with t_j = q_j ⊕ r_j·Δ and r_j in bit 0', async (m) => {
    const { q, t } = await take(m);
    const d = sender.delta;
    expect(d[0]! & 1).toBe(1);
    expect([q.length, t.length]).toEqual([4 * m, 4 * m]);
    let ones = 0;
    for (let j = 0; j < m; j++) {
      const r = t[4 * j]! & 1;
      ones += r;
      expect(q[4 * j]! & 1).toBe(0);
      for (let w = 0; w < 4; w++) expect(t[4 * j + w]).toBe((q[4 * j + w]! ^ (r ? d[w]! : 0)) >>> 0);
    }
    if (m >= 1000) expect(ones).toBeGreaterThan(400); // the choices are random, not all zero
  });

  it('uses fresh randomness per batch: no block repeats across batches', async () => {
    const a = await take(300);
    const b = await take(300);
    const key = (v: Uint32Array, j: number) => Array.from(v.subarray(4 * j, 4 * j + 4)).join(',');
    const seen = new Set(Array.from({ length: 300 }, (_, j) => key(a.q, j)));
    expect(seen.size).toBe(300);
    for (let j = 0; j < 300; j++) expect(seen.has(key(b.q, j))).toBe(false);
  });

  it('sends one matrix of 128 × M bits per batch', async () => {
    const before = g.pools[1]!.stats.bytesSent;
    await take(1000);
    const sent = g.pools[1]!.stats.bytesSent - before;
    expect(sent).toBeGreaterThanOrEqual((KAPPA * paddedLength(1000)) / 8);
    expect(sent).toBeLessThan((KAPPA * paddedLength(1000)) / 8 + 256);
  });
});

describe('IKNP refuses malformed matrices', () => {
  it.each([
    ['a matrix that is too short', (M: number) => new Uint32Array((KAPPA * M) / 32 - 1)],
    ['bytes instead of words', (M: number) => new Uint8Array((KAPPA * M) / 8)],
    ['a string', () => 'garbage'],
  ])('%s', async (_, garbage) => {
    const g = poolDuo();
    try {
      const [p0, p1] = g.pools as [Pool, Pool];
      const [sender] = await Promise.all([IknpSender.setup(p0, 1, 'bad', 0), IknpReceiver.setup(p1, 0, 'bad', 0)]);
      const extending = sender.take(200);
      await p1.send(0, garbage(paddedLength(200)), 'bad/u/0'); // a hand-driven receiver
      await expect(extending).rejects.toBeInstanceOf(ParleyError);
      await expect(extending).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    } finally {
      g.close();
    }
  });

  it('refuses OT counts that are not positive whole numbers', async () => {
    const g = poolDuo();
    try {
      const [p0, p1] = g.pools as [Pool, Pool];
      const [sender, receiver] = await Promise.all([
        IknpSender.setup(p0, 1, 'n', 0),
        IknpReceiver.setup(p1, 0, 'n', 0),
      ]);
      for (const m of [0, -1, 1.5, Number.NaN]) {
        await expect(sender.take(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
        await expect(receiver.take(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
      }
    } finally {
      g.close();
    }
  });
});
