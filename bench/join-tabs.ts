// The tabs part of `npm run bench:join`: snp.privateJoin between two Chromium tabs over real WebRTC
// (loopback, e2e/run-isolated.sh), dealer-free, with 100,000 × 100,000 customer ids and 50% in
// common (BENCH_JOIN_N sets n; BENCH_JOIN_OVERLAP the fraction in common), as JSON on stdout:
// end-to-end seconds of the join (the slower tab, from the call until its outputs exist as shares),
// bytes on the wire per key (both tabs' frames during the join / (n_A + n_B)), the plaintext inner
// join's time on the same data in this run, the check (matched count and sums over the matched
// rows, revealed to party 0) against the plaintext, and the targets (≤ 30 s, ≤ 300 B/key).
// Each tab runs bench/join-party.ts in its bench worker (bench/worker/measure.ts `join`).

import { loadavg } from 'node:os';
import type { JobRing } from '../shared/protocol.js';
import { startWorld } from './harness.js';
import { type JoinBenchSpec, type JoinPartyFigures, plainJoin } from './join-party.js';
import { POOL_PAGE, poolTabs } from './pool-tabs.js';

const TARGETS = { seconds: 30, bytesPerKey: 300 };
const n = Number(process.env.BENCH_JOIN_N ?? 100_000);
const overlap = Number(process.env.BENCH_JOIN_OVERLAP ?? 0.5);
const ring = Number(process.env.BENCH_JOIN_RING ?? 64) as JobRing;
const log = (msg: string) => console.error(`[bench:join tabs ${new Date().toISOString().slice(11, 19)}] ${msg}`);

const spec: JoinBenchSpec = { nA: n, nB: n, common: Math.round(overlap * n), seed: 7, ring };
const world = await startWorld({ page: POOL_PAGE, log });
try {
  const { pages } = await poolTabs(world, ['companyA', 'companyB']);
  log(`two tabs connected; joining ${n} × ${n} keys, ${spec.common} in common, ring ${ring}, dealer-free`);
  const started = performance.now();
  const figures = (await Promise.all(
    pages.map((p) => p.evaluate((s) => (globalThis as any).pool.measure.join(s), spec)),
  )) as JoinPartyFigures[];
  const wallSeconds = (performance.now() - started) / 1000;
  const plain = plainJoin(spec);
  const joinBytes = figures.reduce((s, f) => s + f.join.bytesSent, 0);
  const totalBytes = figures.reduce((s, f) => s + f.total.bytesSent, 0);
  const seconds = Math.max(...figures.map((f) => f.joinMs)) / 1000;
  const check = figures[0]!.check!;
  const exact = check.matched === plain.matched && check.leftSum === plain.leftSum && check.rightSum === plain.rightSum;
  const keys = spec.nA + spec.nB;
  const report = {
    bench: 'private join, two Chromium tabs over WebRTC (loopback), dealer-free',
    spec: { ...spec, overlap },
    rows: figures[0]!.rows,
    seconds: Number(seconds.toFixed(2)),
    bytes: joinBytes,
    bytesPerKey: Number((joinBytes / keys).toFixed(1)),
    perParty: figures.map((f) => ({
      party: f.party,
      joinSeconds: Number((f.joinMs / 1000).toFixed(2)),
      checkSeconds: Number((f.checkMs / 1000).toFixed(2)),
      bytesSent: f.join.bytesSent,
      bytesSentWithCheck: f.total.bytesSent,
      stagesMs: f.stages,
    })),
    withCheck: { seconds: Number(wallSeconds.toFixed(2)), bytes: totalBytes },
    plaintextJoinSeconds: Number((plain.ms / 1000).toFixed(4)),
    check: {
      secure: check,
      plaintext: { matched: plain.matched, leftSum: plain.leftSum, rightSum: plain.rightSum },
      exact,
    },
    targets: {
      ...TARGETS,
      secondsMet: seconds <= TARGETS.seconds,
      bytesPerKeyMet: joinBytes / keys <= TARGETS.bytesPerKey,
    },
    machine: { load: loadavg().map((l) => Number(l.toFixed(2))) },
  };
  console.log(JSON.stringify(report, null, 2));
  if (!exact) process.exitCode = 1;
} finally {
  await world.close();
}
