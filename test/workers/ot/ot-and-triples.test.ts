// Dealer-free packed AND triples (OtGenerator.andTriples, workers/ot/ot-triples.ts):
// 64 boolean AND triples per word, XOR-shared, from one random OT per bit and direction. Checked
// on the pure steps, then over the in-memory Pool: valid across a batch boundary, uniform-looking,
// fresh on every call, 2,064 bytes per word after setup, and refusals.

import { afterEach, describe, expect, it } from 'vitest';
import {
  AND_WORD_BATCH,
  andReceiverStep,
  andSenderStep,
  halvesToWords,
  OtGenerator,
  wordsToHalves,
} from '../../../workers/ot/ot-triples.js';
import type { Pool } from '../../../workers/pool/pool.js';
import type { AndTriples } from '../../../workers/securenumpy/correlations.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';

/** Both parties together, per word: 2 directions × (64 OTs × 16 B of u + 8 B of d). */
const BYTES_PER_WORD = 2064; // 2 directions × (64 OTs × 16 B of u + 8 B of d)
let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});
const duo = () => (g = poolDuo()).pools as [Pool, Pool];
const open = (pools: [Pool, Pool], tag: string) =>
  Promise.all([OtGenerator.open(pools[0], 0, tag), OtGenerator.open(pools[1], 1, tag)]);
const both = (s: OtGenerator[], n: number) =>
  Promise.all([s[0]!.andTriples(n), s[1]!.andTriples(n)]) as Promise<[AndTriples, AndTriples]>;

function wrongWords(t0: AndTriples, t1: AndTriples): number[] {
  const bad: number[] = [];
  for (let i = 0; i < t0.a.length; i++)
    if ((t0.c[i]! ^ t1.c[i]!) !== ((t0.a[i]! ^ t1.a[i]!) & (t0.b[i]! ^ t1.b[i]!))) bad.push(i);
  return bad;
}

describe('AND-triple OT steps', () => {
  it('give XOR shares of a & b for every bit pair, with any pads', () => {
    const a = Uint32Array.of(0b0011, 0xffffffff);
    const b = Uint32Array.of(0b0101, 0x0f0f0f0f);
    const m0 = Uint32Array.of(0xdeadbeef, 0x12345678);
    const m1 = Uint32Array.of(0x0badf00d, 0xffffffff);
    const { d, share } = andSenderStep(a, m0, m1);
    const chosen = m0.map((v, i) => (v & ~b[i]!) | (m1[i]! & b[i]!));
    const other = andReceiverStep(b, chosen, d);
    for (let i = 0; i < 2; i++) expect((share[i]! ^ other[i]!) >>> 0).toBe((a[i]! & b[i]!) >>> 0);
    expect(() => andSenderStep(a, m0, Uint32Array.of(1))).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
  });

  it('pack words LSB-first into 32-bit halves and back', () => {
    const w = BigUint64Array.of(0x0123456789abcdefn, 1n, 1n << 63n);
    const h = wordsToHalves(w);
    expect([...h]).toEqual([0x89abcdef, 0x01234567, 1, 0, 0, 0x80000000]);
    expect(halvesToWords(h)).toEqual(w);
  });
});

describe('OtGenerator.andTriples', () => {
  it('gives c0 ⊕ c1 = (a0 ⊕ a1) & (b0 ⊕ b1) for small counts and across a batch boundary', async () => {
    const s = await open(duo(), 'ok');
    for (const n of [1, 3, AND_WORD_BATCH + 1]) {
      const [t0, t1] = await both(s, n);
      expect(t0.a.length).toBe(n);
      expect(wrongWords(t0, t1)).toEqual([]);
    }
  }, 30_000);

  it('gives uniform-looking, fresh words on every call, and interleaves with other correlations', async () => {
    const s = await open(duo(), 'uniform');
    const [x0, x1] = await both(s, 500);
    const [p0, p1] = await Promise.all([s[0].bitProducts(10), s[1].bitProducts(10)]);
    const [y0, y1] = await both(s, 500);
    expect(wrongWords(x0, x1)).toEqual([]);
    expect(wrongWords(y0, y1)).toEqual([]);
    for (let i = 0; i < 10; i++) expect(BigInt.asUintN(64, p0.z[i]! + p1.z[i]!)).toBe(p0.mine[i]! * p1.mine[i]!);
    const words = [...x0.a, ...x0.b, ...x0.c, ...x1.a, ...x1.b, ...x1.c];
    const ones = words.reduce((n, w) => n + w.toString(2).split('1').length - 1, 0);
    expect(ones / (64 * words.length)).toBeGreaterThan(0.48);
    expect(ones / (64 * words.length)).toBeLessThan(0.52);
    const first = new Set(words);
    expect(first.size).toBe(words.length);
    for (const w of [...y0.c, ...y1.c, ...y0.a]) expect(first.has(w)).toBe(false);
  });

  it('costs 2,064 bytes per word after setup on IKNP (128 OTs: u and d), framing aside', async () => {
    const pools = duo();
    const s = await open(pools, 'cost');
    const sent = () => pools[0].stats.bytesSent + pools[1].stats.bytesSent;
    const before = sent();
    await both(s, 2); // 128 OTs per instance: no padding
    const small = sent() - before;
    await both(s, 64);
    const large = sent() - before - small;
    expect(large - small).toBe(BYTES_PER_WORD * (64 - 2));
    expect(small - BYTES_PER_WORD * 2).toBeGreaterThanOrEqual(0);
    expect(small - BYTES_PER_WORD * 2).toBeLessThan(256); // framing of 4 messages
  });

  it('refuses counts that are not positive whole numbers with ERR_BAD_REQUEST', async () => {
    const [s0] = await open(duo(), 'n');
    for (const n of [0, -1, 2.5]) await expect(s0.andTriples(n)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });
});
