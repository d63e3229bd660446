// The message layer's semantics over the in-memory network: ordering, buffering, ids scoped by
// sender, duplicates, double receives, timeouts and late arrivals, values, large payloads with
// back-pressure, a dropped connection mid-transfer without loss, peers that leave, aborts, close;
// and a peer that declares a huge message or floods messages nobody asked for.

import { afterEach, describe, expect, it } from 'vitest';
import { NDArray } from '../../../shared/ndarray.js';
import type { Link } from '../../../workers/pool/link.js';
import { header, type Pool } from '../../../workers/pool/pool.js';
import { ReliablePeer } from '../../../workers/pool/reliable.js';
import { type PoolGroup, poolDuo, poolGroup, poolTrio } from '../../helpers/pools.js';

let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});
const duo = (opts?: Parameters<typeof poolDuo>[0]) => (g = poolDuo(opts)).pools as [Pool, Pool];
const trio = (opts?: Parameters<typeof poolTrio>[0]) => (g = poolTrio(opts)).pools as [Pool, Pool, Pool];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('delivery', () => {
  it('pairs messages without ids in order, by per-peer counters', async () => {
    const [a, b] = duo();
    for (let i = 0; i < 100; i++) void a.send(1, i);
    const got = [];
    for (let i = 0; i < 100; i++) got.push(await b.recv(0));
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('waits when receiving before the send, and buffers what arrives early', async () => {
    const [a, b] = duo();
    const waiting = b.recv('party0', 'late');
    await a.send('party1', 'early-value', 'early');
    await sleep(10);
    setTimeout(() => void a.send(1, 'late-value', 'late'), 20);
    expect(await waiting).toBe('late-value');
    expect(await b.recv(0, 'early')).toBe('early-value');
  });

  it('scopes ids by sender: the same id from two peers are two messages', async () => {
    const [a, b, c] = trio();
    await a.send(2, 'from-a', 'x');
    await b.send(2, 'from-b', 'x');
    expect(await c.recv(1, 'x')).toBe('from-b');
    expect(await c.recv(0, 'x')).toBe('from-a');
  });

  it('keeps per-pair order under jitter that reorders across peers', async () => {
    const [a, b, c] = trio({ faults: { delayMs: 1, jitterMs: 8 } });
    for (let i = 0; i < 30; i++) {
      void a.send(2, `a${i}`);
      void b.send(2, `b${i}`);
    }
    const fromA = [];
    const fromB = [];
    for (let i = 0; i < 30; i++) {
      fromA.push(await c.recv(0));
      fromB.push(await c.recv(1));
    }
    expect(fromA).toEqual(Array.from({ length: 30 }, (_, i) => `a${i}`));
    expect(fromB).toEqual(Array.from({ length: 30 }, (_, i) => `b${i}`));
  });

  it('broadcasts under one id to every peer', async () => {
    const [a, b, c] = trio();
    await a.broadcast({ round: 1 }, 'r1');
    expect(await b.recv(0, 'r1')).toEqual({ round: 1 });
    expect(await c.recv(0, 'r1')).toEqual({ round: 1 });
  });

  it('carries every kind of value with its type', async () => {
    const [a, b] = duo();
    const values = [
      null,
      true,
      -0,
      2 ** 60,
      'héllo',
      123456789012345678901234567890n,
      [1, [2, [3]]],
      { type: 'Buffer', data: [1, 2] },
      new Map<unknown, unknown>([
        [1, 'one'],
        ['k', new Uint16Array([7])],
      ]),
      new BigUint64Array([2n ** 64n - 1n]),
      new BigInt64Array([-5n]),
      new Float32Array([1.5]),
      new NDArray([2, 2], 'float64', Float64Array.of(1, 2, 3, 4)),
    ];
    for (const v of values) void a.send(1, v);
    for (const v of values) expect(await b.recv(0)).toEqual(v);
  });
});

describe('errors', () => {
  it('refuses an id sent twice by the sender at once', async () => {
    const [a] = duo();
    await a.send(1, 1, 'x');
    await expect(a.send(1, 2, 'x')).rejects.toMatchObject({ code: 'ERR_DUPLICATE_ID' });
  });

  it('refuses an id a misbehaving peer sends twice, never overwriting the first', async () => {
    g = poolDuo();
    const [, b] = g.pools as [Pool, Pool];
    const first = b.recv(0, 'x');
    // Party 0's side of the link, driven by hand: the same explicit id twice.
    const raw = new ReliablePeer(g.net.link(0, 1), {
      graceMs: 1000,
      windowBytes: 1 << 20,
      onMessage: () => undefined,
      onFail: () => undefined,
    });
    const { encode } = await import('../../../shared/codec.js');
    const msg = (v: unknown) => [header(1, 'x'), ...encode(v)];
    const len = (s: Uint8Array[]) => s.reduce((n, x) => n + x.length, 0);
    const m1 = msg('first');
    const m2 = msg('second');
    await raw.send(m1, len(m1));
    await raw.send(m2, len(m2));
    expect(await first).toBe('first');
    await expect(b.recv(0, 'y')).rejects.toMatchObject({ code: 'ERR_DUPLICATE_ID' });
  });

  it('refuses a second receive on one id instead of hanging', async () => {
    const [a, b] = duo();
    await a.send(1, 'v', 'once');
    expect(await b.recv(0, 'once')).toBe('v');
    await expect(b.recv(0, 'once')).rejects.toMatchObject({ code: 'ERR_DUPLICATE_ID' });
  });

  it('times out with ERR_TIMEOUT and reports a late message instead of storing it', async () => {
    const late: string[] = [];
    g = poolDuo({ onLate: (_p, id) => late.push(id) });
    const [a, b] = g.pools as [Pool, Pool];
    await expect(b.recv(0, 'slow', { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await a.send(1, 'too late', 'slow');
    await a.send(1, 'next', 'next');
    expect(await b.recv(0, 'next')).toBe('next');
    expect(late).toEqual(['slow']);
    expect(b.stats.late).toBe(1);
    await expect(b.recv(0, 'slow')).rejects.toMatchObject({ code: 'ERR_DUPLICATE_ID' });
  });

  it('refuses values it cannot encode, and unknown peers', async () => {
    const [a] = duo();
    await expect(a.send(1, new Date())).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(a.send(5, 1)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(a.send(0, 1)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(a.recv('nobody')).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });

  it('fails pending receives and sends with ERR_PEER_LEFT when a peer is gone past the grace period', async () => {
    g = poolTrio({ graceMs: 100 });
    const [a, , c] = g.pools as [Pool, Pool, Pool];
    const pending = a.recv(1, 'never');
    const t = Date.now();
    g.net.remove(1);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
    expect(Date.now() - t).toBeLessThan(1000);
    await expect(a.send(1, 'x')).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
    await a.send(2, 'still fine', 'ok'); // other peers are unaffected
    expect(await c.recv(0, 'ok')).toBe('still fine');
  });

  it('fails the peers with ERR_PEER_ABORTED when a party aborts', async () => {
    const [a, b] = duo();
    const pending = b.recv(0, 'x');
    a.abort({ code: 'ERR_BAD_INPUT', message: 'row 3 is not a number' });
    await expect(pending).rejects.toMatchObject({
      code: 'ERR_PEER_ABORTED',
      message: expect.stringContaining('ERR_BAD_INPUT'),
    });
  });

  it('refuses malformed frames with ERR_PROTOCOL and tells the sender', async () => {
    g = poolDuo();
    const [a, b] = g.pools as [Pool, Pool];
    const pending = b.recv(0, 'x');
    g.net.link(0, 1).send(Uint8Array.of(1, 3, 9, 0, 0, 0)); // DATA frame out of sequence
    await expect(pending).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    await expect(a.recv(1, 'y')).rejects.toMatchObject({ code: 'ERR_PEER_ABORTED' });
  });

  it("a peer that closes right after receiving acknowledges first, so the sender's flush finishes", async () => {
    g = poolDuo();
    const [a, b] = g.pools as [Pool, Pool];
    await a.send(1, new Float64Array(1000), 'last');
    expect((await b.recv(0, 'last')) as Float64Array).toHaveLength(1000);
    b.close();
    const flushed = await Promise.race([
      a.flush().then(() => 'flushed'),
      new Promise((r) => setTimeout(() => r('stuck'), 2000)),
    ]);
    expect(flushed).toBe('flushed');
  });

  it('closes idempotently; afterwards every call fails with ERR_CLOSED', async () => {
    const [a] = duo();
    const pending = a.recv(1, 'x');
    a.close();
    a.close();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_CLOSED' });
    await expect(a.send(1, 1)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});

describe('large payloads and faults', () => {
  it('moves 50 MB exactly once across a connection dropped mid-transfer', async () => {
    g = poolDuo({ graceMs: 5000, faults: { delayMs: 1 } });
    const [a, b] = g.pools as [Pool, Pool];
    const big = new Float64Array((50 * 1024 * 1024) / 8);
    for (let i = 0; i < big.length; i++) big[i] = i * 1.5;
    const sent = a.send(1, big, 'big');
    const got = b.recv(0, 'big');
    let dropped = false;
    while (!dropped) {
      await sleep(2);
      if (b.stats.bytesReceived > 10 * 1024 * 1024) {
        await g.net.drop(0, 1, 50);
        dropped = true;
      }
    }
    await sent;
    const v = (await got) as Float64Array;
    expect(v).toBeInstanceOf(Float64Array);
    expect(v.length).toBe(big.length);
    expect(v).toEqual(big);
    expect(a.stats.framesResent).toBeGreaterThan(0);
    expect(b.stats.bytesReceived).toBeGreaterThanOrEqual(big.byteLength); // resends after the drop may repeat frames in flight
    await a.flush();
  }, 60_000);

  it('keeps what is in flight within the window (back-pressure)', async () => {
    g = poolDuo({ windowBytes: 1 << 20, faults: { delayMs: 5 } });
    const [a, b] = g.pools as [Pool, Pool];
    const big = new Uint8Array(8 << 20);
    const sent = a.send(1, big);
    let max = 0;
    const got = b.recv(0);
    const timer = setInterval(() => (max = Math.max(max, a.inFlightBytes(1))), 1);
    await Promise.all([sent, got]);
    clearInterval(timer);
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual((1 << 20) + 64 * 1024 + 16);
  }, 30_000);

  it('works for a group of five', async () => {
    g = poolGroup(5);
    await Promise.all(g.pools.map((p) => p.broadcast(p.me * 10, 'hello')));
    for (const p of g.pools) {
      const got = await Promise.all(p.peerIndices.map((i) => p.recv(i, 'hello')));
      expect(got).toEqual(p.peerIndices.map((i) => i * 10));
    }
  });
});

describe('registered classes', () => {
  it('carries instances of a class registered with register(Class, {encode, decode})', async () => {
    const { register } = await import('../../../workers/pool/index.js');
    class Money {
      constructor(
        readonly cents: bigint,
        readonly currency: string,
      ) {}
    }
    register(Money, { encode: (m) => [m.cents, m.currency], decode: (v) => new Money(...(v as [bigint, string])) });
    const [a, b] = duo();
    await a.send(1, { price: new Money(1999n, 'EUR') });
    const got = (await b.recv(0)) as { price: Money };
    expect(got.price).toBeInstanceOf(Money);
    expect(got.price).toEqual(new Money(1999n, 'EUR'));
    expect(() => register(Money, { encode: () => 0, decode: () => new Money(0n, '') })).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_REQUEST' }),
    );
  });
});

describe('limits', () => {
  it('refuses a message over the size limit with ERR_TOO_LARGE before sending anything', async () => {
    g = poolDuo();
    const raw = new ReliablePeer(g.net.link(0, 1), {
      graceMs: 1000,
      windowBytes: 1 << 20,
      onMessage: () => undefined,
      onFail: () => undefined,
    });
    await expect(raw.send([new Uint8Array(8)], 2 ** 31)).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
  });

  it('allocates as bytes arrive: a 10-byte frame declaring 2^31 - 1 bytes costs the receiver nothing large', () => {
    // A link driven by hand, delivering each frame synchronously, so memory is read right after.
    const link: Link = { up: true, send: () => undefined, onFrame: null, onEvent: null, close: () => undefined };
    const got: Uint8Array[] = [];
    const rel = new ReliablePeer(link, {
      graceMs: 1000,
      windowBytes: 1 << 20,
      onMessage: (m) => got.push(m),
      onFail: () => undefined,
    });
    const data = (seq: number, flags: number, length: number, payload: Uint8Array) => {
      const f = new Uint8Array((flags & 1 ? 10 : 6) + payload.length);
      const v = new DataView(f.buffer);
      f[0] = 1;
      f[1] = flags;
      v.setUint32(2, seq, true);
      if (flags & 1) v.setUint32(6, length, true);
      f.set(payload, flags & 1 ? 10 : 6);
      return f;
    };
    // An honest 3 MiB message in 64 KiB chunks still arrives whole and exact.
    const honest = new Uint8Array(3 << 20);
    for (let i = 0; i < honest.length; i++) honest[i] = (i * 31) & 255;
    for (let off = 0, seq = 1; off < honest.length; off += 1 << 16, seq++) {
      const flags = (off === 0 ? 1 : 0) | (off + (1 << 16) >= honest.length ? 2 : 0);
      link.onFrame!(data(seq, flags, honest.length, honest.subarray(off, off + (1 << 16))));
    }
    expect(got).toHaveLength(1);
    expect(got[0]!.length === honest.length && Buffer.compare(got[0]!, honest) === 0).toBe(true);
    const before = process.memoryUsage().arrayBuffers;
    const attack = data(49, 1, 2 ** 31 - 1, new Uint8Array());
    expect(attack.length).toBe(10);
    link.onFrame!(attack);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
    expect(rel.failure).toBeNull(); // it was taken as the start of a message
    link.onFrame!(data(50, 2, 0, new Uint8Array(10))); // ... that ends far short of its length
    expect(rel.failure).toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('aborts the job with ERR_TOO_LARGE when a peer floods messages nobody asked for', async () => {
    const [a, b] = duo({ maxBufferedMessages: 100 });
    const pending = b.recv(0, 'never-sent');
    for (let i = 0; i < 101; i++) void a.send(1, i, `flood/${i}`).catch(() => undefined);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
    await expect(a.recv(1, 'y')).rejects.toMatchObject({ code: 'ERR_PEER_ABORTED' });
  });

  it('aborts the job with ERR_TOO_LARGE when unclaimed messages pass the byte cap', async () => {
    const [a, b] = duo({ maxBufferedBytes: 1 << 20 });
    const pending = b.recv(0, 'never-sent');
    for (let i = 0; i < 2; i++) void a.send(1, new Uint8Array(600_000), `big/${i}`).catch(() => undefined);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
  });

  it('counts only unclaimed messages: many more than the cap pass when they are received', async () => {
    const [a, b] = duo({ maxBufferedMessages: 10 });
    for (let i = 0; i < 500; i += 5) {
      for (let k = 0; k < 5; k++) void a.send(1, i + k, `m/${i + k}`);
      const batch = await Promise.all([0, 1, 2, 3, 4].map((k) => b.recv(0, `m/${i + k}`)));
      expect(batch).toEqual([i, i + 1, i + 2, i + 3, i + 4]);
    }
  });
});
