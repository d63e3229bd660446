// Ferret silent OT (workers/ot/silent/ferret.ts) over the in-memory Pool: every COT satisfies
// t_j = q_j ⊕ r_j·Δ (bit 0 of q clear, r_j = bit 0 of t_j) for takes that start and end inside,
// exactly at and across chunk and iteration boundaries (bootstrap → main → main); choice bits are
// balanced; no block repeats across takes or sessions; a seeded run reproduces; and malformed
// peer messages and bad counts are refused.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IknpReceiver, IknpSender } from '../../../../workers/ot/iknp.js';
import {
  FERRET_BOOT,
  FERRET_MAIN,
  FerretReceiver,
  FerretSender,
  outputOf,
  reserveOf,
} from '../../../../workers/ot/silent/ferret.js';
import type { Pool } from '../../../../workers/pool/pool.js';
import { type PoolGroup, poolDuo } from '../../../helpers/pools.js';
import { seededBytes } from '../../../helpers/seeded.js';

/** ferret.ts: most leaves per chunk of trees (not exported; only used to aim takes at boundaries). */
const CHUNK_LEAVES = 2 ** 19;

/**
 * Where the stock's pieces end, in COTs handed out: per chunk of each iteration, what is left
 * after the next iteration's reserve (reserveOf(FERRET_MAIN)) has been filled first.
 */
function stockBoundaries(iterations: number): { chunkEnds: number[]; iterationEnds: number[] } {
  const chunkEnds: number[] = [];
  const iterationEnds: number[] = [];
  let handed = 0;
  for (let it = 0; it < iterations; it++) {
    const p = it === 0 ? FERRET_BOOT : FERRET_MAIN;
    let need = reserveOf(FERRET_MAIN);
    const trees = Math.max(1, CHUNK_LEAVES >>> p.h);
    for (let first = 0; first < p.t; first += trees) {
      const rows = Math.min(trees, p.t - first) * 2 ** p.h;
      const k = Math.min(need, rows);
      need -= k;
      if (k < rows) chunkEnds.push((handed += rows - k));
    }
    expect(need).toBe(0); // each iteration refills the next reserve
    iterationEnds.push(handed);
  }
  expect(handed).toBe(
    outputOf(FERRET_BOOT) + (iterations - 1) * outputOf(FERRET_MAIN) - iterations * reserveOf(FERRET_MAIN),
  );
  return { chunkEnds, iterationEnds };
}

interface Duo {
  g: PoolGroup;
  sender: FerretSender;
  receiver: FerretReceiver;
}

async function openDuo(id: string, seeds?: number[]): Promise<Duo> {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  const rng = (i: number) => (seeds ? seededBytes(seeds[i]!) : undefined);
  const [bs, br] = await Promise.all([
    IknpSender.setup(p0, 1, id, 0, rng(0)),
    IknpReceiver.setup(p1, 0, id, 0, rng(1)),
  ]);
  const [sender, receiver] = await Promise.all([
    FerretSender.open(p0, 1, `${id}/f`, bs, rng(2)),
    FerretReceiver.open(p1, 0, `${id}/f`, br, rng(3)),
  ]);
  return { g, sender, receiver };
}

const take = (d: Duo, m: number) => Promise.all([d.sender.take(m), d.receiver.take(m)]);

/** Checks t = q ⊕ r·Δ and bit 0 of q clear for every COT; returns the number of r = 1. */
function checkCorrelation(q: Uint32Array, t: Uint32Array, delta: Uint32Array, at: number): number {
  expect([q.length, t.length]).toEqual([t.length, q.length]);
  let ones = 0;
  for (let j = 0; j < q.length / 4; j++) {
    const r = t[4 * j]! & 1;
    ones += r;
    if (q[4 * j]! & 1) throw new Error(`COT ${at + j}: bit 0 of q is set`);
    for (let i = 0; i < 4; i++)
      if ((t[4 * j + i]! ^ (r ? delta[i]! : 0)) >>> 0 !== q[4 * j + i])
        throw new Error(`COT ${at + j} word ${i}: t ≠ q ⊕ r·Δ`);
    if ((q[4 * j]! | q[4 * j + 1]! | q[4 * j + 2]! | q[4 * j + 3]!) === 0) throw new Error(`COT ${at + j}: zero block`);
  }
  return ones;
}

const blockKey = (v: Uint32Array, j: number) => `${v[4 * j]},${v[4 * j + 1]},${v[4 * j + 2]},${v[4 * j + 3]}`;

/** Adds a sample of q's blocks (every `step`-th, and the first and last 64) to `seen`; fails on a repeat. */
function sampleInto(seen: Set<string>, q: Uint32Array, step: number): void {
  const m = q.length / 4;
  for (let j = 0; j < m; j++) {
    if (j % step !== 0 && j >= 64 && j < m - 64) continue;
    const k = blockKey(q, j);
    if (seen.has(k)) throw new Error(`block ${k} repeats`);
    seen.add(k);
  }
}

describe('Ferret COT across chunks and iterations', () => {
  let d: Duo;
  const seen = new Set<string>();
  beforeAll(async () => {
    d = await openDuo('fc');
  });
  afterAll(() => d.g.close());

  it('gives t = q ⊕ r·Δ with balanced r for takes inside, at and across every boundary', async () => {
    const { chunkEnds, iterationEnds } = stockBoundaries(3);
    const [bootEnd, mainEnd] = iterationEnds as [number, number];
    expect(bootEnd).toBeGreaterThan(2); // the bootstrap leaves a few COTs over after the reserve
    // Positions (COTs handed out so far) where takes end: just before, at and after each
    // boundary of the first two iterations, and into the third; steps of at most 2^21.
    const ends = new Set<number>([1, bootEnd - 1, bootEnd, bootEnd + 7]);
    for (const b of chunkEnds.filter((b) => b <= mainEnd + 1000)) [b - 3, b + 5].forEach((e) => ends.add(e));
    [mainEnd, mainEnd + 1000].forEach((e) => ends.add(e));
    const sorted = [...ends].sort((a, b) => a - b);
    const takes: number[] = [];
    let at = 0;
    for (const e of sorted) {
      while (e - at > 2 ** 21) takes.push(2 ** 21), (at += 2 ** 21);
      takes.push(e - at);
      at = e;
    }
    expect(takes.every((m) => m > 0)).toBe(true);
    const delta = d.sender.delta;
    expect(delta[0]! & 1).toBe(1);
    let handed = 0;
    let ones = 0;
    for (const m of takes) {
      const [q, t] = await take(d, m);
      expect(q.length).toBe(4 * m);
      ones += checkCorrelation(q, t, delta, handed);
      sampleInto(seen, q, 101);
      handed += m;
    }
    expect(handed).toBe(mainEnd + 1000);
    expect(Math.abs(ones / handed - 0.5)).toBeLessThan(0.002); // ~10M fair bits: σ ≈ 0.00016
  }, 60_000);

  it('shares no block with another session', async () => {
    const other = await openDuo('fc');
    try {
      for (const m of [outputOf(FERRET_BOOT) - reserveOf(FERRET_MAIN), 300_000]) {
        const [q, t] = await take(other, m);
        checkCorrelation(q, t, other.sender.delta, 0);
        sampleInto(seen, q, 7);
      }
      expect(other.sender.delta).not.toEqual(d.sender.delta);
    } finally {
      other.g.close();
    }
  });
});

describe('Ferret COT determinism', () => {
  it('reproduces every output from seeded random sources, and changes with them', async () => {
    const run = async (seeds: number[]) => {
      const d = await openDuo('det', seeds);
      try {
        const a = await take(d, 500);
        const b = await take(d, 20_000);
        return [...a, ...b].map((v) => Array.from(v.subarray(0, 4000)).join(','));
      } finally {
        d.g.close();
      }
    };
    const first = await run([1, 2, 3, 4]);
    expect(await run([1, 2, 3, 4])).toEqual(first);
    // Other receiver randomness (the GGM points): other noise and choices for the receiver, while
    // the sender's q (its leaves ⊕ its LPN encoding) does not depend on the receiver.
    const other = await run([1, 2, 3, 5]);
    expect(other[2]).toEqual(first[2]);
    expect(other[3]).not.toEqual(first[3]);
    expect((await run([1, 2, 7, 4]))[2]).not.toEqual(first[2]); // other sender roots
  });
});

describe('Ferret COT refusals', () => {
  const boot = FERRET_BOOT;
  const flipWords = Math.ceil((boot.t * boot.h) / 32);
  const ggmWords = 4 * (2 * boot.t * boot.h + boot.t); // the bootstrap iteration is one chunk

  /** A Ferret party whose peer is driven by hand over the peer's IKNP side. */
  async function handDriven(id: string) {
    const g = poolDuo();
    const [p0, p1] = g.pools as [Pool, Pool];
    const [bs, br] = await Promise.all([IknpSender.setup(p0, 1, id, 0), IknpReceiver.setup(p1, 0, id, 0)]);
    return { g, p0, p1, bs, br };
  }

  it.each([
    ['too short', () => new Uint32Array(flipWords - 1)],
    ['too long', () => new Uint32Array(flipWords + 1)],
    ['bytes instead of words', () => new Uint8Array(4 * flipWords)],
  ])('a flips message that is %s is ERR_PROTOCOL at the sender', async (_, garbage) => {
    const { g, p0, p1, bs, br } = await handDriven('rf');
    try {
      const sender = await FerretSender.open(p0, 1, 'rf/f', bs);
      const taking = sender.take(10);
      await br.take(reserveOf(boot)); // the receiver's bootstrap, then bad flips
      await p1.send(0, garbage(), 'rf/f/flip/0');
      await expect(taking).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    } finally {
      g.close();
    }
  });

  it.each([
    ['a block short', () => new Uint32Array(ggmWords - 4)],
    ['a block long', () => new Uint32Array(ggmWords + 4)],
    ['ring words instead of blocks', () => new BigUint64Array(ggmWords / 2)],
  ])('a GGM chunk message %s is ERR_PROTOCOL at the receiver', async (_, garbage) => {
    const { g, p0, p1, bs, br } = await handDriven('rg');
    try {
      const receiver = await FerretReceiver.open(p1, 0, 'rg/f', br);
      const taking = receiver.take(10);
      await bs.take(reserveOf(boot));
      const flips = await p0.recv(1, 'rg/f/flip/0');
      expect(flips).toBeInstanceOf(Uint32Array);
      expect((flips as Uint32Array).length).toBe(flipWords);
      await p0.send(1, garbage(), 'rg/f/ggm/0/0');
      await expect(taking).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    } finally {
      g.close();
    }
  });

  it('refuses take counts that are negative, not whole or too large, and gives nothing for 0', async () => {
    const d = await openDuo('rc');
    try {
      for (const m of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 24 + 1]) {
        await expect(d.sender.take(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
        await expect(d.receiver.take(m)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
      }
      const sent = () => d.g.pools[0]!.stats.messagesSent + d.g.pools[1]!.stats.messagesSent;
      const before = sent();
      const [q, t] = await take(d, 0);
      expect([q.length, t.length, sent()]).toEqual([0, 0, before]); // no bootstrap for nothing
      const [q1, t1] = await take(d, 3); // still usable, and 0 consumed nothing
      checkCorrelation(q1, t1, d.sender.delta, 0);
    } finally {
      d.g.close();
    }
  });

  it('serves one take at a time', async () => {
    const d = await openDuo('ro');
    try {
      const first = take(d, 5);
      await expect(d.sender.take(5)).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
      await expect(d.receiver.take(5)).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
      const [q, t] = await first;
      checkCorrelation(q, t, d.sender.delta, 0);
    } finally {
      d.g.close();
    }
  });
});
