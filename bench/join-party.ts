// One party's side of the private-join benchmark in two Chromium tabs (bench/join-tabs.ts), run in
// the tab's bench worker (bench/worker/measure.ts) on the job's Pool: a dealer-free SecureNumpy
// session, this party's customers (examples/data.ts hnwcJoinData: customer ids as text, each
// company's rows in its own order, `common` ids in both), snp.privateJoin timed until its outputs
// exist as shares, then a check revealed to party 0: how many rows matched and the sums over the
// matched rows of one column of each party (whole numbers, so the sums are exact; each the sum over
// all rows, which also checks that the join zeroes left and right where unmatched). Bytes are the
// pool's frames (everything the join sent: OPRF, OKVS, OT, engine), counted apart for the join.

import { hnwcJoinData } from '../examples/data.js';
import type { JobRing } from '../shared/protocol.js';
import { traceJoin } from '../workers/join/trace.js';
import type { Pool } from '../workers/pool/pool.js';
import { createSession } from '../workers/securenumpy/index.js';

export interface JoinBenchSpec {
  nA: number;
  nB: number;
  /** Keys both parties hold. */
  common: number;
  seed: number;
  ring: JobRing;
}

/** What one party measured. */
export interface JoinPartyFigures {
  party: number;
  /** From the call of snp.privateJoin until matched, left and right exist as shares here. */
  joinMs: number;
  /** The check after it (an astype, three sums and reveals). */
  checkMs: number;
  /** Frame bytes this party sent and received during the join, and over the whole session. */
  join: { bytesSent: number; bytesReceived: number };
  total: { bytesSent: number; bytesReceived: number };
  /** Party 0 only: the matched count and the sums over the matched rows of left[:, 0] and right[:, 0]. */
  check: { matched: number; leftSum: number; rightSum: number } | null;
  /** m, the join's rows (a function of n_A only). */
  rows: number;
  /** Each stage this party reached (workers/join/trace.ts), in ms from the call, in order. */
  stages: Record<string, number>;
}

/** The columns each party joins with: party 0 frequency (0..6), party 1 balance in millions (0..12), both whole. */
export function joinSides(spec: JoinBenchSpec) {
  const { a, b } = hnwcJoinData(spec.nA, spec.nB, spec.common, spec.seed);
  return {
    a: { keys: a.keys, values: a.rows.map((r) => [r[0]!]) },
    b: { keys: b.keys, values: b.rows.map((r) => [Math.round(r[0]! / 1e6)]) },
  };
}

/** The plaintext inner join of the same sides and the same check, with its time (ms). */
export function plainJoin(spec: JoinBenchSpec): { ms: number; matched: number; leftSum: number; rightSum: number } {
  const { a, b } = joinSides(spec);
  const t = performance.now();
  const byKey = new Map<string, number>();
  b.keys.forEach((k, i) => byKey.set(k, b.values[i]![0]!));
  let matched = 0;
  let leftSum = 0;
  let rightSum = 0;
  a.keys.forEach((k, i) => {
    const r = byKey.get(k);
    if (r === undefined) return;
    matched++;
    leftSum += a.values[i]![0]!;
    rightSum += r;
  });
  return { ms: performance.now() - t, matched, leftSum, rightSum };
}

const bytes = (pool: Pool) => ({ bytesSent: pool.stats.bytesSent, bytesReceived: pool.stats.bytesReceived });
const minus = (x: ReturnType<typeof bytes>, y: ReturnType<typeof bytes>) => ({
  bytesSent: x.bytesSent - y.bytesSent,
  bytesReceived: x.bytesReceived - y.bytesReceived,
});

export async function joinParty(pool: Pool, spec: JoinBenchSpec): Promise<JoinPartyFigures> {
  const party = pool.me;
  const sides = joinSides(spec);
  const mine = party === 0 ? sides.a : sides.b;
  const start = bytes(pool);
  let prepFirst = 0;
  let prepDone = 0;
  const onProgress = (p: { done: number; total: number }) => {
    prepFirst ||= performance.now();
    if (p.done >= p.total) prepDone = performance.now();
  };
  const session = createSession(pool, { party, preprocessing: 'dealer-free', ring: spec.ring, onProgress });
  const { snp } = session;
  try {
    const t0 = performance.now();
    const stages: Record<string, number> = {};
    traceJoin((stage) => {
      stages[stage] = Math.round(performance.now() - t0);
    });
    const { matched, left, right } = await snp.privateJoin(party === 0 ? mine : null, party === 1 ? mine : null);
    await Promise.all([matched.toShare(), left.toShare(), right.toShare()]);
    const joinMs = performance.now() - t0;
    traceJoin(null);
    if (prepFirst) stages['preprocessing first progress'] = Math.round(prepFirst - t0);
    if (prepDone) stages['preprocessing done'] = Math.round(prepDone - t0);
    const join = minus(bytes(pool), start);
    const t1 = performance.now();
    // The join zeroes left and right on unmatched rows: their plain sums are the sums over matches.
    const count = snp.sum(matched.astype('float64'));
    const leftSum = snp.sum(left.get(':', 0));
    const rightSum = snp.sum(right.get(':', 0));
    const [c, l, r] = await Promise.all([count.revealTo(0), leftSum.revealTo(0), rightSum.revealTo(0)]);
    const checkMs = performance.now() - t1;
    await session.close();
    const value = (v: typeof c) => Number(v!.data[0]);
    return {
      party,
      joinMs,
      checkMs,
      join,
      total: minus(bytes(pool), start),
      check: c ? { matched: value(c), leftSum: value(l), rightSum: value(r) } : null,
      rows: matched.shape[0]!,
      stages,
    };
  } catch (e) {
    traceJoin(null);
    pool.abort({ code: 'ERR_INTERNAL', message: String(e) });
    throw e;
  }
}
