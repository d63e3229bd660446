// `npm run bench`: figures for the spine, printed as JSON, with the plaintext baseline measured
// in the same run. Two parties run in one process over the in-memory transport.

import { encodeVector, ringMul } from '../shared/fixed.js';
import { MAX_VECTOR_LENGTH, type TripleGrant } from '../shared/protocol.js';
import { randomBytes, randomRing, toBase64Url } from '../shared/random.js';
import { dealerCorrection, encodeCorrection } from '../shared/triples.js';
import type { Channel } from '../workers/channel.js';
import { memoryChannelPair } from '../workers/memory-channel.js';
import { Messenger } from '../workers/messenger.js';
import { runSumProduct } from '../workers/sum-product.js';

function counted(ch: Channel, tally: { bytes: number; frames: number }): Channel {
  const send = ch.send.bind(ch);
  ch.send = (b) => {
    tally.bytes += b.length;
    tally.frames += 1;
    send(b);
  };
  return ch;
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

async function sumProduct(n: number) {
  const x = Array.from({ length: n }, () => Math.random() * 2000 - 1000);
  const y = Array.from({ length: n }, () => Math.random() * 2000 - 1000);
  const tally = { bytes: 0, frames: 0 };
  let dealerMs = 0;
  const ms = await median(5, async () => {
    tally.bytes = 0;
    tally.frames = 0;
    const [c0, c1] = memoryChannelPair();
    const t = performance.now();
    const g = await grants(n);
    dealerMs = performance.now() - t;
    await Promise.all([
      runSumProduct(new Messenger(counted(c0, tally)), { party: 0, receiver: 0, input: x, getTriples: async () => g[0] }),
      runSumProduct(new Messenger(counted(c1, tally)), { party: 1, receiver: 0, input: y, getTriples: async () => g[1] }),
    ]);
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
    secureMs: +ms.toFixed(2),
    secureUsPerElement: +((ms * 1000) / n).toFixed(3),
    dealerMs: +dealerMs.toFixed(2),
    bytesBothParties: tally.bytes,
    bytesPerElement: +(tally.bytes / n).toFixed(1),
    frames: tally.frames,
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
  sumProductInMemory: [await sumProduct(1000), await sumProduct(MAX_VECTOR_LENGTH)],
};
console.log(JSON.stringify(report, null, 2));
