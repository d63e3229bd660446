// `npm run bench`: figures for the spine, printed as JSON, with the plaintext baseline measured
// in the same run. Two parties run in one process over the in-memory network (Pool).

import { encodeVector, ringMul } from '../shared/fixed.js';
import { MAX_VECTOR_LENGTH, type TripleGrant } from '../shared/protocol.js';
import { randomBytes, randomRing, toBase64Url } from '../shared/random.js';
import { dealerCorrection, encodeCorrection } from '../shared/triples.js';
import { MemoryNetwork } from '../workers/pool/memory-network.js';
import { Pool } from '../workers/pool/pool.js';
import { runSumProduct } from '../workers/sum-product.js';

function pair(): [Pool, Pool] {
  const net = new MemoryNetwork(2);
  const parties = ['a', 'b'];
  return [new Pool({ parties, me: 0, links: net.linksOf(0) }), new Pool({ parties, me: 1, links: net.linksOf(1) })];
}

async function median(runs: number, f: () => Promise<void> | void): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await f();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function grants(n: number): Promise<[TripleGrant, TripleGrant]> {
  const s0 = randomBytes(32);
  const s1 = randomBytes(32);
  const correction = encodeCorrection(await dealerCorrection(s0, s1, n));
  return [{ seed: toBase64Url(s0), count: n }, { seed: toBase64Url(s1), count: n, correction }];
}

async function sumProduct(n: number, triples: 'dealer-free' | 'service-dealer') {
  const x = Array.from({ length: n }, () => Math.random() * 2000 - 1000);
  const y = Array.from({ length: n }, () => Math.random() * 2000 - 1000);
  const tally = { bytes: 0, messages: 0 };
  let dealerMs = 0;
  const ms = await median(triples === 'dealer-free' ? 1 : 5, async () => {
    const [p0, p1] = pair();
    const t = performance.now();
    const g = triples === 'service-dealer' ? await grants(n) : null; // dealer-free needs no dealer
    dealerMs = performance.now() - t;
    await Promise.all([
      runSumProduct(p0, { party: 0, receiver: 0, input: x, triples, getTriples: async () => g![0] }),
      runSumProduct(p1, { party: 1, receiver: 0, input: y, triples, getTriples: async () => g![1] }),
    ]);
    tally.bytes = p0.stats.bytesSent + p1.stats.bytesSent;
    tally.messages = p0.stats.messagesSent + p1.stats.messagesSent;
    p0.close();
    p1.close();
  });
  const baselineMs = await median(5, () => {
    const s = new Float64Array(n);
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = x[i]! + y[i]!;
      p[i] = x[i]! * y[i]!;
    }
  });
  return {
    n,
    triples,
    secureMs: +ms.toFixed(2),
    secureUsPerElement: +((ms * 1000) / n).toFixed(3),
    dealerMs: triples === 'service-dealer' ? +dealerMs.toFixed(2) : 0,
    bytesBothParties: tally.bytes,
    bytesPerElement: +(tally.bytes / n).toFixed(1),
    messages: tally.messages,
    plaintextBaselineMs: +baselineMs.toFixed(3),
  };
}

const n = 1_000_000;
const a = randomRing(n);
const b = randomRing(n);
const ringMulMs = await median(3, () => void ringMul(a, b));
const encodeMs = await median(3, () => void encodeVector(Array.from({ length: 100_000 }, (_, i) => i / 7)));

const report = {
  machine: { node: process.version, cores: (await import('node:os')).cpus().length },
  ringMulNsPerElement: +((ringMulMs * 1e6) / n).toFixed(2),
  fixedEncodeNsPerElement: +((encodeMs * 1e6) / 100_000).toFixed(2),
  sumProductInMemory: [
    await sumProduct(1000, 'service-dealer'),
    await sumProduct(MAX_VECTOR_LENGTH, 'service-dealer'),
    await sumProduct(1000, 'dealer-free'),
    await sumProduct(MAX_VECTOR_LENGTH, 'dealer-free'),
  ],
};
console.log(JSON.stringify(report, null, 2));
