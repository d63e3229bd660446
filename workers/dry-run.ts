// The dry run of a program job, before it is proposed: every party simulated in this worker over
// the in-memory network (and the dealer, in dealer mode), each running the real runProgram on
// synthetic tables of the declared shapes (rows per party × the schema's columns, values 0 or
// 1). SecureNumpy's traffic does not depend on the values, so the rounds and bytes counted
// here are those of the run between tabs (test/workers/dry-run.test.ts checks a preset); the
// measured wall time is the compute part of web/src/dryrun/time-model.ts's estimate. Outputs are
// reported by name and shape only.

import { ParleyError } from '../shared/errors.js';
import type { KeyNormalisation } from '../shared/join-keys.js';
import type { JobRing } from '../shared/protocol.js';
import { MemoryNetwork } from './pool/memory-network.js';
import { Pool } from './pool/pool.js';
import { type ProgramOutputs, runProgram } from './program.js';
import { type SessionStats, serveDealer } from './securenumpy/index.js';

export interface DryRunArgs {
  text: string;
  /** Per party (party order), the column names it brings, or null where it brings no table. */
  schema: (readonly string[] | null)[];
  /** Rows of each synthetic table. */
  rows: number;
  /** Party indices that may receive reveals. */
  reveal: number[];
  preprocessing: 'dealer-free' | 'dealer';
  ring: JobRing;
  defaultOutput?: string;
  /**
   * Where the job joins on a key: per party its key column (null where none) and the normalisation.
   * Its synthetic keys are distinct text, half of party 1's also party 0's (the join's traffic
   * depends on the row counts only).
   */
  join?: { keys: (string | null)[]; normalise: KeyNormalisation } | null;
}

interface DryRunOutput {
  name: string;
  /** Its shape, or null where it was revealed to no party of this run (never in a dry run). */
  shape: number[] | null;
  /** The parties it was revealed to. */
  to: number[];
}

export interface DryRunReport {
  outputs: DryRunOutput[];
  /** Communication rounds on the longest chain (the larger of the two parties' counts). */
  rounds: number;
  /** Bytes each pool member sent (parties 0, 1, then the dealer in dealer mode). */
  bytesSent: number[];
  /** Wall time of the whole simulated run in this worker (ms). */
  computeMs: number;
}

/** At most this many synthetic rows per party (the dry run holds every party's table at once). */
const MAX_DRY_RUN_ROWS = 100_000;

/** A table of `rows` × `columns` values, each 0 or 1 (valid as labels, flags and amounts alike). */
function syntheticTable(rows: number, columns: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: columns }, () => (Math.random() < 0.5 ? 0 : 1)));
}

/** Runs the program at both parties (and the dealer) on synthetic data and counts its cost. */
export async function dryRun(args: DryRunArgs): Promise<DryRunReport> {
  if (!Number.isSafeInteger(args.rows) || args.rows < 1 || args.rows > MAX_DRY_RUN_ROWS)
    throw new ParleyError('ERR_BAD_REQUEST', `a dry run takes 1 to ${MAX_DRY_RUN_ROWS} rows per party`);
  const dealer = args.preprocessing === 'dealer';
  const parties = dealer ? ['party0', 'party1', 'dealer'] : ['party0', 'party1'];
  const net = new MemoryNetwork(parties.length);
  const pools = parties.map((_, me) => new Pool({ parties, me, links: net.linksOf(me) }));
  const stats: (SessionStats | null)[] = [null, null];
  const started = performance.now();
  try {
    const dealerRun = dealer ? serveDealer(pools[2]!) : Promise.resolve();
    const runs = [0, 1].map((party) => {
      const columns = args.schema[party] ?? null;
      const key = args.join?.keys[party] ?? null;
      const offset = party === 0 ? 0 : Math.floor(args.rows / 2);
      const keys = key
        ? {
            column: key,
            values: Array.from({ length: args.rows }, (_, i) => `k${i + offset}`),
            normalise: args.join!.normalise,
          }
        : null;
      return runProgram(pools[party]!, {
        text: args.text,
        input: columns ? syntheticTable(args.rows, columns.length - (keys ? 1 : 0)) : null,
        keys,
        schema: args.schema,
        reveal: args.reveal,
        triples: dealer ? { dealer: 2 } : 'dealer-free',
        ring: args.ring,
        ...(args.defaultOutput ? { defaultOutput: args.defaultOutput } : {}),
        onStats: (s) => (stats[party] = s),
      });
    });
    const [outputs] = await Promise.all([Promise.all(runs), dealerRun]);
    const computeMs = performance.now() - started;
    return {
      outputs: describe(outputs),
      rounds: Math.max(stats[0]?.rounds ?? 0, stats[1]?.rounds ?? 0),
      bytesSent: [stats[0]?.bytesSent ?? 0, stats[1]?.bytesSent ?? 0, ...(dealer ? [pools[2]!.stats.bytesSent] : [])],
      computeMs,
    };
  } finally {
    for (const p of pools) p.close();
  }
}

/** Each output's name, shape and receiving parties, from both parties' outputs. */
function describe(outputs: ProgramOutputs[]): DryRunOutput[] {
  const names = [...new Set(outputs.flatMap((o) => Object.keys(o)))];
  return names.map((name) => {
    const at = outputs.map((o) => o[name] ?? null);
    const held = at.find((v) => v !== null) ?? null;
    return {
      name,
      shape: held ? [...held.shape] : null,
      to: at.flatMap((v, party) => (v ? [party] : [])),
    };
  });
}
