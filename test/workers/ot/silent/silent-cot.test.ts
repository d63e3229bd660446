// The default COT source (workers/ot/silent/silent-cot.ts): demands up to IKNP_LIMIT COTs are
// served by IKNP (16 bytes of u per COT), later ones by Ferret (a small fraction of a byte per
// COT in steady state); both parties switch at the same call and the correlation holds across
// the switch. And the leakage check on this default path (OtGenerator over silent OT): every
// message each party receives has an id and size fixed by the public counts alone, whatever the
// secret randomness (shares, choices, Δ, GGM points).

import { describe, expect, it } from 'vitest';
import { IknpReceiver, IknpSender, paddedLength } from '../../../../workers/ot/iknp.js';
import { OtGenerator } from '../../../../workers/ot/ot-triples.js';
import {
  FERRET_MAIN,
  FerretReceiver,
  FerretSender,
  outputOf,
  reserveOf,
} from '../../../../workers/ot/silent/ferret.js';
import { IKNP_LIMIT, SilentCotReceiver, SilentCotSender } from '../../../../workers/ot/silent/silent-cot.js';
import type { Pool } from '../../../../workers/pool/pool.js';
import { poolDuo } from '../../../helpers/pools.js';
import { seededBytes } from '../../../helpers/seeded.js';

const MASK = (1n << 64n) - 1n;

/** A switch pair over one IKNP instance, noting for each take whether Ferret served it. */
async function openSwitch(id: string) {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  const [bs, br] = await Promise.all([IknpSender.setup(p0, 1, id, 0), IknpReceiver.setup(p1, 0, id, 0)]);
  const [fs, fr] = await Promise.all([
    FerretSender.open(p0, 1, `${id}/f`, bs),
    FerretReceiver.open(p1, 0, `${id}/f`, br),
  ]);
  const ferretCalls = [0, 0];
  for (const [i, f] of [fs, fr].entries()) {
    const take = f.take.bind(f);
    f.take = (m: number) => (ferretCalls[i]!++, take(m));
  }
  const sender = new SilentCotSender(bs, fs);
  const receiver = new SilentCotReceiver(br, fr);
  expect(sender.delta).toBe(bs.delta);
  expect([sender.seed, receiver.seed]).toEqual([bs.seed, br.seed]);
  /** m COTs at both parties, checked; which source served each side, and the bytes each received. */
  async function take(m: number) {
    const calls = [...ferretCalls];
    const bytes = [p0.stats.bytesReceived, p1.stats.bytesReceived];
    const [q, t] = await Promise.all([sender.take(m), receiver.take(m)]);
    const d = sender.delta;
    expect([q.length, t.length]).toEqual([4 * m, 4 * m]);
    for (let j = 0; j < m; j++) {
      const r = t[4 * j]! & 1;
      if (q[4 * j]! & 1) throw new Error(`COT ${j}: bit 0 of q set`);
      for (let i = 0; i < 4; i++)
        if ((t[4 * j + i]! ^ (r ? d[i]! : 0)) >>> 0 !== q[4 * j + i]) throw new Error(`COT ${j}: t ≠ q ⊕ r·Δ`);
    }
    const served = ferretCalls.map((c, i) => (c > calls[i]! ? 'ferret' : 'iknp'));
    return {
      served,
      senderBytes: p0.stats.bytesReceived - bytes[0]!,
      receiverBytes: p1.stats.bytesReceived - bytes[1]!,
    };
  }
  return { g, take };
}

describe('SilentCot switch', () => {
  it('serves IKNP up to IKNP_LIMIT COTs at 16 B per COT, then Ferret, switching at the same call', async () => {
    const s = await openSwitch('sw');
    try {
      for (const m of [1000, IKNP_LIMIT - 1000]) {
        const r = await s.take(m);
        expect(r.served).toEqual(['iknp', 'iknp']);
        const u = (128 * paddedLength(m)) / 8; // the receiver's κ × M matrix, to the sender
        expect(r.senderBytes).toBeGreaterThanOrEqual(u);
        expect(r.senderBytes).toBeLessThan(u * 1.01 + 256);
        expect(r.receiverBytes).toBeLessThan(256);
      }
      // The limit is reached exactly: one more COT switches, and every later demand stays silent.
      for (const m of [1, 5000, 1]) expect((await s.take(m)).served).toEqual(['ferret', 'ferret']);
      // Steady state: some 8 M COTs cost only the GGM messages, (2h + 1) blocks per tree of 2^h
      // COTs, plus the flips: about (2h + 1)·128 / 2^h bits per COT against IKNP's 128.
      const { t, h } = FERRET_MAIN;
      let bytes = 0;
      let n = 0;
      for (let i = 0; i < 4; i++) {
        const r = await s.take(2_000_000);
        expect(r.served).toEqual(['ferret', 'ferret']);
        bytes += r.senderBytes + r.receiverBytes;
        n += 2_000_000;
      }
      const perCot = (t * ((2 * h + 1) * 16 + h / 8)) / (outputOf(FERRET_MAIN) - reserveOf(FERRET_MAIN));
      const chunk = 2 ** 19 * (perCot + 0.01); // the measurement window is whole takes, not chunks
      expect(bytes).toBeGreaterThan(n * perCot - chunk);
      expect(bytes).toBeLessThan(n * perCot + chunk);
      expect((8 * bytes) / n).toBeLessThan(2); // at least 64× less than IKNP
    } finally {
      s.g.close();
    }
  }, 60_000);

  it('sends a demand that would cross the limit to Ferret, and stays there', async () => {
    const s = await openSwitch('sx');
    try {
      expect((await s.take(IKNP_LIMIT - 10)).served).toEqual(['iknp', 'iknp']);
      for (const m of [20, 5, 1]) expect((await s.take(m)).served).toEqual(['ferret', 'ferret']);
    } finally {
      s.g.close();
    }
  });

  it('sends a first demand above the limit straight to Ferret', async () => {
    const s = await openSwitch('sy');
    try {
      const r = await s.take(IKNP_LIMIT + 1);
      expect(r.served).toEqual(['ferret', 'ferret']);
      expect(r.senderBytes + r.receiverBytes).toBeLessThan(16 * IKNP_LIMIT); // not IKNP's cost
    } finally {
      s.g.close();
    }
  });
});

describe('leakage on the default (silent) path', () => {
  /** Per party, the sorted `id:type:length` of every message it received during the run. */
  async function transcript(seeds: [number, number]): Promise<string[][]> {
    const g = poolDuo();
    try {
      const pools = g.pools as [Pool, Pool];
      const seen: string[][] = [[], []];
      for (const [i, pool] of pools.entries()) {
        const recv = pool.recv.bind(pool);
        pool.recv = (async (from: number, id?: string) => {
          const v = await recv(from, id as string);
          const len = (v as { length?: number }).length ?? -1;
          seen[i]!.push(`${id}:${(v as object)?.constructor?.name}:${len}`);
          return v;
        }) as typeof pool.recv;
      }
      const gens = await Promise.all(
        pools.map((p, i) => OtGenerator.open(p, i as 0 | 1, 'lk', { rng: seededBytes(seeds[i]!) })),
      );
      // 3,000 triples: 192,000 COTs per instance, above IKNP_LIMIT, so through Ferret.
      const n = 3000;
      expect(64 * n).toBeGreaterThan(IKNP_LIMIT);
      const [t0, t1] = await Promise.all([gens[0]!.triples(n), gens[1]!.triples(n)]);
      for (let i = 0; i < n; i += 7) {
        const a = t0.a[i]! + t1.a[i]!;
        const b = t0.b[i]! + t1.b[i]!;
        expect((t0.c[i]! + t1.c[i]!) & MASK).toBe((a * b) & MASK);
      }
      const [b0, b1] = await Promise.all([gens[0]!.bitProducts(2000), gens[1]!.bitProducts(2000)]);
      expect(b0.mine.length + b1.mine.length).toBe(4000);
      await Promise.all(gens.map((o) => o.andTriples(300)));
      return seen.map((s) => s.sort());
    } finally {
      g.close();
    }
  }

  it('gives each party messages whose ids, types and sizes depend only on the counts', async () => {
    const a = await transcript([1, 2]);
    const b = await transcript([3, 4]);
    for (const p of [0, 1]) expect(b[p]).toEqual(a[p]);
    // Each party is the Ferret receiver of its peer's instance: both received GGM chunks.
    for (const p of [0, 1]) expect(a[p]!.filter((s) => s.includes('/f/ggm/')).length).toBeGreaterThan(1);
  }, 60_000);
});
