// The coordinator contract, run on both implementations: the in-process one (the embedded
// service, queue in a SQLite store) and the Redis one (a throwaway redis-server). Presence
// counts, the grace period, relay-or-queue against join-and-drain, rate limits, challenges.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Coordinator, QueuedSignal } from '../../../signaling/coordinator/coordinator.js';
import { createCoordination } from '../../../signaling/coordinator/create.js';
import { createLogger } from '../../../signaling/log.js';
import { SqliteStore } from '../../../signaling/store.js';
import { type RedisServer, startRedis } from '../../helpers/redis.js';

let redis: RedisServer;
const dir = mkdtempSync(join(tmpdir(), 'parley-coord-'));
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

const log = createLogger('silent');
const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

let n = 0;
/** Coordinators of one cluster (Redis: one prefix) or one process (in-process: one store). */
type Cluster = (opts?: { graceMs?: number }) => Promise<Coordinator>;
const implementations: [string, () => Cluster][] = [
  [
    'in-process',
    () => {
      const store = new SqliteStore(join(dir, `c${n++}.db`));
      open.push(store);
      // One process has one coordinator: every "node" of this cluster is the same one.
      let one: Coordinator | undefined;
      return async (opts) => {
        if (one) return one;
        one = (await createCoordination({ ...base(opts), queue: store })).coordinator;
        open.push(one);
        return one;
      };
    },
  ],
  [
    'Redis',
    () => {
      const prefix = `t${n++}:`;
      return async (opts) => {
        const { coordinator } = await createCoordination({
          ...base(opts),
          queue: { queueSignal: () => false, takeSignals: () => [] },
          redisUrl: redis.url,
          redisPrefix: prefix,
        });
        open.push(coordinator);
        return coordinator;
      };
    },
  ],
];

function base(opts?: { graceMs?: number }) {
  return { graceMs: opts?.graceMs ?? 5000, tickMs: 20, challengeTtlMs: 60_000, queueTtlMs: 60_000, log };
}

const signal = (to: string, i: number, expiresAt = Date.now() + 60_000): QueuedSignal => ({
  jobId: 'j',
  from: 'alice',
  to,
  data: { i },
  expiresAt,
});

/** Resolves with the first name `gone` reports. */
function nextGone(c: Coordinator): Promise<string> {
  return new Promise((resolve) => c.watch({ gone: resolve, offline: () => {} }));
}

describe.each(implementations)('coordinator contract: %s', (_label, cluster) => {
  it('counts connections: online with the first, offline with the last', async () => {
    const c = await cluster()();
    expect(await c.connected('bob', Date.now())).toEqual({ cameOnline: true, queued: [] });
    expect((await c.connected('bob', Date.now())).cameOnline).toBe(false);
    expect([...(await c.online(['alice', 'bob']))]).toEqual(['bob']);
    expect(await c.disconnected('bob')).toBe(false);
    expect(await c.disconnected('bob')).toBe(true);
    expect(await c.online(['bob'])).toEqual(new Set());
  });

  it('queues for an offline member up to the bound, drains in order on connect, then relays', async () => {
    const c = await cluster()();
    const now = Date.now();
    for (const i of [1, 2, 3]) expect(await c.relayOrQueue(signal('bob', i), 3, now)).toBe('queued');
    expect(await c.relayOrQueue(signal('bob', 4), 3, now)).toBe('full');
    const { queued } = await c.connected('bob', now);
    expect(queued.map((s) => s.data)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    expect(await c.relayOrQueue(signal('bob', 5), 3, now)).toBe('online');
    await c.disconnected('bob');
    expect((await c.connected('bob', now)).queued).toEqual([]);
  });

  it('does not deliver queued signals past their expiry', async () => {
    const c = await cluster()();
    const now = Date.now();
    await c.relayOrQueue(signal('bob', 1, now + 1000), 8, now);
    expect((await c.connected('bob', now + 2000)).queued).toEqual([]);
  });

  it('never loses a signal racing a connect: each is relayed or drained', async () => {
    const make = cluster();
    const [a, b] = [await make(), await make()];
    for (let round = 0; round < 20; round++) {
      const name = `r${round}`;
      const sends = Array.from({ length: 5 }, (_, i) => b.relayOrQueue(signal(name, i), 64, Date.now()));
      const join = a.connected(name, Date.now());
      const outcomes = await Promise.all(sends);
      const drained = (await join).queued.map((s) => (s.data as { i: number }).i);
      const relayed = outcomes.flatMap((o, i) => (o === 'online' ? [i] : []));
      expect([...drained, ...relayed].sort()).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('fails a member who stays away past the grace period, once', async () => {
    const c = await cluster()({ graceMs: 150 });
    const gone = nextGone(c);
    const t = Date.now();
    await c.connected('bob', t);
    await c.disconnected('bob');
    expect(await gone).toBe('bob');
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });

  it('keeps a member who comes back within the grace period', async () => {
    const c = await cluster()({ graceMs: 400 });
    const seen: string[] = [];
    c.watch({ gone: (n) => seen.push(n), offline: () => {} });
    await c.connected('bob', Date.now());
    await c.disconnected('bob');
    await c.connected('bob', Date.now());
    await c.startGrace(['bob', 'carol']); // after a start: only carol is away
    await new Promise((r) => setTimeout(r, 800));
    expect(seen).toEqual(['carol']);
  });

  it('limits per key as a token bucket (rate 20/s, burst 100)', async () => {
    const c = await cluster()();
    const now = 1_000_000;
    let allowed = 0;
    for (let i = 0; i < 150; i++) if (await c.take('connect', '10.0.0.1', 20, 100, now)) allowed++;
    expect(allowed).toBe(100);
    expect(await c.take('connect', '10.0.0.2', 20, 100, now)).toBe(true);
    expect(await c.take('http', '10.0.0.1', 20, 100, now)).toBe(true);
    let refilled = 0;
    for (let i = 0; i < 30; i++) if (await c.take('connect', '10.0.0.1', 20, 100, now + 1000)) refilled++;
    expect(refilled).toBe(20);
  });

  it('consumes a challenge once and names the replay; caps open challenges per address', async () => {
    const c = await cluster()();
    const now = Date.now();
    const caps = { perAddress: 2, total: 3 };
    const rec = { name: 'bob', expires: now + 60_000, address: 'a1' };
    expect(await c.openChallenge('c1', rec, caps, now)).toBe('ok');
    expect(await c.openChallenge('c2', rec, caps, now)).toBe('ok');
    expect(await c.openChallenge('c3', rec, caps, now)).toBe('address');
    expect(await c.openChallenge('c3', { ...rec, address: 'a2' }, caps, now)).toBe('ok');
    expect(await c.openChallenge('c4', { ...rec, address: 'a3' }, caps, now)).toBe('total');
    expect(await c.consumeChallenge('c1', now)).toEqual(rec);
    expect(await c.consumeChallenge('c1', now)).toBe('replay');
    expect(await c.consumeChallenge('nope', now)).toBeNull();
    expect(await c.openChallenge('c5', rec, caps, now)).toBe('ok'); // c1 no longer counts
    // Expired challenges stop counting.
    const later = now + 61_000;
    expect(await c.openChallenge('c6', { ...rec, expires: later + 60_000 }, caps, later)).toBe('ok');
  });
});

describe('Redis coordinator across nodes', () => {
  const cluster = implementations[1]![1];

  it('shares presence and grace: a member back on the other node keeps its jobs', async () => {
    const make = cluster();
    const [a, b] = [await make({ graceMs: 400 }), await make({ graceMs: 400 })];
    const seen: string[] = [];
    for (const c of [a, b]) c.watch({ gone: (n) => seen.push(n), offline: () => {} });
    await a.connected('bob', Date.now());
    expect(await b.online(['bob'])).toEqual(new Set(['bob']));
    expect(await b.relayOrQueue(signal('bob', 1), 8, Date.now())).toBe('online');
    expect(await a.disconnected('bob')).toBe(true);
    expect(await b.connected('bob', Date.now())).toEqual({ cameOnline: true, queued: [] });
    await a.connected('carol', Date.now());
    await a.disconnected('carol');
    await new Promise((r) => setTimeout(r, 800));
    expect(seen).toEqual(['carol']); // once, on one node
  });

  it('lets one node sweep at a time, and another take over when it leaves', async () => {
    const make = cluster();
    const [a, b] = [await make(), await make()];
    const first = [await a.holdsSweep(), await b.holdsSweep()];
    expect(first.filter(Boolean)).toHaveLength(1);
    expect([await a.holdsSweep(), await b.holdsSweep()]).toEqual(first);
    const [holder, other] = first[0] ? [a, b] : [b, a];
    await holder.close();
    expect(await other.holdsSweep()).toBe(true);
  });

  it('reaps a node that stops answering: its members go offline, then their grace runs out', async () => {
    const { coordinator: a } = await createCoordination({
      ...base({ graceMs: 100 }),
      queue: { queueSignal: () => false, takeSignals: () => [] },
      redisUrl: redis.url,
      redisPrefix: 'reap:',
      heartbeatMs: 50,
    });
    const { coordinator: b } = await createCoordination({
      ...base({ graceMs: 100 }),
      queue: { queueSignal: () => false, takeSignals: () => [] },
      redisUrl: redis.url,
      redisPrefix: 'reap:',
      heartbeatMs: 50,
    });
    open.push(a, b);
    const offline = new Promise<string>((resolve) => b.watch({ gone: () => {}, offline: resolve }));
    await a.connected('bob', Date.now());
    // a dies without leaving: its connection to Redis drops and its heartbeat stops.
    (a as unknown as { cmd: { disconnect(): void } }).cmd.disconnect();
    expect(await offline).toBe('bob');
    expect(await b.online(['bob'])).toEqual(new Set());
    const gone = nextGone(b);
    expect(await gone).toBe('bob');
  });

  it('refuses with ERR_UNAVAILABLE when Redis is unreachable, at start and later', async () => {
    const spare = await startRedis();
    const port = spare.port;
    const { coordinator: c } = await createCoordination({
      ...base(),
      queue: { queueSignal: () => false, takeSignals: () => [] },
      redisUrl: spare.url,
    });
    open.push(c);
    await c.ready();
    await spare.stop();
    await expect(c.ready()).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    await expect(c.take('http', 'x', 20, 100, Date.now())).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    await expect(
      createCoordination({
        ...base(),
        queue: { queueSignal: () => false, takeSignals: () => [] },
        redisUrl: `redis://127.0.0.1:${port}`,
      }),
    ).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
  });
});

describe('Redis coordinator after Redis loses its data', () => {
  it('registers its connections again, so members stay online', async () => {
    const own = await startRedis();
    const opts = {
      ...base(),
      queue: { queueSignal: () => false, takeSignals: () => [] },
      redisUrl: own.url,
      heartbeatMs: 50,
    };
    const { coordinator: a } = await createCoordination(opts);
    const { coordinator: b } = await createCoordination(opts);
    open.push({ close: () => own.stop() }, a, b);
    await a.connected('bob', Date.now());
    await own.restart();
    let seen = new Set<string>();
    for (let i = 0; i < 200 && !seen.has('bob'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await b.online(['bob']).catch(() => new Set<string>());
    }
    expect(seen).toEqual(new Set(['bob']));
    expect(await b.relayOrQueue(signal('bob', 1), 8, Date.now())).toBe('online');
  });
});
