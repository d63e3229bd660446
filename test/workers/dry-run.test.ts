// The dry run counts what the run between tabs sends: for presets, its rounds equal and each
// party's bytes match (up to message headers) those of a real two-party run (runProgram at each
// party over the in-memory network) on real data of the same shape; it reports outputs by name
// and shape, and refuses bad row counts.

import { describe, expect, it } from 'vitest';
import { dryRun } from '../../workers/dry-run.js';
import { MemoryNetwork } from '../../workers/pool/memory-network.js';
import { Pool } from '../../workers/pool/pool.js';
import { runProgram } from '../../workers/program.js';
import { HNWC_COLUMNS, HNWC_RING, hnwcProgram } from '../../workers/programs/hnwc.js';
import { HNWC_JOIN_COLUMNS, HNWC_JOIN_KEY, hnwcJoinProgram } from '../../workers/programs/hnwc-join.js';
import { LINEAR_REGRESSION_COLUMNS, linearRegressionProgram } from '../../workers/programs/linear-regression.js';
import { type SessionStats, serveDealer } from '../../workers/securenumpy/index.js';

/** A real run: each party's own table, the job's settings; returns each party's session counts. */
async function realRun(
  text: string,
  tables: number[][][],
  schema: string[][],
  ring: 64 | 128,
  dealer: boolean,
): Promise<{ rounds: number; bytesSent: number[] }> {
  const parties = dealer ? ['a', 'b', 'd'] : ['a', 'b'];
  const net = new MemoryNetwork(parties.length);
  const pools = parties.map((_, me) => new Pool({ parties, me, links: net.linksOf(me) }));
  const stats: SessionStats[] = [];
  const dealerRun = dealer ? serveDealer(pools[2]!) : Promise.resolve();
  await Promise.all([
    ...[0, 1].map((p) =>
      runProgram(pools[p]!, {
        text,
        input: tables[p]!,
        schema,
        reveal: [0, 1],
        triples: dealer ? { dealer: 2 } : 'dealer-free',
        ring,
        onStats: (s) => (stats[p] = s),
      }),
    ),
    dealerRun,
  ]);
  const dealerBytes = dealer ? [pools[2]!.stats.bytesSent] : [];
  for (const p of pools) p.close();
  return {
    rounds: Math.max(stats[0]!.rounds, stats[1]!.rounds),
    bytesSent: [stats[0]!.bytesSent, stats[1]!.bytesSent, ...dealerBytes],
  };
}

/**
 * Same bytes up to message framing: which values share a message (the exchange's batches) depends
 * on timing, and each message carries a header of a few bytes, so two real runs differ by some
 * dozens of bytes too; the payload is the same. At most 0.5% apart per party.
 */
function expectSameBytes(dry: number[], real: number[]): void {
  expect(dry.length).toBe(real.length);
  dry.forEach((d, i) => expect(Math.abs(d - real[i]!)).toBeLessThanOrEqual(real[i]! * 0.005));
}

describe('dryRun', () => {
  it('counts the same rounds and bytes as a real run of HNWC (dealer mode, ring 128)', async () => {
    const n = 24;
    const text = hnwcProgram({ receivers: [0, 1] });
    const tables = [
      Array.from({ length: n }, (_, i) => [i % 5, 1000 * i]),
      Array.from({ length: n }, (_, i) => [400_000 * i, 10 * i]),
    ];
    const real = await realRun(text, tables, HNWC_COLUMNS, HNWC_RING, true);
    const dry = await dryRun({
      text,
      schema: HNWC_COLUMNS,
      rows: n,
      reveal: [0, 1],
      preprocessing: 'dealer',
      ring: HNWC_RING,
    });
    expect(dry.rounds).toBe(real.rounds);
    expect(dry.rounds).toBeGreaterThan(0);
    expectSameBytes(dry.bytesSent, real.bytesSent);
    expect(dry.outputs.map((o) => o.name)).toEqual(['count', 'average']);
    expect(dry.outputs.every((o) => o.shape !== null && o.to.join() === '0,1')).toBe(true);
    expect(dry.computeMs).toBeGreaterThan(0);
  });

  it('counts the same rounds and bytes as a real run of linear regression (dealer-free, ring 64)', async () => {
    const n = 8;
    const text = linearRegressionProgram({ receivers: [0], iterations: 2 });
    const tables = [
      Array.from({ length: n }, (_, i) => [i / n, (n - i) / n]),
      Array.from({ length: n }, (_, i) => [i / 4]),
    ];
    const real = await realRun(text, tables, LINEAR_REGRESSION_COLUMNS, 64, false);
    const dry = await dryRun({
      text,
      schema: LINEAR_REGRESSION_COLUMNS,
      rows: n,
      reveal: [0, 1],
      preprocessing: 'dealer-free',
      ring: 64,
    });
    expect(dry.rounds).toBe(real.rounds);
    expectSameBytes(dry.bytesSent, real.bytesSent);
    expect(dry.outputs).toEqual([{ name: 'theta', shape: [3, 1], to: [0] }]);
  });

  it('runs a program that joins on a key with synthetic distinct keys (HNWC joined on customer id)', async () => {
    const dry = await dryRun({
      text: hnwcJoinProgram({ receivers: [1] }),
      schema: HNWC_JOIN_COLUMNS,
      rows: 16,
      reveal: [1],
      preprocessing: 'dealer',
      ring: HNWC_RING,
      join: { keys: [HNWC_JOIN_KEY, HNWC_JOIN_KEY], normalise: 'trim' },
    });
    expect(dry.outputs).toEqual([
      { name: 'count', shape: [], to: [1] },
      { name: 'average', shape: [], to: [1] },
    ]);
    expect(dry.bytesSent[0]).toBeGreaterThan(0);
  });

  it('refuses row counts out of range with ERR_BAD_REQUEST', async () => {
    for (const rows of [0, -1, 1.5, 100_001]) {
      await expect(
        dryRun({ text: 'return null', schema: [['x'], null], rows, reveal: [0], preprocessing: 'dealer', ring: 64 }),
      ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    }
  });
});
