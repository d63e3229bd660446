// `npm run bench:preprocessing`: dealer-free preprocessing between two parties in one process over
// the in-memory network, as JSON, for silent OT (Ferret, the default) and the IKNP baseline in the
// same run: triples, bit products and AND-triple words per second, and bytes on the wire per item.
// Both parties share one thread, so these are CPU figures for both parties' work together; the
// between-tabs figures are in bench:engine. The first call of a session includes the base OTs
// and, for silent OT, the bootstrap iteration; steady state is measured on a second call.
// "memory": 1M triples through the engine's dealer-free maker (chunks of 16,384, the result
// kept), peak resident memory above the start sampled every 20 ms, for both parties together.

import { poolDuo } from '../test/helpers/pools.js';
import { type OtExtension, OtGenerator } from '../workers/ot/ot-triples.js';
import type { Pool } from '../workers/pool/pool.js';
import { DealerFreeMaker } from '../workers/securenumpy/dealer-free.js';

const round = (x: number) => Math.round(x * 10) / 10;

type Kind = 'triples' | 'bitProducts' | 'andTriples';
const SIZES: Record<Kind, number> = { triples: 100_000, bitProducts: 1_000_000, andTriples: 50_000 };

async function measure(extension: OtExtension, kind: Kind) {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  const bytes = () => p0.stats.bytesSent + p1.stats.bytesSent;
  try {
    let t = performance.now();
    const gens = await Promise.all([
      OtGenerator.open(p0, 0, 'b', { extension }),
      OtGenerator.open(p1, 1, 'b', { extension }),
    ]);
    const setupMs = performance.now() - t;
    const n = SIZES[kind];
    const run = () => Promise.all(gens.map((s) => s[kind](n)));
    t = performance.now();
    await run(); // first call: bootstrap iteration for silent OT
    const firstMs = performance.now() - t;
    const before = bytes();
    t = performance.now();
    await run();
    const steadyMs = performance.now() - t;
    return {
      extension,
      kind,
      n,
      setupMs: round(setupMs),
      firstCallMs: round(firstMs),
      steadyMs: round(steadyMs),
      perSecond: Math.round(n / (steadyMs / 1000)),
      bytesPerItem: round((bytes() - before) / n),
    };
  } finally {
    g.close();
  }
}

/** Peak RSS growth while both parties make 1M triples with the engine's maker (both in this process). */
async function memory(n = 1_000_000) {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const makers = [new DealerFreeMaker(p0, 0), new DealerFreeMaker(p1, 1)];
    const t = performance.now();
    const made = await Promise.all(makers.map((m) => m.triples(n)));
    const seconds = (performance.now() - t) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    for (const m of makers) m.close();
    return {
      triples: n,
      seconds: round(seconds),
      peakRssGrowthMB: round((peak - start) / 2 ** 20),
      resultMB: round((2 * 3 * 8 * made[0]!.a.length) / 2 ** 20),
      note: 'both parties in one process: a tab holds one party, so about half of peakRssGrowthMB',
    };
  } finally {
    clearInterval(timer);
    g.close();
  }
}

const results = [];
for (const kind of ['triples', 'bitProducts', 'andTriples'] as const) {
  for (const extension of ['silent', 'iknp'] as const) results.push(await measure(extension, kind));
}
console.log(
  JSON.stringify({ bench: 'preprocessing', node: process.version, results, memory: await memory() }, null, 2),
);
