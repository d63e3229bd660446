// Random OT from correlated OT (workers/ot/rot.ts) over IKNP and over Ferret: the receiver gets
// m_c for its random choice c (balanced, padded with zeros to whole words), the two messages
// differ, the random OT itself sends nothing, batches get fresh messages, 128-bit messages for
// the wide ring, and bad counts are refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IknpReceiver, IknpSender } from '../../../workers/ot/iknp.js';
import { RotReceiver, RotSender } from '../../../workers/ot/rot.js';
import { FerretReceiver, FerretSender } from '../../../workers/ot/silent/ferret.js';
import type { Pool } from '../../../workers/pool/pool.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';

interface Rot {
  g: PoolGroup;
  sender: RotSender;
  receiver: RotReceiver;
  /** What the sender's pool received, id → value. */
  received: Map<string, unknown>;
}

async function openRot(id: string, over: 'iknp' | 'ferret'): Promise<Rot> {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  const received = new Map<string, unknown>();
  const recv = p0.recv.bind(p0);
  p0.recv = (async (from: number, mid?: string) => {
    const v = await recv(from, mid as string);
    if (mid !== undefined) received.set(mid, v);
    return v;
  }) as typeof p0.recv;
  const [bs, br] = await Promise.all([IknpSender.setup(p0, 1, id, 0), IknpReceiver.setup(p1, 0, id, 0)]);
  const [cs, cr] =
    over === 'iknp'
      ? [bs, br]
      : await Promise.all([FerretSender.open(p0, 1, `${id}/f`, bs), FerretReceiver.open(p1, 0, `${id}/f`, br)]);
  const [sender, receiver] = await Promise.all([RotSender.over(p0, 1, id, cs), RotReceiver.over(p1, 0, id, cr)]);
  return { g, sender, receiver, received };
}

const bit = (words: Uint32Array, j: number) => (words[j >>> 5]! >>> (j & 31)) & 1;

describe.each(['iknp', 'ferret'] as const)('random OT over %s', (over) => {
  let r: Rot;
  const all = new Set<bigint>();
  beforeAll(async () => {
    r = await openRot(`rot-${over}`, over);
  });
  afterAll(() => r.g.close());

  it.each([1, 31, 32, 33, 1000, 40_000])('gives the receiver m_c for %i OTs and random c, m0 ≠ m1', async (m) => {
    const [p0, p1] = r.g.pools as [Pool, Pool];
    const before = p1.stats.messagesSent + p0.stats.messagesSent;
    const [s, c] = await Promise.all([r.sender.extend(m), r.receiver.extend(m)]);
    expect(s.batch).toBe(c.batch);
    expect([s.m0.length, s.m1.length, c.messages.length]).toEqual([m, m, m]);
    expect(c.choices.length).toBe(2 * Math.ceil(m / 64));
    let ones = 0;
    for (let j = 0; j < m; j++) {
      const cj = bit(c.choices, j);
      ones += cj;
      if (c.messages[j] !== (cj ? s.m1[j] : s.m0[j])) throw new Error(`OT ${j}: the receiver's message is not m_c`);
      if (s.m0[j] === s.m1[j]) throw new Error(`OT ${j}: m0 = m1`);
      for (const v of [s.m0[j]!, s.m1[j]!]) {
        if (all.has(v)) throw new Error(`OT ${j}: a message repeats across OTs or batches`);
        all.add(v);
      }
    }
    for (let j = m; j < 64 * Math.ceil(m / 64); j++) expect(bit(c.choices, j)).toBe(0); // padding
    if (m >= 1000) {
      expect(ones).toBeGreaterThan(m * 0.45); // random choices, both exercised
      expect(ones).toBeLessThan(m * 0.55);
    }
    // IKNP's own matrix u is the only traffic; over Ferret, only its chunks when the stock runs out.
    if (over === 'iknp') expect(p1.stats.messagesSent + p0.stats.messagesSent - before).toBe(1);
  });
});

describe('random OT with 128-bit messages (the wide ring)', () => {
  it('gives the receiver both words of m_c, two words per message, the high words random too', async () => {
    const r = await openRot('rot-wide', 'iknp');
    try {
      const m = 1000;
      const [s, c] = await Promise.all([r.sender.extend(m, 128), r.receiver.extend(m, 128)]);
      expect([s.m0.length, s.m1.length, c.messages.length]).toEqual([2 * m, 2 * m, 2 * m]);
      let ones = 0;
      for (let j = 0; j < m; j++) {
        const chosen = bit(c.choices, j) ? s.m1 : s.m0;
        if (c.messages[2 * j] !== chosen[2 * j] || c.messages[2 * j + 1] !== chosen[2 * j + 1])
          throw new Error(`OT ${j}: the receiver's message is not m_c`);
        if (s.m0[2 * j + 1] === s.m1[2 * j + 1]) throw new Error(`OT ${j}: m0 and m1 share a high word`);
        ones += s.m0[2 * j + 1]!.toString(2).split('1').length - 1;
      }
      expect(ones / (64 * m)).toBeGreaterThan(0.47);
      expect(ones / (64 * m)).toBeLessThan(0.53);
    } finally {
      r.g.close();
    }
  });
});

describe('random OT refusals', () => {
  it('refuses OT counts outside 1..2^20, before any traffic; a refused call claims no batch', async () => {
    const g = poolDuo();
    try {
      const [p0, p1] = g.pools as [Pool, Pool];
      const [bs, br] = await Promise.all([IknpSender.setup(p0, 1, 'n', 0), IknpReceiver.setup(p1, 0, 'n', 0)]);
      const [sender, receiver] = await Promise.all([RotSender.over(p0, 1, 'n', bs), RotReceiver.over(p1, 0, 'n', br)]);
      const sent = p1.stats.messagesSent;
      for (const m of [0, -1, 1.5, Number.NaN, 2 ** 20 + 1]) {
        await expect(sender.extend(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
        await expect(receiver.extend(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
      }
      expect(p1.stats.messagesSent).toBe(sent);
      const [s, c] = await Promise.all([sender.extend(3), receiver.extend(3)]);
      expect([s.batch, c.batch]).toEqual([0, 0]);
      expect(Array.from(c.messages)).toEqual([0, 1, 2].map((j) => (bit(c.choices, j) ? s.m1[j] : s.m0[j])));
    } finally {
      g.close();
    }
  });
});
