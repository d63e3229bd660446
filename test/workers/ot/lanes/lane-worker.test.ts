// Lanes behind comlink (workers/ot/lanes/lane-worker.ts and lane-service.ts) without real
// workers: each lane's service is exposed on a MessageChannel in this thread, so the whole path
// runs — the port lending the Pool, arrays moved both ways, coded errors across comlink, and
// terminating the "worker" on close or failure, and the ring reaching each lane's generator
// (Z_2^128 material through the workers). Real workers run in the bench and e2e tests.

import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { RING128 } from '../../../../shared/rings.js';
import { laneService } from '../../../../workers/ot/lanes/lane-service.js';
import { type LaneEndpoint, workerLanes } from '../../../../workers/ot/lanes/lane-worker.js';
import { Lanes } from '../../../../workers/ot/lanes/lanes.js';
import type { Pool } from '../../../../workers/pool/pool.js';
import { DealerFreeMaker } from '../../../../workers/securenumpy/dealer-free.js';
import { wrong } from '../../../helpers/lanes.js';
import { type PoolGroup, poolDuo } from '../../../helpers/pools.js';

let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});
const duo = () => (g = poolDuo()).pools as [Pool, Pool];

/** "Workers" on MessageChannels in this thread; counts how many were started and terminated. */
function channelWorkers() {
  const counts = { started: 0, terminated: 0 };
  const spawn = (): LaneEndpoint => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(laneService(), port2);
    counts.started++;
    return Object.assign(port1, {
      terminate() {
        counts.terminated++;
        port1.close();
        port2.close();
      },
    });
  };
  return { counts, openLane: workerLanes(spawn) };
}

describe('lanes behind comlink', () => {
  it('make valid triples, bit products and AND triples with 2 lanes, and close their workers', async () => {
    const [p0, p1] = duo();
    const w = channelWorkers();
    const lanes = await Promise.all([
      Lanes.open(p0, 0, 'cw', { wish: 2, openLane: w.openLane }),
      Lanes.open(p1, 1, 'cw', { wish: 2, openLane: w.openLane }),
    ]);
    expect(w.counts.started).toBe(4);
    for (const [kind, n] of [
      ['triples', 50],
      ['bitProducts', 41],
      ['andTriples', 9],
    ] as const) {
      const [x, y] = await Promise.all([lanes[0].make(kind, n, 16), lanes[1].make(kind, n, 16)]);
      expect(x[0]!.length).toBe(n);
      expect(wrong(kind, x, y)).toEqual([]);
    }
    for (const l of lanes) l.close();
    expect(w.counts.terminated).toBe(4);
  });

  it("carries a lane's coded error out of its worker: a malformed peer message is ERR_PROTOCOL", async () => {
    const [p0, p1] = duo();
    const w = channelWorkers();
    // Party 1 is faked: it agrees on one lane, then sends a malformed base-OT point to lane 0.
    const opening = Lanes.open(p0, 0, 'bad', { wish: 1, openLane: w.openLane });
    await p1.send(0, 1, 'bad/lanes');
    await p1.send(0, 'silent', 'bad/extension');
    await p1.send(0, 64, 'bad/ring');
    await p1.send(0, new Uint8Array(31), 'bad/lane0/ot0/base/A');
    await expect(opening).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    expect(w.counts).toEqual({ started: 1, terminated: 1 });
  });

  it('a lane whose worker dies fails with ERR_INTERNAL', async () => {
    const [p0, p1] = duo();
    let terminated = 0;
    // An endpoint that never answers and reports an error, as a worker whose script fails does.
    const dying = workerLanes(() => ({
      postMessage() {},
      addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
        if (type === 'error' && typeof listener === 'function') queueMicrotask(() => listener(new Event('error')));
      },
      removeEventListener() {},
      terminate: () => void terminated++,
    }));
    const opening = Promise.all([
      Lanes.open(p0, 0, 'dead', { wish: 1, openLane: dying }),
      Lanes.open(p1, 1, 'dead', { wish: 1 }),
    ]);
    await expect(opening).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
    expect(terminated).toBe(1);
  });
});

describe('DealerFreeMaker on lanes', () => {
  it('makes valid triples over 2 lane workers, reports progress per chunk, and terminates them on close', async () => {
    const [p0, p1] = duo();
    const w = channelWorkers();
    const progress: [number, number][] = [];
    const makers = [
      new DealerFreeMaker(p0, 0, { lanes: 2, openLane: w.openLane, onProgress: (d, t) => progress.push([d, t]) }),
      new DealerFreeMaker(p1, 1, { lanes: 3, openLane: w.openLane }),
    ] as const;
    const [x, y] = await Promise.all([makers[0].triples(40_000), makers[1].triples(40_000)]);
    expect(wrong('triples', [x.a, x.b, x.c], [y.a, y.b, y.c])).toEqual([]);
    expect(w.counts.started).toBe(4); // the smaller wish, at both parties
    // 20,000 per lane in chunks of 16,384: two chunks each, in whatever order they finish
    const done = progress.map(([d]) => d);
    const steps = done.map((d, i) => d - (done[i - 1] ?? 0)).sort((a, b) => a - b);
    expect(steps).toEqual([3_616, 3_616, 16_384, 16_384]);
    expect(done.at(-1)).toBe(40_000);
    expect(progress.every(([, t]) => t === 40_000)).toBe(true);
    for (const m of makers) m.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(w.counts.terminated).toBe(4);
  });

  it('makes Z_2^128 triples, bit products and matrix triples over lane workers (the ring crosses comlink)', async () => {
    const [p0, p1] = duo();
    const w = channelWorkers();
    const makers = [0, 1].map(
      (p) => new DealerFreeMaker([p0, p1][p]!, p as 0 | 1, { lanes: 2, openLane: w.openLane, ring: RING128 }),
    );
    const [x, y] = await Promise.all(makers.map((m) => m.triples(300)));
    expect(x!.a.length).toBe(600);
    expect(wrong('triples', [x!.a, x!.b, x!.c], [y!.a, y!.b, y!.c], 128)).toEqual([]);
    const [b0, b1] = await Promise.all(makers.map((m) => m.bitProducts(100)));
    expect(wrong('bitProducts', [b0!.mine, b0!.z], [b1!.mine, b1!.z], 128)).toEqual([]);
    const [m0, m1] = await Promise.all(makers.map((m) => m.matrixTriple(2, 3, 4)));
    const el = (v: BigUint64Array, i: number) => v[2 * i]! + (v[2 * i + 1]! << 64n);
    const sum = (k: 'A' | 'B' | 'C', i: number) => (el(m0![k], i) + el(m1![k], i)) % (1n << 128n);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++) {
        let c = 0n;
        for (let l = 0; l < 3; l++) c += sum('A', i * 3 + l) * sum('B', l * 4 + j);
        expect(sum('C', i * 4 + j)).toBe(c % (1n << 128n));
      }
    for (const m of makers) m.close();
  }, 60_000);
});
