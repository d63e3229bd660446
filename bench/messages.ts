// `npm run bench:messages`: the message layer between two real Chromium tabs (run inside the
// loopback-only namespace). In one run: the raw data channel's throughput with 64 KiB messages
// and back-pressure, and its round trip; then the Pool, measured inside the tabs' workers, for
// one 64 MiB Float64Array, 10,000 small messages, and a small message's round trip. Both paths
// are warmed with 16 MiB first (a cold channel starts slowly). Prints JSON. The tabs are bench
// pages (bench/pool-page.ts): the app's connections with the bench worker, whose Pool is built as
// the product's job workers build theirs.

import type { Page } from 'playwright-core';
import { startWorld } from './harness.js';
import { POOL_PAGE, poolTabs } from './pool-tabs.js';

const MiB = 1024 * 1024;
const BULK = 64 * MiB;
const SMALL = 10_000;
const ROUNDS = 300;

const world = await startWorld({ page: POOL_PAGE });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!;

/** A raw RTCDataChannel between the pages, signaled by this script, for the baseline. */
async function rawChannel(a: Page, b: Page): Promise<void> {
  const setup = () => {
    const g = globalThis as any;
    g.rawPc = new RTCPeerConnection({ iceServers: [] });
    g.rawGathered = new Promise<void>((r) =>
      g.rawPc.addEventListener('icegatheringstatechange', () => g.rawPc.iceGatheringState === 'complete' && r()),
    );
  };
  await a.evaluate(setup);
  await b.evaluate(setup);
  const offer = await a.evaluate(async () => {
    const g = globalThis as any;
    g.rawDc = g.rawPc.createDataChannel('raw');
    g.rawDc.binaryType = 'arraybuffer';
    g.rawOpen = new Promise((r) => (g.rawDc.onopen = r));
    await g.rawPc.setLocalDescription(await g.rawPc.createOffer());
    await g.rawGathered;
    return g.rawPc.localDescription.toJSON();
  });
  const answer = await b.evaluate(async (o) => {
    const g = globalThis as any;
    g.rawOpen = new Promise((r) =>
      g.rawPc.addEventListener('datachannel', (e: RTCDataChannelEvent) => {
        g.rawDc = e.channel;
        g.rawDc.binaryType = 'arraybuffer';
        g.rawDc.onopen = r;
        if (g.rawDc.readyState === 'open') r(null);
      }),
    );
    await g.rawPc.setRemoteDescription(o);
    await g.rawPc.setLocalDescription(await g.rawPc.createAnswer());
    await g.rawGathered;
    return g.rawPc.localDescription.toJSON();
  }, offer);
  await a.evaluate((ans) => (globalThis as any).rawPc.setRemoteDescription(ans), answer);
  await a.evaluate(() => (globalThis as any).rawOpen);
  await b.evaluate(() => (globalThis as any).rawOpen);
}

async function rawThroughput(a: Page, b: Page, total = BULK): Promise<number> {
  const done = b.evaluate(
    (total) =>
      new Promise<number>((resolve) => {
        const dc = (globalThis as any).rawDc as RTCDataChannel;
        let got = 0;
        dc.onmessage = (e) => {
          got += (e.data as ArrayBuffer).byteLength;
          if (got >= total) resolve(performance.timeOrigin + performance.now());
        };
      }),
    total,
  );
  const start = await a.evaluate(async (total) => {
    const dc = (globalThis as any).rawDc as RTCDataChannel;
    const chunk = new Uint8Array(64 * 1024);
    dc.bufferedAmountLowThreshold = 4 * 1024 * 1024;
    const t = performance.timeOrigin + performance.now();
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (dc.bufferedAmount > 8 * 1024 * 1024) await new Promise((r) => (dc.onbufferedamountlow = r));
      dc.send(chunk);
    }
    return t;
  }, total);
  return total / MiB / (((await done) - start) / 1000);
}

async function rawRtt(a: Page, b: Page): Promise<number[]> {
  await b.evaluate(() => {
    const dc = (globalThis as any).rawDc as RTCDataChannel;
    dc.onmessage = (e) => dc.send(e.data);
  });
  return a.evaluate(async (rounds) => {
    const dc = (globalThis as any).rawDc as RTCDataChannel;
    const times: number[] = [];
    const msg = new Uint8Array(16);
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      await new Promise((r) => {
        dc.onmessage = r;
        dc.send(msg);
      });
      times.push(performance.now() - t);
    }
    return times;
  }, ROUNDS);
}

/**
 * The other transport the issue asks to measure: a negotiated data channel transferred into a
 * Worker right after creation, so frames skip the page. Returns its throughput and round trips.
 */
async function workerChannel(a: Page, b: Page): Promise<{ throughputMBps: number; rtt: number[] }> {
  const setup = () => {
    const g = globalThis as any;
    const src = `
      let dc;
      onmessage = async (e) => {
        const m = e.data;
        if (m.dc) { dc = m.dc; dc.binaryType = 'arraybuffer'; dc.onopen = () => postMessage({ open: true }); if (dc.readyState === 'open') postMessage({ open: true }); return; }
        if (m.echo) { dc.onmessage = (ev) => dc.send(ev.data); return; }
        if (m.ping) {
          const times = []; const msg = new Uint8Array(16);
          for (let i = 0; i < m.ping; i++) { const t = performance.now(); await new Promise((r) => { dc.onmessage = r; dc.send(msg); }); times.push(performance.now() - t); }
          postMessage({ times }); return;
        }
        if (m.count) { let got = 0; dc.onmessage = (ev) => { got += ev.data.byteLength; if (got >= m.count) postMessage({ doneAt: performance.timeOrigin + performance.now() }); }; return; }
        if (m.send) {
          const chunk = new Uint8Array(64 * 1024); dc.bufferedAmountLowThreshold = 4 * 1024 * 1024;
          const t = performance.timeOrigin + performance.now();
          for (let sent = 0; sent < m.send; sent += chunk.length) { if (dc.bufferedAmount > 8 * 1024 * 1024) await new Promise((r) => (dc.onbufferedamountlow = r)); dc.send(chunk); }
          postMessage({ startedAt: t });
        }
      };`;
    g.wk = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
    g.wkNext = () => new Promise((r) => (g.wk.onmessage = (e: MessageEvent) => r(e.data)));
    g.wkPc = new RTCPeerConnection({ iceServers: [] });
    const dc = g.wkPc.createDataChannel('pool', { negotiated: true, id: 0 });
    g.wkOpen = g.wkNext();
    g.wk.postMessage({ dc }, [dc]);
    g.wkGathered = new Promise<void>((r) =>
      g.wkPc.addEventListener('icegatheringstatechange', () => g.wkPc.iceGatheringState === 'complete' && r()),
    );
  };
  await a.evaluate(setup);
  await b.evaluate(setup);
  const offer = await a.evaluate(async () => {
    const g = globalThis as any;
    await g.wkPc.setLocalDescription(await g.wkPc.createOffer());
    await g.wkGathered;
    return g.wkPc.localDescription.toJSON();
  });
  const answer = await b.evaluate(async (o) => {
    const g = globalThis as any;
    await g.wkPc.setRemoteDescription(o);
    await g.wkPc.setLocalDescription(await g.wkPc.createAnswer());
    await g.wkGathered;
    return g.wkPc.localDescription.toJSON();
  }, offer);
  await a.evaluate((ans) => (globalThis as any).wkPc.setRemoteDescription(ans), answer);
  await a.evaluate(() => (globalThis as any).wkOpen);
  await b.evaluate(() => (globalThis as any).wkOpen);
  const run = async (total: number) => {
    const done = b.evaluate((n) => {
      const g = globalThis as any;
      const p = g.wkNext();
      g.wk.postMessage({ count: n });
      return p.then((d: { doneAt: number }) => d.doneAt);
    }, total);
    const started = await a.evaluate((n) => {
      const g = globalThis as any;
      const p = g.wkNext();
      g.wk.postMessage({ send: n });
      return p.then((d: { startedAt: number }) => d.startedAt);
    }, total);
    return total / MiB / (((await done) - started) / 1000);
  };
  await run(16 * MiB);
  const throughputMBps = await run(BULK);
  await b.evaluate(() => (globalThis as any).wk.postMessage({ echo: true }));
  const rtt = await a.evaluate((n) => {
    const g = globalThis as any;
    const p = g.wkNext();
    g.wk.postMessage({ ping: n });
    return p.then((d: { times: number[] }) => d.times);
  }, ROUNDS);
  return { throughputMBps, rtt };
}

try {
  const [a, b] = (await poolTabs(world, ['alice', 'bob'])).pages as [Page, Page];

  await rawChannel(a, b);
  await rawThroughput(a, b, 16 * MiB); // warm-up, as for the Pool below
  const raw = { throughputMBps: await rawThroughput(a, b), rtt: await rawRtt(a, b) };
  const inWorker = await workerChannel(a, b);

  const poolRtt = (
    await Promise.all([
      a.evaluate((n) => (globalThis as any).pool.measure.pingPong(1, n, true), ROUNDS),
      b.evaluate((n) => (globalThis as any).pool.measure.pingPong(0, n, false), ROUNDS),
    ])
  )[0] as number[];

  {
    // Warm up (JIT, allocation, congestion window) as for the raw channel; then time.
    const warm = b.evaluate(() => (globalThis as any).pool.measure.recvBulk(0));
    await a.evaluate((n) => (globalThis as any).pool.measure.sendBulk(1, n), 16 * MiB);
    await warm;
  }
  const bulkDone = b.evaluate(() => (globalThis as any).pool.measure.recvBulk(0));
  const trace: number[] = [];
  let tracing = process.env.TRACE === '1';
  const tracer = (async () => {
    while (tracing) {
      trace.push((await b.evaluate(() => (globalThis as any).pool.stats())).bytesReceived >> 20);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const bulkStart: number = await a.evaluate((n) => (globalThis as any).pool.measure.sendBulk(1, n), BULK);
  tracing = false;
  await tracer;
  if (trace.length) console.error('MiB received every 250 ms:', trace.join(' '));
  const bulkSeconds = ((await bulkDone) - bulkStart) / 1000;

  const smallDone = b.evaluate((n) => (globalThis as any).pool.measure.recvSmall(0, n), SMALL);
  const smallStart = await a.evaluate(() => performance.timeOrigin + performance.now());
  await a.evaluate((n) => (globalThis as any).pool.measure.sendSmall(1, n), SMALL);
  const smallSeconds = ((await smallDone) - smallStart) / 1000;

  const poolMBps = BULK / MiB / bulkSeconds;
  const report = {
    rawChannel: {
      throughputMBps: +raw.throughputMBps.toFixed(1),
      rttMedianMs: +median(raw.rtt).toFixed(3),
      rttP99Ms: +p99(raw.rtt).toFixed(3),
    },
    rawChannelTransferredToWorker: {
      throughputMBps: +inWorker.throughputMBps.toFixed(1),
      rttMedianMs: +median(inWorker.rtt).toFixed(3),
      rttP99Ms: +p99(inWorker.rtt).toFixed(3),
    },
    pool: {
      bulk64MiB: {
        seconds: +bulkSeconds.toFixed(2),
        throughputMBps: +poolMBps.toFixed(1),
        percentOfRaw: +((100 * poolMBps) / raw.throughputMBps).toFixed(1),
      },
      small10k: { seconds: +smallSeconds.toFixed(3), messagesPerSecond: Math.round(SMALL / smallSeconds) },
      rttMedianMs: +median(poolRtt).toFixed(3),
      rttP99Ms: +p99(poolRtt).toFixed(3),
      rttOverRawMs: +(median(poolRtt) - median(raw.rtt)).toFixed(3),
    },
    targets: { bulkPercentOfRaw: 90, rttOverRawMs: 0.5 },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await world.close();
}
