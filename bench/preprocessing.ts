// `npx tsx bench/preprocessing.ts`: dealer-free triple generation (workers/preprocessing) between
// two parties in one process over the in-memory network, as JSON: throughput, bytes per triple
// and the time split. Both parties share one thread; the split runs each phase on its own:
// base OTs (session setup), IKNP extension alone, Gilboa arithmetic alone; "other" is the rest
// of the full run (d messages, a·b, bookkeeping).

import { randomRing } from '../shared/random.js';
import { poolDuo } from '../test/helpers/pools.js';
import { BATCH_PRODUCTS, BITS, gilboaReceiverStep, gilboaSenderStep } from '../workers/ot/gilboa.js';
import { IknpReceiver, IknpSender } from '../workers/ot/iknp.js';
import { OtGenerator } from '../workers/ot/ot-triples.js';
import type { Pool } from '../workers/pool/pool.js';

const round = (x: number) => Math.round(x * 10) / 10;

async function elapsed(f: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

function batches(n: number): number[] {
  return Array.from({ length: Math.ceil(n / BATCH_PRODUCTS) }, (_, i) =>
    Math.min(BATCH_PRODUCTS, n - i * BATCH_PRODUCTS),
  );
}

/** The full protocol: setup, then n triples; wall times and bytes. */
async function full(n: number) {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  try {
    let sessions: OtGenerator[] = [];
    const baseOtMs = await elapsed(async () => {
      sessions = await Promise.all([OtGenerator.open(p0, 0, 'bench'), OtGenerator.open(p1, 1, 'bench')]);
    });
    const setupBytes = p0.stats.bytesSent + p1.stats.bytesSent;
    const triplesMs = await elapsed(() => Promise.all([sessions[0]!.triples(n), sessions[1]!.triples(n)]));
    const bytes = p0.stats.bytesSent + p1.stats.bytesSent;
    return { baseOtMs, triplesMs, bytes, setupBytes, messages: p0.stats.messagesSent + p1.stats.messagesSent };
  } finally {
    g.close();
  }
}

/** IKNP alone: the same OT counts in both directions, without Gilboa. */
async function extensionOnly(n: number): Promise<number> {
  const g = poolDuo();
  const [p0, p1] = g.pools as [Pool, Pool];
  try {
    const [s0, r1, s1, r0] = await Promise.all([
      IknpSender.setup(p0, 1, 'x/ot0', 0),
      IknpReceiver.setup(p1, 0, 'x/ot0', 0),
      IknpSender.setup(p1, 0, 'x/ot1', 1),
      IknpReceiver.setup(p0, 1, 'x/ot1', 1),
    ]);
    return await elapsed(async () => {
      for (const k of batches(n)) {
        const choices = new Uint8Array(k * 8);
        await Promise.all([
          s0.extend(k * BITS),
          r1.extend(choices, k * BITS),
          s1.extend(k * BITS),
          r0.extend(choices, k * BITS),
        ]);
      }
    });
  } finally {
    g.close();
  }
}

/** Gilboa's arithmetic alone, both directions, on random OT values. */
async function gilboaOnly(n: number): Promise<number> {
  let ms = 0;
  for (const k of batches(n)) {
    const [x, y, m0, m1] = [randomRing(k), randomRing(k), randomRing(k * BITS), randomRing(k * BITS)];
    ms += await elapsed(() => {
      for (let dir = 0; dir < 2; dir++) gilboaReceiverStep(y, m0, gilboaSenderStep(x, m0, m1).d);
    });
  }
  return ms;
}

async function run(n: number) {
  const f = await full(n);
  const extensionMs = await extensionOnly(n);
  const gilboaMs = await gilboaOnly(n);
  const totalMs = f.baseOtMs + f.triplesMs;
  return {
    triples: n,
    triplesPerSecond: Math.round(n / (totalMs / 1000)),
    triplesPerSecondAfterSetup: Math.round(n / (f.triplesMs / 1000)),
    bytesPerTriple: round(f.bytes / n),
    bytesPerTripleAfterSetup: round((f.bytes - f.setupBytes) / n),
    setupBytes: f.setupBytes,
    messages: f.messages,
    wallMs: { total: round(totalMs), baseOt: round(f.baseOtMs), triples: round(f.triplesMs) },
    splitMs: {
      baseOt: round(f.baseOtMs),
      extension: round(extensionMs),
      gilboa: round(gilboaMs),
      other: round(f.triplesMs - extensionMs - gilboaMs),
    },
  };
}

const results = [];
for (const n of [10_000, 100_000]) results.push(await run(n));
console.log(
  JSON.stringify(
    { bench: 'preprocessing/ot-triples', node: process.version, batchTriples: BATCH_PRODUCTS, results },
    null,
    2,
  ),
);
