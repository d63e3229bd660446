// Preprocessing lanes (workers/ot/lanes/lanes.ts) between two parties over the in-memory Pool,
// with lanes in this thread: triples, bit products and AND triples correct for 1, 2 and 3 lanes
// across chunk and lane boundaries, the parties agreeing on the smaller wish, the split, and a
// lane's failure failing the whole set with its code and stopping every lane; the wide ring's
// widths (Z_2^128 triples and bit products), and parties on different rings refused at both.

import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../../shared/errors.js';
import {
  type Lane,
  type LaneKind,
  type LaneOpener,
  Lanes,
  openThreadLane,
  splitRanges,
} from '../../../../workers/ot/lanes/lanes.js';
import type { Pool } from '../../../../workers/pool/pool.js';
import { wrong } from '../../../helpers/lanes.js';
import { type PoolGroup, poolDuo } from '../../../helpers/pools.js';

let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});
const duo = () => (g = poolDuo()).pools as [Pool, Pool];

const openBoth = (pools: [Pool, Pool], wishes: [number, number], openLane: LaneOpener = openThreadLane) =>
  Promise.all([0, 1].map((p) => Lanes.open(pools[p]!, p as 0 | 1, 'ln', { wish: wishes[p]!, openLane })));

describe('splitRanges', () => {
  it('splits n into w contiguous ranges, the first n mod w one longer, empty ones when n < w', () => {
    expect(splitRanges(10, 3)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 7 },
      { start: 7, end: 10 },
    ]);
    expect(splitRanges(2, 3)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
      { start: 2, end: 2 },
    ]);
    expect(splitRanges(5, 1)).toEqual([{ start: 0, end: 5 }]);
  });
});

describe('Lanes in this thread', () => {
  it.each([1, 2, 3])('with %i lanes, makes valid triples, bit products and AND triples', async (w) => {
    const lanes = await openBoth(duo(), [w, w]);
    expect(lanes.map((l) => l.count)).toEqual([w, w]);
    for (const [kind, n] of [
      ['triples', 40],
      ['bitProducts', 33],
      ['andTriples', 17],
      ['triples', 2], // fewer than lanes when w = 3
    ] as [LaneKind, number][]) {
      const progress: number[] = [];
      const [x, y] = await Promise.all([
        lanes[0]!.make(kind, n, 7, (done, total) => progress.push(done / total)),
        lanes[1]!.make(kind, n, 7),
      ]);
      expect(x.map((v) => v.length)).toEqual(Array(kind === 'bitProducts' ? 2 : 3).fill(n));
      expect(wrong(kind, x, y)).toEqual([]);
      // every chunk reports, the last at n
      expect(progress.length).toBe(splitRanges(n, w).reduce((s, r) => s + Math.ceil((r.end - r.start) / 7), 0));
      expect(progress.at(-1)).toBe(1);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    }
    // the lanes make different correlations: no share repeats across the call
    const [x] = await Promise.all([lanes[0]!.make('triples', 30, 30), lanes[1]!.make('triples', 30, 30)]);
    expect(new Set(x[0]).size).toBe(30);
  });

  it.each([
    [3, 2, 2],
    [1, 4, 1],
    [2, 5, 2],
  ])('party 0 wishing %i and party 1 %i run %i lanes, and their triples are valid', async (w0, w1, want) => {
    const lanes = await openBoth(duo(), [w0, w1]);
    expect(lanes.map((l) => l.count)).toEqual([want, want]);
    const [x, y] = await Promise.all([lanes[0]!.make('triples', 25, 8), lanes[1]!.make('triples', 25, 8)]);
    expect(wrong('triples', x, y)).toEqual([]);
  });

  it('refuses a bad wish with ERR_BAD_REQUEST and a bad wish from the peer with ERR_PROTOCOL', async () => {
    const [p0, p1] = duo();
    for (const wish of [0, 1.5, -1, 65])
      await expect(Lanes.open(p0, 0, `bad${wish}`, { wish })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    const opening = Lanes.open(p0, 0, 'peer', { wish: 2 });
    await p1.send(0, 'many', 'peer/lanes');
    await expect(opening).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('refuses calls after close with ERR_CLOSED, and closes every lane', async () => {
    let closed = 0;
    const counting: LaneOpener = async (...args) => {
      const lane = await openThreadLane(...args);
      return { make: lane.make, close: () => void closed++ };
    };
    const lanes = await openBoth(duo(), [2, 2], counting);
    lanes[0]!.close();
    lanes[0]!.close();
    expect(closed).toBe(2);
    await expect(lanes[0]!.make('triples', 4, 4)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});

describe('a failing lane', () => {
  it("fails the whole call with the lane's code, closes every lane, and fails later calls the same way", async () => {
    const closed: string[] = [];
    // At party 0, lane 1 fails on its second chunk; the other lanes work.
    const failing: LaneOpener = async (channel, party, tag, extension, ring) => {
      const lane = await openThreadLane(channel, party, tag, extension, ring);
      let calls = 0;
      const wrapped: Lane = {
        make: (kind, n) =>
          party === 0 && tag.endsWith('lane1') && ++calls === 2
            ? Promise.reject(new ParleyError('ERR_TOO_LARGE', 'lane 1 refuses'))
            : lane.make(kind, n),
        close: () => void closed.push(`${party}:${tag}`),
      };
      return wrapped;
    };
    const [p0, p1] = duo();
    const [l0, l1] = (await openBoth([p0, p1], [3, 3], failing)) as [Lanes, Lanes];
    const peer = l1.make('triples', 60, 10).catch((e) => e);
    await expect(l0.make('triples', 60, 10)).rejects.toMatchObject({
      code: 'ERR_TOO_LARGE',
      message: 'lane 1 refuses',
    });
    expect(closed.filter((c) => c.startsWith('0:')).sort()).toEqual(['0:ln/lane0', '0:ln/lane1', '0:ln/lane2']);
    await expect(l0.make('andTriples', 4, 4)).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
    // As the session does on failure: abort the pool; the peer learns of it and stops too.
    p0.abort({ code: 'ERR_TOO_LARGE', message: 'lane 1 refuses' });
    expect(await peer).toMatchObject({ code: 'ERR_PEER_ABORTED' });
  });

  it('fails opening when a lane fails to open, closing the lanes that did open', async () => {
    const closed: string[] = [];
    const opener: LaneOpener = async (channel, party, tag, extension, ring) => {
      if (tag.endsWith('lane1')) throw new ParleyError('ERR_UNSUPPORTED', 'no worker for lane 1');
      const lane = await openThreadLane(channel, party, tag, extension, ring);
      return { make: lane.make, close: () => void closed.push(`${party}:${tag}`) };
    };
    const [p0, p1] = duo();
    const both = await Promise.allSettled([
      Lanes.open(p0, 0, 'ln', { wish: 2, openLane: opener }),
      Lanes.open(p1, 1, 'ln', { wish: 2, openLane: opener }),
    ]);
    for (const r of both) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'ERR_UNSUPPORTED' } });
    expect(closed.sort()).toEqual(['0:ln/lane0', '1:ln/lane0']);
  });
});

describe('the OT extension the lanes run', () => {
  it('runs IKNP when both parties ask for it (about 2,568 bytes per triple) and silent OT by default', async () => {
    const bytesPerTriple = async (extension?: 'iknp' | 'silent') => {
      const [p0, p1] = duo();
      const opts = (p: number) => ({ wish: 1, ...(extension ? { extension } : {}), ...(p === 0 ? {} : {}) });
      const [l0, l1] = await Promise.all([0, 1].map((p) => Lanes.open([p0, p1][p]!, p as 0 | 1, 'x', opts(p))));
      await Promise.all([l0!.make('triples', 8192, 8192), l1!.make('triples', 8192, 8192)]); // past IKNP_LIMIT
      const before = p0.stats.bytesSent + p1.stats.bytesSent;
      const [t0, t1] = await Promise.all([l0!.make('triples', 8192, 8192), l1!.make('triples', 8192, 8192)]);
      expect(BigInt.asUintN(64, t0![2]![5]! + t1![2]![5]!)).toBe(
        BigInt.asUintN(64, (t0![0]![5]! + t1![0]![5]!) * (t0![1]![5]! + t1![1]![5]!)),
      );
      return (p0.stats.bytesSent + p1.stats.bytesSent - before) / 8192;
    };
    const iknp = await bytesPerTriple('iknp');
    expect(iknp).toBeGreaterThanOrEqual(2568);
    expect(iknp).toBeLessThan(2600);
    expect(await bytesPerTriple()).toBeLessThan(600);
  }, 60_000);

  it('refuses parties that chose different extensions, at both, before any base OT', async () => {
    const [p0, p1] = duo();
    const both = await Promise.allSettled([
      Lanes.open(p0, 0, 'x', { extension: 'iknp' }),
      Lanes.open(p1, 1, 'x', { extension: 'silent' }),
    ]);
    for (const r of both) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'ERR_BAD_REQUEST' } });
    expect(p0.stats.bytesSent).toBeLessThan(200);
  });
});

describe('the ring the lanes make correlations in', () => {
  const wide = (v: BigUint64Array, i: number) => v[2 * i]! + (v[2 * i + 1]! << 64n);
  const MOD = 1n << 128n;

  it('makes Z_2^128 triples and bit products (two words per element) across lanes and chunks; AND words unchanged', async () => {
    const [p0, p1] = duo();
    const [l0, l1] = (await Promise.all(
      [0, 1].map((p) => Lanes.open([p0, p1][p]!, p as 0 | 1, 'w', { wish: 2, ring: 128 })),
    )) as [Lanes, Lanes];
    const [t0, t1] = await Promise.all([l0.make('triples', 21, 4), l1.make('triples', 21, 4)]);
    expect(t0!.map((v) => v.length)).toEqual([42, 42, 42]);
    for (let i = 0; i < 21; i++) {
      const [a, b, c] = [0, 1, 2].map((k) => (wide(t0![k]!, i) + wide(t1![k]!, i)) % MOD);
      expect(c).toBe((a! * b!) % MOD);
    }
    const [b0, b1] = await Promise.all([l0.make('bitProducts', 9, 4), l1.make('bitProducts', 9, 4)]);
    expect(b0!.map((v) => v.length)).toEqual([9, 18]);
    for (let i = 0; i < 9; i++) expect((wide(b0![1]!, i) + wide(b1![1]!, i)) % MOD).toBe(b0![0]![i]! * b1![0]![i]!);
    const [a0, a1] = await Promise.all([l0.make('andTriples', 5, 4), l1.make('andTriples', 5, 4)]);
    expect(a0!.map((v) => v.length)).toEqual([5, 5, 5]);
    for (let i = 0; i < 5; i++)
      expect(a0![2]![i]! ^ a1![2]![i]!).toBe((a0![0]![i]! ^ a1![0]![i]!) & (a0![1]![i]! ^ a1![1]![i]!));
  }, 60_000);

  it.each([96, '128'])('refuses ring %s with ERR_BAD_REQUEST, sending nothing', async (ring) => {
    const [p0] = duo();
    await expect(Lanes.open(p0, 0, 'bad', { ring: ring as 64 })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(p0.stats.messagesSent).toBe(0);
  });

  it('refuses parties that chose different rings, at both, before any base OT', async () => {
    const [p0, p1] = duo();
    const both = await Promise.allSettled([
      Lanes.open(p0, 0, 'r', { ring: 64 }),
      Lanes.open(p1, 1, 'r', { ring: 128 }),
    ]);
    for (const r of both)
      expect(r).toMatchObject({
        status: 'rejected',
        reason: { code: 'ERR_BAD_REQUEST', message: expect.stringMatching(/rings/) },
      });
    expect(p0.stats.bytesSent).toBeLessThan(200);
  });
});
