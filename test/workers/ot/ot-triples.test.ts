// Dealer-free Beaver triples (workers/ot/ot-triples.ts) between two parties over the
// in-memory Pool: correctness for random counts, random-looking shares, no reuse across calls or
// TripleSource batches, determinism under an injected random source, and refusals.

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { IknpReceiver, IknpSender } from '../../../workers/ot/iknp.js';
import { OtGenerator, otTriples, TripleSource } from '../../../workers/ot/ot-triples.js';
import type { Pool } from '../../../workers/pool/pool.js';
import type { TripleShares } from '../../../workers/securenumpy/correlations.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';
import { seededBytes as seeded } from '../../helpers/seeded.js';

const MASK = (1n << 64n) - 1n;
/** Both parties together on IKNP: 2 × (64 OTs × 16 B of u + 260 B of truncated d). */
const BYTES_PER_TRIPLE = 2568;
let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});
const duo = () => (g = poolDuo()).pools as [Pool, Pool];

function expectValid(t0: TripleShares, t1: TripleShares, n: number): void {
  for (const t of [t0, t1]) expect([t.a.length, t.b.length, t.c.length]).toEqual([n, n, n]);
  for (let i = 0; i < n; i++) {
    const a = t0.a[i]! + t1.a[i]!;
    const b = t0.b[i]! + t1.b[i]!;
    expect((t0.c[i]! + t1.c[i]!) & MASK).toBe((a * b) & MASK);
  }
}

async function both(n: number, tag: string, pools = duo()): Promise<[TripleShares, TripleShares]> {
  return Promise.all([otTriples(pools[0], 0, n, tag), otTriples(pools[1], 1, n, tag)]);
}

/** Fraction of one bits over all values. */
function onesFraction(vs: BigUint64Array[]): number {
  let ones = 0;
  let total = 0;
  for (const v of vs) for (const x of v) (total += 64), (ones += x.toString(2).split('1').length - 1);
  return ones / total;
}

describe('otTriples', () => {
  it('gives c0 + c1 = (a0 + a1)(b0 + b1) mod 2^64 for random n in 1..300', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), async (n) => {
        const pools = poolDuo();
        try {
          const [t0, t1] = await both(n, `prop${run++}`, pools.pools as [Pool, Pool]);
          expectValid(t0, t1, n);
          const bytes = pools.pools[0]!.stats.bytesSent + pools.pools[1]!.stats.bytesSent;
          expect(bytes).toBeGreaterThanOrEqual(BYTES_PER_TRIPLE * n + 8256);
          expect(bytes).toBeLessThan(BYTES_PER_TRIPLE * n + 8256 + 4096); // odd-n padding and framing
        } finally {
          pools.close();
        }
      }),
      { numRuns: 4, examples: [[1], [3]] },
    );
  });

  it('costs exactly 2,568 bytes per triple after setup on IKNP (u and truncated d), framing aside', async () => {
    const cost = async (n: number) => {
      const pools = poolDuo();
      try {
        const [p0, p1] = pools.pools as [Pool, Pool];
        const sessions = await Promise.all([
          OtGenerator.open(p0, 0, 'cost', { extension: 'iknp' }),
          OtGenerator.open(p1, 1, 'cost', { extension: 'iknp' }),
        ]);
        const setup = p0.stats.bytesSent + p1.stats.bytesSent;
        const [t0, t1] = await Promise.all([sessions[0].triples(n), sessions[1].triples(n)]);
        expectValid(t0, t1, n);
        return p0.stats.bytesSent + p1.stats.bytesSent - setup;
      } finally {
        pools.close();
      }
    };
    // Even counts fill whole 128-OT blocks: no padding, and one batch (4 messages) each.
    const [small, large] = [await cost(2), await cost(4096)];
    expect(large - small).toBe(BYTES_PER_TRIPLE * (4096 - 2));
    expect(small - BYTES_PER_TRIPLE * 2).toBeGreaterThanOrEqual(0);
    expect(small - BYTES_PER_TRIPLE * 2).toBeLessThan(256); // framing of 4 messages
  });

  it('costs at most 600 bytes per triple on silent OT once past the bootstrap (Gilboa d: 520)', async () => {
    const [p0, p1] = duo();
    const sessions = await Promise.all([OtGenerator.open(p0, 0, 'silent'), OtGenerator.open(p1, 1, 'silent')]);
    const bytes = () => p0.stats.bytesSent + p1.stats.bytesSent;
    const n = 20_000;
    let [t0, t1] = await Promise.all([sessions[0].triples(n), sessions[1].triples(n)]); // bootstrap
    expectValid(t0, t1, n);
    const before = bytes();
    [t0, t1] = await Promise.all([sessions[0].triples(n), sessions[1].triples(n)]);
    expectValid(t0, t1, n);
    const perTriple = (bytes() - before) / n;
    expect(perTriple).toBeGreaterThan(520);
    expect(perTriple).toBeLessThan(600);
  });

  it('gives shares that look uniform: not zero, balanced bits, different across calls', async () => {
    const pools = duo();
    const [x0, x1] = await both(300, 'first', pools);
    const [y0, y1] = await both(300, 'second', pools);
    expectValid(x0, x1, 300);
    expectValid(y0, y1, 300);
    for (const t of [x0, x1, y0, y1]) {
      for (const v of [t.a, t.b, t.c]) expect(v.some((e) => e !== 0n)).toBe(true);
      const f = onesFraction([t.a, t.b, t.c]);
      expect(f).toBeGreaterThan(0.45);
      expect(f).toBeLessThan(0.55);
    }
    // No value (a mask, a share) of one call appears in the other, nor repeats within a call.
    const first = new Set([x0, x1].flatMap((t) => [...t.a, ...t.b, ...t.c]));
    expect(first.size).toBe(6 * 300);
    for (const v of [y0, y1].flatMap((t) => [...t.a, ...t.b, ...t.c])) expect(first.has(v)).toBe(false);
  });

  it('draws all its randomness from the injected source: a fixed source reproduces the run', async () => {
    const runOnce = async () => {
      const [p0, p1] = poolDuo().pools as [Pool, Pool];
      try {
        return await Promise.all([
          otTriples(p0, 0, 5, 'det', { rng: seeded(1) }),
          otTriples(p1, 1, 5, 'det', { rng: seeded(2) }),
        ]);
      } finally {
        p0.close();
        p1.close();
      }
    };
    const [r1, r2] = [await runOnce(), await runOnce()];
    expect(r2).toEqual(r1);
    expectValid(r1[0], r1[1], 5);
  });

  it.each([0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '7'])('refuses n = %s with ERR_BAD_REQUEST', async (n) => {
    const [p0] = duo();
    await expect(otTriples(p0, 0, n as number, 't')).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(p0.stats.messagesSent).toBe(0);
  });

  it('refuses a party that does not match the pool, and an empty tag', async () => {
    const [p0] = duo();
    await expect(otTriples(p0, 1, 4, 't')).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(otTriples(p0, 0, 4, '')).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(() => new TripleSource(p0, 2 as 0, 't')).toThrow(expect.objectContaining({ code: 'ERR_BAD_REQUEST' }));
  });

  it.each([96, '128'])('refuses ring %s with ERR_BAD_REQUEST before any base OT', async (ring) => {
    const [p0] = duo();
    await expect(OtGenerator.open(p0, 0, 'r', { ring: ring as 64 })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
    expect(p0.stats.messagesSent).toBe(0);
  });
});

describe('refusing a misbehaving peer', () => {
  it('refuses a malformed base-OT point with ERR_PROTOCOL', async () => {
    const [p0, p1] = duo();
    const running = otTriples(p0, 0, 4, 'bad');
    await p1.send(0, new Uint8Array(31), 'bad/ot0/base/A'); // party 1 is the base-OT sender of ot0
    await expect(running).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('refuses wrong-length corrections d, then refuses further use of the session', async () => {
    const [p0, p1] = duo();
    // Party 1 is hand-driven: an honest setup of both instances, then garbage for d.
    const [session] = await Promise.all([
      OtGenerator.open(p0, 0, 'h'),
      IknpSender.setup(p1, 0, 'h/ot1', 1),
      IknpReceiver.setup(p1, 0, 'h/ot0', 0),
    ]);
    const running = session.triples(10);
    await p1.send(0, new Uint32Array(10), 'h/ot1/d/0'); // 650 words expected
    await expect(running).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    await expect(session.triples(10)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});

describe('TripleSource', () => {
  it('hands out each triple once across batches and counts made and consumed', async () => {
    const [p0, p1] = duo();
    const s0 = new TripleSource(p0, 0, 'src', { batch: 100 });
    const s1 = new TripleSource(p1, 1, 'src', { batch: 100 });
    const seen = new Set<bigint>();
    const plan: [number, number, number][] = [
      [30, 100, 30], // take, made, consumed after it
      [50, 100, 80],
      [40, 200, 120], // 20 in stock: one refill of 100
      [150, 300, 270], // 80 in stock: a refill of max(100, 70)
    ];
    for (const [n, made, consumed] of plan) {
      const [t0, t1] = await Promise.all([s0.take(n), s1.take(n)]);
      expectValid(t0, t1, n);
      for (const v of [...t0.a, ...t0.b, ...t0.c, ...t1.a, ...t1.b, ...t1.c]) {
        expect(seen.has(v)).toBe(false);
        seen.add(v);
      }
      for (const s of [s0, s1]) expect(s.stats).toEqual({ made, consumed });
      expect(s0.available).toBe(made - consumed);
    }
  });

  it('serves concurrent takes in call order and refuses bad counts', async () => {
    const [p0, p1] = duo();
    const s0 = new TripleSource(p0, 0, 'conc', { batch: 16 });
    const s1 = new TripleSource(p1, 1, 'conc', { batch: 16 });
    // 10: a refill of 16; 20 with 6 in stock: a refill of max(16, 14).
    const takes = await Promise.all([s0.take(10), s0.take(20), s1.take(10), s1.take(20)]);
    expectValid(takes[0], takes[2], 10);
    expectValid(takes[1], takes[3], 20);
    expect(s0.stats).toEqual({ made: 32, consumed: 30 });
    await expect(s0.take(0)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(s0.take(2.5)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(s0.stats).toEqual({ made: 32, consumed: 30 });
  });
});

describe('triples in Z_2^128', () => {
  const MOD = 1n << 128n;
  const wide = (v: BigUint64Array, i: number) => v[2 * i]! + (v[2 * i + 1]! << 64n);
  /** Both parties together on IKNP: 2 × (128 OTs × 16 B of u + 1,032 B of truncated d). */
  const WIDE_IKNP_BYTES = 6160;

  function expectWide(t0: TripleShares, t1: TripleShares, n: number): void {
    for (const t of [t0, t1]) expect([t.a.length, t.b.length, t.c.length]).toEqual([2 * n, 2 * n, 2 * n]);
    const wrong: number[] = [];
    for (let i = 0; i < n; i++) {
      const [a, b, c] = [t0.a, t0.b, t0.c].map((v, k) => (wide(v, i) + wide([t1.a, t1.b, t1.c][k]!, i)) % MOD);
      if (c !== (a! * b!) % MOD) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  }

  async function openWide(pools: [Pool, Pool], tag: string, extension: 'iknp' | 'silent') {
    return Promise.all([
      OtGenerator.open(pools[0], 0, tag, { extension, ring: 128 }),
      OtGenerator.open(pools[1], 1, tag, { extension, ring: 128 }),
    ]);
  }

  it('are valid across a wide batch (2,048) and cost exactly 6,160 bytes per triple on IKNP', async () => {
    const pools = duo();
    const s = await openWide(pools, 'wide-iknp', 'iknp');
    const sent = () => pools[0].stats.bytesSent + pools[1].stats.bytesSent;
    let before = sent();
    const [x0, x1] = await Promise.all([s[0].triples(2), s[1].triples(2)]);
    const small = sent() - before;
    expectWide(x0, x1, 2);
    before = sent();
    const [y0, y1] = await Promise.all([s[0].triples(2048), s[1].triples(2048)]); // one batch
    const large = sent() - before;
    expectWide(y0, y1, 2048);
    expect(large - small).toBe(WIDE_IKNP_BYTES * (2048 - 2));
    const [z0, z1] = await Promise.all([s[0].triples(2049), s[1].triples(2049)]); // two batches
    expectWide(z0, z1, 2049);
    // The shares are full 128-bit values: the high words' bits are balanced.
    let ones = 0;
    for (const v of [z0.a, z0.b, z0.c])
      for (let i = 1; i < v.length; i += 2) ones += v[i]!.toString(2).split('1').length - 1;
    expect(ones / (3 * 2049 * 64)).toBeGreaterThan(0.48);
    expect(ones / (3 * 2049 * 64)).toBeLessThan(0.52);
  }, 60_000);

  it('cost about 2,111 bytes per triple on silent OT once past the bootstrap (3.9× the 64-bit ring)', async () => {
    const pools = duo();
    const s = await openWide(pools, 'wide-silent', 'silent');
    const sent = () => pools[0].stats.bytesSent + pools[1].stats.bytesSent;
    const n = 10_000; // 2.56M COTs per instance and call, as the 64-bit test above
    let [t0, t1] = await Promise.all([s[0].triples(n), s[1].triples(n)]); // IKNP's 2^17, then the bootstrap
    const before = sent();
    [t0, t1] = await Promise.all([s[0].triples(n), s[1].triples(n)]);
    expectWide(t0, t1, n);
    const perTriple = (sent() - before) / n;
    expect(perTriple).toBeGreaterThan(2064); // 2 × 1,032 B of d
    expect(perTriple).toBeLessThan(2200);
  }, 120_000);
});
