// Random OT from correlated OT (workers/ot/rot.ts) over IKNP and over Ferret: the receiver gets
// m_c for its chosen c, the two messages differ, the only message is e at 1 bit per OT, batches
// get fresh messages, and a malformed e or too few choice bits are refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IknpReceiver, IknpSender } from '../../../workers/ot/iknp.js';
import { RotReceiver, RotSender } from '../../../workers/ot/rot.js';
import { FerretReceiver, FerretSender } from '../../../workers/ot/silent/ferret.js';
import type { Pool } from '../../../workers/pool/pool.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';
import { seededBytes } from '../../helpers/seeded.js';

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

const bit = (bytes: Uint8Array, j: number) => (bytes[j >>> 3]! >>> (j & 7)) & 1;

describe.each(['iknp', 'ferret'] as const)('random OT over %s', (over) => {
  let r: Rot;
  const all = new Set<bigint>();
  beforeAll(async () => {
    r = await openRot(`rot-${over}`, over);
  });
  afterAll(() => r.g.close());

  it.each([1, 31, 32, 33, 1000, 40_000])('gives the receiver m_c for %i OTs, m0 ≠ m1, e at 1 bit per OT', async (m) => {
    const choices = seededBytes(m)(Math.ceil(m / 8));
    const [s, c] = await Promise.all([r.sender.extend(m), r.receiver.extend(choices, m)]);
    expect(s.batch).toBe(c.batch);
    expect([s.m0.length, s.m1.length, c.messages.length]).toEqual([m, m, m]);
    let ones = 0;
    for (let j = 0; j < m; j++) {
      const cj = bit(choices, j);
      ones += cj;
      if (c.messages[j] !== (cj ? s.m1[j] : s.m0[j])) throw new Error(`OT ${j}: the receiver's message is not m_c`);
      if (s.m0[j] === s.m1[j]) throw new Error(`OT ${j}: m0 = m1`);
      for (const v of [s.m0[j]!, s.m1[j]!]) {
        if (all.has(v)) throw new Error(`OT ${j}: a message repeats across OTs or batches`);
        all.add(v);
      }
    }
    if (m >= 1000) expect(ones).toBeGreaterThan(m / 4); // both choices exercised
    const e = r.received.get(`rot-${over}/e/${s.batch}`);
    expect(e).toBeInstanceOf(Uint32Array);
    expect((e as Uint32Array).length).toBe(Math.ceil(m / 32));
  });

  it('ignores choice bits beyond m, and accepts extra choice bytes', async () => {
    const m = 13;
    const b = Uint8Array.of(0, 0xe0, 0, 0xff); // choice 0 for OTs 0..12; bits 13..15 and 24..31 set
    const [s, c] = await Promise.all([r.sender.extend(m), r.receiver.extend(b, m)]);
    for (let j = 0; j < m; j++) expect(c.messages[j]).toBe(s.m0[j]);
    const e = r.received.get(`rot-${over}/e/${s.batch}`) as Uint32Array;
    expect(e[0]! >>> m).toBe(0); // nothing past m on the wire
  });
});

describe('random OT refusals', () => {
  it.each([
    ['too short', (m: number) => new Uint32Array(Math.ceil(m / 32) - 1)],
    ['too long', (m: number) => new Uint32Array(Math.ceil(m / 32) + 1)],
    ['bytes instead of words', (m: number) => new Uint8Array(Math.ceil(m / 8))],
  ])('an e that is %s is ERR_PROTOCOL at the sender', async (_, garbage) => {
    const g = poolDuo();
    try {
      const [p0, p1] = g.pools as [Pool, Pool];
      const [bs, br] = await Promise.all([IknpSender.setup(p0, 1, 'bad', 0), IknpReceiver.setup(p1, 0, 'bad', 0)]);
      const sender = await RotSender.over(p0, 1, 'bad', bs);
      const m = 100;
      const extending = sender.extend(m);
      await br.take(m); // a hand-driven receiver: its COTs, then a bad e
      await p1.send(0, garbage(m), 'bad/e/0');
      await expect(extending).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    } finally {
      g.close();
    }
  });

  it('refuses too few choice bits and OT counts outside 1..2^20, before any traffic', async () => {
    const g = poolDuo();
    try {
      const [p0, p1] = g.pools as [Pool, Pool];
      const [bs, br] = await Promise.all([IknpSender.setup(p0, 1, 'n', 0), IknpReceiver.setup(p1, 0, 'n', 0)]);
      const [sender, receiver] = await Promise.all([RotSender.over(p0, 1, 'n', bs), RotReceiver.over(p1, 0, 'n', br)]);
      const sent = p1.stats.messagesSent;
      await expect(receiver.extend(new Uint8Array(1), 9)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
      await expect(receiver.extend(new Uint8Array(0), 1)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
      for (const m of [0, -1, 1.5, Number.NaN, 2 ** 20 + 1]) {
        await expect(sender.extend(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
        await expect(receiver.extend(new Uint8Array(2 ** 17 + 1), m)).rejects.toMatchObject({
          code: 'ERR_BAD_REQUEST',
        });
      }
      expect(p1.stats.messagesSent).toBe(sent);
      // A refused call claims no batch: the next one is still batch 0 at both sides.
      const choices = Uint8Array.of(0b101);
      const [s, c] = await Promise.all([sender.extend(3), receiver.extend(choices, 3)]);
      expect([s.batch, c.batch]).toEqual([0, 0]);
      expect(Array.from(c.messages)).toEqual([s.m1[0], s.m0[1], s.m1[2]]);
    } finally {
      g.close();
    }
  });
});
