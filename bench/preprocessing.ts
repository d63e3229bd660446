// `npm run bench:preprocessing`: dealer-free preprocessing between two parties in one process over
// the in-memory network, as JSON, for silent OT (Ferret, the default) and the IKNP baseline in the
// same run: triples, bit products and AND-triple words per second, and bytes on the wire per item.
// Both parties share one thread, so these are CPU figures for both parties' work together; the
// between-tabs figures are in bench:engine. The first call of a session includes the base OTs
// and, for silent OT, the bootstrap iteration; steady state is measured on a second call.

import { poolDuo } from '../test/helpers/pools.js';
import { type OtExtension, OtGenerator } from '../workers/ot/ot-triples.js';
import type { Pool } from '../workers/pool/pool.js';

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

const results = [];
for (const kind of ['triples', 'bitProducts', 'andTriples'] as const) {
  for (const extension of ['silent', 'iknp'] as const) results.push(await measure(extension, kind));
}
console.log(JSON.stringify({ bench: 'preprocessing', node: process.version, results }, null, 2));
