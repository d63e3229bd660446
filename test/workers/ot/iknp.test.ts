// IKNP OT extension (workers/ot/iknp.ts): random OTs whose receiver gets exactly
// m_{r_j}, for counts that are and are not multiples of 128, fresh values per batch, the
// column relation q = t ⊕ r·s, and refusal of malformed matrices from the peer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import { randomBytes } from '../../../shared/random.js';
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

  async function extend(m: number) {
    const choices = randomBytes(Math.ceil(m / 8) + 3); // extra bytes must be ignored
    const [s, r] = await Promise.all([sender.extend(m), receiver.extend(choices, m)]);
    return { choices, ...s, got: r.messages, rBatch: r.batch };
  }

  it.each([1, 127, 128, 129, 1000])('gives the receiver m_{r_j} for %i random choices', async (m) => {
    const { choices, m0, m1, got, batch, rBatch } = await extend(m);
    expect(rBatch).toBe(batch);
    expect([m0.length, m1.length, got.length]).toEqual([m, m, m]);
    for (let j = 0; j < m; j++) {
      const c = (choices[j >>> 3]! >>> (j & 7)) & 1;
      expect(got[j]).toBe(c ? m1[j] : m0[j]);
      expect(m0[j]).not.toBe(m1[j]);
    }
  });

  it('uses fresh randomness per batch: no message repeats across batches', async () => {
    const a = await extend(300);
    const b = await extend(300);
    const seen = new Set([...a.m0, ...a.m1]);
    expect(seen.size).toBe(600);
    for (const v of [...b.m0, ...b.m1]) expect(seen.has(v)).toBe(false);
  });

  it('sends one matrix of 128 × M bits per batch', async () => {
    const before = g.pools[1]!.stats.bytesSent;
    await extend(1000);
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
      const extending = sender.extend(200);
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
        await expect(sender.extend(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
        await expect(receiver.extend(new Uint8Array(8), m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
      }
      await expect(receiver.extend(new Uint8Array(1), 9)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    } finally {
      g.close();
    }
  });
});
