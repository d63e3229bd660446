// Dealer-free bit products (OtGenerator.bitProducts, workers/ot/ot-triples.ts):
// party 0 holds α and z0, party 1 β and z1 with z0 + z1 = α·β mod 2^64, from one OT per value.
// Checked on the pure steps with fixed pads, then over the in-memory Pool: correctness across
// batches, uniform-looking bits and shares, 24 bytes per value, no reuse, and refusals; then the
// same in Z_2^128 (16-byte d and z, 32 bytes per value on IKNP).

import { afterEach, describe, expect, it } from 'vitest';
import { RING128 } from '../../../shared/rings.js';
import { IknpReceiver, IknpSender } from '../../../workers/ot/iknp.js';
import {
  BIT_PRODUCT_BATCH,
  bitProductReceiverStep,
  bitProductSenderStep,
  OtGenerator,
} from '../../../workers/ot/ot-triples.js';
import type { Pool } from '../../../workers/pool/pool.js';
import type { BitProducts } from '../../../workers/securenumpy/correlations.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';
import { pads, seededBytes as seeded } from '../../helpers/seeded.js';

const MASK = (1n << 64n) - 1n;
/** Both parties together: 16 B of u and 8 B of d per OT, one OT per value. */
const BYTES_PER_VALUE = 24; // one OT: 16 B of u, 8 B of d
let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});
const duo = () => (g = poolDuo()).pools as [Pool, Pool];

async function openBoth(
  pools: [Pool, Pool],
  tag: string,
  rngs: [((n: number) => Uint8Array)?, ((n: number) => Uint8Array)?] = [],
) {
  return Promise.all([
    OtGenerator.open(pools[0], 0, tag, { rng: rngs[0] }),
    OtGenerator.open(pools[1], 1, tag, { rng: rngs[1] }),
  ]);
}

async function bothProducts(s: OtGenerator[], n: number): Promise<[BitProducts, BitProducts]> {
  return Promise.all([s[0]!.bitProducts(n), s[1]!.bitProducts(n)]);
}

function expectValid(p0: BitProducts, p1: BitProducts, n: number): void {
  for (const p of [p0, p1]) expect([p.mine.length, p.z.length]).toEqual([n, n]);
  const wrong: number[] = []; // one expect for all values: per-value expects are slow at 2^18
  for (let i = 0; i < n; i++) {
    const bitsOk = p0.mine[i]! <= 1n && p1.mine[i]! <= 1n;
    if (!bitsOk || ((p0.z[i]! + p1.z[i]!) & MASK) !== p0.mine[i]! * p1.mine[i]!) wrong.push(i);
  }
  expect(wrong).toEqual([]);
}

const ones = (v: BigUint64Array) => v.reduce((s, b) => s + Number(b), 0);

describe('bit-product steps', () => {
  it('give z0 + z1 = α·β for every (α, β) with any pads, including ones that wrap', () => {
    const alpha = BigUint64Array.of(0n, 0n, 1n, 1n, 1n, 1n);
    const beta = BigUint64Array.of(0n, 1n, 0n, 1n, 1n, 1n);
    const m0 = BigUint64Array.of(5n, MASK, 0n, MASK, 0n, 123n);
    const m1 = BigUint64Array.of(MASK, 7n, MASK, 0n, MASK, 123n);
    const { d, z: z0 } = bitProductSenderStep(alpha, m0, m1);
    const chosen = m0.map((v, j) => (beta[j] === 1n ? m1[j]! : v));
    const z1 = bitProductReceiverStep(beta, chosen, d);
    for (let j = 0; j < alpha.length; j++) {
      expect(d[j]).toBe((m0[j]! - m1[j]! + alpha[j]!) & MASK);
      expect(z0[j]).toBe(-m0[j]! & MASK);
      expect((z0[j]! + z1[j]!) & MASK).toBe(alpha[j]! * beta[j]!);
    }
  });

  it('refuse mismatched lengths with ERR_PROTOCOL', () => {
    const p = pads(4, 1n);
    expect(() => bitProductSenderStep(new BigUint64Array(3), p, p)).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
    expect(() => bitProductReceiverStep(new BigUint64Array(4), p, new BigUint64Array(3))).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
  });
});

describe('OtGenerator.bitProducts', () => {
  it('gives z0 + z1 = α·β mod 2^64 for small counts and across a batch boundary', async () => {
    const s = await openBoth(duo(), 'ok');
    for (const n of [1, 7, 129, BIT_PRODUCT_BATCH + 3]) {
      const [p0, p1] = await bothProducts(s, n);
      expectValid(p0, p1, n);
    }
  }, 30_000);

  it('gives uniform-looking bits and shares, fresh on every call', async () => {
    const s = await openBoth(duo(), 'uniform');
    const n = 4000;
    const [x0, x1] = await bothProducts(s, n);
    const [y0, y1] = await bothProducts(s, n);
    expectValid(x0, x1, n);
    expectValid(y0, y1, n);
    for (const p of [x0, x1, y0, y1]) {
      const k = ones(p.mine);
      expect(k).toBeGreaterThan(0.45 * n);
      expect(k).toBeLessThan(0.55 * n);
    }
    // All four (α, β) combinations about equally often.
    const joint = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) joint[2 * Number(x0.mine[i]) + Number(x1.mine[i])]!++;
    for (const c of joint) expect(Math.abs(c - n / 4)).toBeLessThan(0.06 * n);
    // Shares are full 64-bit values with balanced bits, none repeated within or across calls.
    let bits = 0;
    for (const p of [x0, x1]) for (const v of p.z) bits += v.toString(2).split('1').length - 1;
    expect(bits / (2 * n * 64)).toBeGreaterThan(0.48);
    expect(bits / (2 * n * 64)).toBeLessThan(0.52);
    const first = new Set([...x0.z, ...x1.z]);
    expect(first.size).toBe(2 * n);
    for (const v of [...y0.z, ...y1.z]) expect(first.has(v)).toBe(false);
    // The bit vectors of the two calls differ (the chance of equal 4000-bit vectors is nil).
    expect(y0.mine).not.toEqual(x0.mine);
    expect(y1.mine).not.toEqual(x1.mine);
  });

  it('costs 24 bytes per value after setup on IKNP (one OT: u and d), framing aside', async () => {
    const pools = duo();
    const s = await openBoth(pools, 'cost');
    const sent = () => pools[0].stats.bytesSent + pools[1].stats.bytesSent;
    const before = sent();
    await bothProducts(s, 128); // whole 128-OT blocks: no padding
    const small = sent() - before;
    await bothProducts(s, 4096);
    const large = sent() - before - small;
    expect(large - small).toBe(BYTES_PER_VALUE * (4096 - 128));
    expect(small - BYTES_PER_VALUE * 128).toBeGreaterThanOrEqual(0);
    expect(small - BYTES_PER_VALUE * 128).toBeLessThan(128); // framing of 2 messages
  });

  it('interleaves with triples over one session, both staying valid', async () => {
    const s = await openBoth(duo(), 'mix');
    const [t0, t1] = await Promise.all([s[0].triples(5), s[1].triples(5)]);
    const [p0, p1] = await bothProducts(s, 300);
    const [u0, u1] = await Promise.all([s[0].triples(5), s[1].triples(5)]);
    expectValid(p0, p1, 300);
    for (const [a, b] of [
      [t0, t1],
      [u0, u1],
    ] as const) {
      for (let i = 0; i < 5; i++)
        expect((a.c[i]! + b.c[i]!) & MASK).toBe(((a.a[i]! + b.a[i]!) * (a.b[i]! + b.b[i]!)) & MASK);
    }
  });

  it('draws its bits from the injected source: a fixed source reproduces the bits', async () => {
    const runOnce = async () => {
      const group = poolDuo();
      try {
        const s = await openBoth(group.pools as [Pool, Pool], 'det', [seeded(1), seeded(2)]);
        return await bothProducts(s, 50);
      } finally {
        group.close();
      }
    };
    const [r1, r2] = [await runOnce(), await runOnce()];
    expectValid(r1[0], r1[1], 50);
    expect(r2[0].mine).toEqual(r1[0].mine);
    expect(r2[1].mine).toEqual(r1[1].mine);
  });
});

describe('refusing mismatched or bad use', () => {
  it.each([0, -3, 1.5, Number.NaN, '7'])('refuses n = %s with ERR_BAD_REQUEST, sending nothing', async (n) => {
    const pools = duo();
    const [s0] = await openBoth(pools, 'n');
    const before = pools[0].stats.messagesSent;
    await expect(s0.bitProducts(n as number)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(pools[0].stats.messagesSent).toBe(before);
  });

  it('serves one call at a time', async () => {
    const [s0, s1] = await openBoth(duo(), 'busy');
    const first = Promise.all([s0.bitProducts(10), s1.bitProducts(10)]);
    await expect(s0.bitProducts(10)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(s0.triples(10)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    const [p0, p1] = await first;
    expectValid(p0, p1, 10);
  });

  it.each([
    ['counts that pad differently (party 0 sees the wrong u)', 10, 200, 0],
    ['counts that pad alike (party 1 sees the wrong d)', 10, 20, 1],
  ] as const)(
    'refuses %s with ERR_PROTOCOL; the session is closed and the peer stopped',
    async (_, n0, n1, detector) => {
      const pools = duo();
      const s = await openBoth(pools, 'mismatch');
      const runs = [s[0].bitProducts(n0), s[1].bitProducts(n1)];
      await expect(runs[detector]).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
      pools[detector].abort({ code: 'ERR_PROTOCOL', message: 'mismatched bit products' }); // as callers do
      // The peer cannot tell by itself (with alike padding party 0 just finishes), but stops now.
      await Promise.allSettled(runs);
      await expect(s[detector]!.bitProducts(n0)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
      await expect(s[1 - detector]!.bitProducts(n0)).rejects.toMatchObject({
        code: expect.stringMatching(/^ERR_(CLOSED|PEER_ABORTED)$/),
      });
    },
  );

  it('refuses bit products met by triples at the peer', async () => {
    const pools = duo();
    const [s0, s1] = await openBoth(pools, 'kinds');
    const other = s1.triples(10);
    other.catch(() => undefined);
    await expect(s0.bitProducts(10)).rejects.toMatchObject({ code: 'ERR_PROTOCOL' }); // u for 640 OTs, not 10
  });

  it('refuses wrong-length corrections d from a hand-driven party 0', async () => {
    const [p0, p1] = duo();
    // Party 0 is hand-driven: an honest setup of both instances, then garbage for d.
    const [session] = await Promise.all([
      OtGenerator.open(p1, 1, 'h'),
      IknpSender.setup(p0, 1, 'h/ot0', 0),
      IknpReceiver.setup(p0, 1, 'h/ot1', 1),
    ]);
    const running = session.bitProducts(10);
    await p0.send(1, new BigUint64Array(9), 'h/ot0/bits/0');
    await expect(running).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    await expect(session.bitProducts(10)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});

describe('bit products in Z_2^128 (16-byte d and z)', () => {
  const MOD = 1n << 128n;
  const wide = (v: BigUint64Array, i: number) => v[2 * i]! + (v[2 * i + 1]! << 64n);
  const openWide = (pools: [Pool, Pool], tag: string) =>
    Promise.all([
      OtGenerator.open(pools[0], 0, tag, { ring: 128, extension: 'iknp' }),
      OtGenerator.open(pools[1], 1, tag, { ring: 128, extension: 'iknp' }),
    ]);

  it('the steps give z0 + z1 = α·β mod 2^128 with pads that wrap both words', () => {
    const alpha = BigUint64Array.of(0n, 1n, 1n, 1n);
    const beta = BigUint64Array.of(1n, 0n, 1n, 1n);
    const m0 = BigUint64Array.of(5n, MASK, 0n, 0n, MASK, MASK, 0n, 7n);
    const m1 = BigUint64Array.of(MASK, MASK, MASK, 0n, 0n, 0n, 1n, 7n);
    const { d, z: z0 } = bitProductSenderStep(alpha, m0, m1, RING128);
    expect(d.length).toBe(8);
    const chosen = m0.map((v, w) => (beta[w >> 1] === 1n ? m1[w]! : v));
    const z1 = bitProductReceiverStep(beta, chosen, d, RING128);
    for (let j = 0; j < 4; j++) {
      expect(wide(d, j)).toBe((((wide(m0, j) - wide(m1, j) + alpha[j]!) % MOD) + MOD) % MOD);
      expect((wide(z0, j) + wide(z1, j)) % MOD).toBe(alpha[j]! * beta[j]!);
    }
    expect(() => bitProductSenderStep(alpha, m0.subarray(1), m1, RING128)).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
  });

  it('are valid across a batch boundary, with full-width shares, and cost 32 bytes per value on IKNP', async () => {
    const pools = duo();
    const s = await openWide(pools, 'wide');
    const n = BIT_PRODUCT_BATCH / 2 + 5; // the wide batch is half as many values
    const [x0, x1] = await bothProducts(s, n);
    expect([x0.mine.length, x0.z.length, x1.z.length]).toEqual([n, 2 * n, 2 * n]);
    const wrong: number[] = [];
    let hiOnes = 0;
    for (let i = 0; i < n; i++) {
      if ((wide(x0.z, i) + wide(x1.z, i)) % MOD !== x0.mine[i]! * x1.mine[i]!) wrong.push(i);
      if (i < 1000) hiOnes += x0.z[2 * i + 1]!.toString(2).split('1').length - 1;
    }
    expect(wrong).toEqual([]);
    expect(hiOnes / (1000 * 64)).toBeGreaterThan(0.47); // the high words are random too
    expect(hiOnes / (1000 * 64)).toBeLessThan(0.53);
    expect(ones(x0.mine) / n).toBeGreaterThan(0.48);
    expect(ones(x1.mine) / n).toBeLessThan(0.52);
    const sent = () => pools[0].stats.bytesSent + pools[1].stats.bytesSent;
    const before = sent();
    await bothProducts(s, 128); // whole 128-OT blocks: no padding
    const small = sent() - before;
    await bothProducts(s, 4096);
    const large = sent() - before - small;
    expect(large - small).toBe(32 * (4096 - 128)); // one OT: 16 B of u, 16 B of d
  }, 60_000);
});
