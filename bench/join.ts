// `npm run bench:join`: the private join's figures as JSON, in Node (both parties in one process
// over the in-memory network, runLocal). One run joins n_A × n_B keys (default 100,000 × 100,000,
// BENCH_JOIN_N sets both) with 50% overlap (BENCH_JOIN_OVERLAP), one value column per party and
// a column of ones at A, dealer-free (BENCH_JOIN_MODE=dealer for the dealer, BENCH_JOIN_RING=128
// for the wide ring), computes the count of matches and the sums of both parties' value columns
// over them, reveals them to party 0 and checks them against the plaintext inner join, whose
// time is measured in the same run. "join" is the join alone (from the call until every party
// holds its shares of matched, left and right); the totals add the aggregates (three sums, local,
// and three reveals): left is zero where unmatched, so the sum of A's column of ones is the count
// (an astype of matched would spend a Beaver triple per row). Bytes are both parties' sent bytes
// (preprocessing included); bytes per key = total / (n_A + n_B). Targets (issue 18): ≤ 30 s end
// to end and ≤ 300 B per key between two Chromium tabs (the tabs' run is the app's bench); here
// the Node figures.

import { runLocal } from '../workers/securenumpy/index.js';

const N = Number(process.env.BENCH_JOIN_N ?? 100_000);
const OVERLAP = Number(process.env.BENCH_JOIN_OVERLAP ?? 0.5);
const MODE = process.env.BENCH_JOIN_MODE === 'dealer' ? 'dealer' : 'dealer-free';
const RING = process.env.BENCH_JOIN_RING === '128' ? 128 : 64;

/** Party A's and B's customers: ids, A's spend, B's balance; the first OVERLAP·N of B's ids are A's. */
function data(n: number, overlap: number) {
  const common = Math.round(n * overlap);
  const aKeys = Array.from({ length: n }, (_, i) => `customer-${i}@example.com`);
  const bKeys = Array.from({ length: n }, (_, i) => (i < common ? aKeys[(i * 7919) % n]! : `other-${i}@example.org`));
  const aVals = aKeys.map((_, i) => [(i % 1000) / 10, 1]); // a column of ones counts the matches
  const bVals = bKeys.map((_, i) => [(i % 500) / 4]);
  return { aKeys, bKeys, aVals, bVals };
}

function plaintext(d: ReturnType<typeof data>) {
  const t0 = performance.now();
  const index = new Map<string, number>();
  d.bKeys.forEach((k, i) => index.set(k, i));
  let count = 0;
  let sumA = 0;
  let sumB = 0;
  d.aKeys.forEach((k, i) => {
    const j = index.get(k);
    if (j === undefined) return;
    count++;
    sumA += d.aVals[i]![0]!;
    sumB += d.bVals[j]![0]!;
  });
  return { ms: performance.now() - t0, count, sumA, sumB };
}

async function main() {
  const d = data(N, OVERLAP);
  const plain = plaintext(d);
  const t0 = performance.now();
  const [r0, r1] = await runLocal(
    2,
    async (snp, p) => {
      const start = performance.now();
      const { matched, left, right } = await snp.privateJoin(
        p === 0 ? { keys: d.aKeys, values: d.aVals } : null,
        p === 1 ? { keys: d.bKeys, values: d.bVals } : null,
      );
      await Promise.all([matched.toShare(), left.toShare(), right.toShare()]);
      const joinMs = performance.now() - start;
      const joined = snp.stats();
      const count = snp.sum(left.get(':', 1)); // zero where unmatched: no astype of matched needed
      const sumA = snp.sum(left.get(':', 0));
      const sumB = snp.sum(right.get(':', 0));
      const out = await Promise.all([count.revealTo(0), sumA.revealTo(0), sumB.revealTo(0)]);
      return {
        out: out.map((x) => (x ? Number(x.toArray()) : null)),
        stats: snp.stats(),
        joined,
        joinMs,
        rows: matched.shape[0],
      };
    },
    { preprocessing: MODE, ring: RING },
  );
  const ms = performance.now() - t0;
  const [count, sumA, sumB] = r0!.out as [number, number, number];
  const bytes = r0!.stats.bytesSent + r1!.stats.bytesSent;
  const joinBytes = r0!.joined.bytesSent + r1!.joined.bytesSent;
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-3 * Math.max(1, Math.abs(y));
  const report = {
    bench: 'join',
    node: process.version,
    mode: MODE,
    ring: RING,
    nA: N,
    nB: N,
    overlap: OVERLAP,
    rows: r0!.rows,
    seconds: +(ms / 1000).toFixed(2),
    plaintextMs: +plain.ms.toFixed(1),
    bytes,
    join: {
      seconds: +(r0!.joinMs / 1000).toFixed(2),
      bytes: joinBytes,
      bytesPerKey: +(joinBytes / (2 * N)).toFixed(1),
      rounds: r0!.joined.rounds,
      correlations: {
        triples: r0!.joined.triplesMade,
        bitProducts: r0!.joined.truncationsMade,
        andWords: r0!.joined.andWordsMade,
        otProducts: r0!.joined.otProductsMade,
      },
    },
    bytesPerKey: +(bytes / (2 * N)).toFixed(1),
    rounds: r0!.stats.rounds,
    correct: count === plain.count && close(sumA, plain.sumA) && close(sumB, plain.sumB),
    result: { count, sumA, sumB },
    plaintext: { count: plain.count, sumA: plain.sumA, sumB: plain.sumB },
    targets: { seconds: 30, bytesPerKey: 300, note: 'targets are for two Chromium tabs' },
  };
  console.log(JSON.stringify(report, null, 2));
  if (!report.correct) process.exitCode = 1;
}

await main();
