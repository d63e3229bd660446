// `npm run bench`: figures for the sum-and-product preset (the shipped program text, run by the
// program runner as the app runs it), printed as JSON, with the plaintext baseline measured in the
// same run. The parties (and, in dealer mode, the participant dealer) run in one process over the
// in-memory network (Pool).

import { MAX_VECTOR_LENGTH } from '../shared/limits.js';
import { randomRing } from '../shared/random.js';
import { mul } from '../shared/ring.js';
import { MemoryNetwork } from '../workers/pool/memory-network.js';
import { Pool } from '../workers/pool/pool.js';
import { runProgram } from '../workers/program.js';
import { SUM_PRODUCT_COLUMNS, sumProductPlain, sumProductProgram } from '../workers/programs/sum-product.js';
import { serveDealer } from '../workers/securenumpy/index.js';

function group(n: number): Pool[] {
  const net = new MemoryNetwork(n);
  const parties = Array.from({ length: n }, (_, i) => `p${i}`);
  return parties.map((_, me) => new Pool({ parties, me, links: net.linksOf(me) }));
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

async function sumProduct(n: number, triples: 'dealer-free' | 'dealer') {
  const x = Array.from({ length: n }, () => Math.random() * 2000 - 1000);
  const y = Array.from({ length: n }, () => Math.random() * 2000 - 1000);
  const text = sumProductProgram({ receivers: [0] });
  const tally = { bytes: 0, messages: 0 };
  const ms = await median(triples === 'dealer-free' ? 1 : 5, async () => {
    const pools = group(triples === 'dealer' ? 3 : 2);
    const [p0, p1, dealer] = pools as [Pool, Pool, Pool | undefined];
    const args = {
      text,
      schema: SUM_PRODUCT_COLUMNS,
      reveal: [0],
      triples: triples === 'dealer' ? { dealer: 2 } : ('dealer-free' as const),
    };
    const served = dealer ? serveDealer(dealer) : null;
    const [r0] = await Promise.all([
      runProgram(p0, { ...args, input: x.map((v) => [v]) }),
      runProgram(p1, { ...args, input: y.map((v) => [v]) }),
    ]);
    await served;
    if ((r0.product!.data as Float64Array)[n - 1] !== sumProductPlain(x, y).product[n - 1])
      throw new Error('wrong product');
    tally.bytes = p0.stats.bytesSent + p1.stats.bytesSent;
    tally.messages = p0.stats.messagesSent + p1.stats.messagesSent;
    pools.forEach((p) => p.close());
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
    bytesBothParties: tally.bytes,
    bytesPerElement: +(tally.bytes / n).toFixed(1),
    messages: tally.messages,
    plaintextBaselineMs: +baselineMs.toFixed(3),
  };
}

const n = 1_000_000;
const a = randomRing(n);
const b = randomRing(n);
const ringMulMs = await median(3, () => void mul(a, b));

const report = {
  machine: { node: process.version, cores: (await import('node:os')).cpus().length },
  ringMulNsPerElement: +((ringMulMs * 1e6) / n).toFixed(2),
  sumProductInMemory: [
    await sumProduct(1000, 'dealer'),
    await sumProduct(MAX_VECTOR_LENGTH, 'dealer'),
    await sumProduct(1000, 'dealer-free'),
    await sumProduct(MAX_VECTOR_LENGTH, 'dealer-free'),
  ],
};
console.log(JSON.stringify(report, null, 2));
