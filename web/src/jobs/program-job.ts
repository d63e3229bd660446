// What this tab computes in a program job, as compute functions for the job's run
// (jobs/job-run.svelte.ts): the sum-and-product preset program, a SecureNumpy program, or the
// job's participant dealer; and how a job's fields map to the engine's run (reveal parties,
// triple source, dealer, ring, the sum-and-product stage line).

import * as Comlink from 'comlink';
import { ParleyError } from '../../../shared/errors.js';
import { type Job, receiverOf } from '../../../shared/protocol.js';
import type { ProgramOutputs, ProgramProgress } from '../../../workers/program.js';
import {
  SUM_PRODUCT_COLUMNS,
  type SumProductResult,
  sumProductProgram,
  sumProductResult,
} from '../../../workers/programs/sum-product.js';
import type { ProgramWorkerApi } from '../mesh/job-mesh.js';
import type { KeyColumn } from '../tables/profile.js';
import type { Compute } from './job-run.svelte.js';
import type { KeyedTable } from './parse-input.js';

/** What a program job's member runs on the job's worker. */
export type ProgramCompute<T> = Compute<ProgramWorkerApi, T>;

/** Where a sum-and-product job is, for its card's stage line. */
export type SumProductStage = 'waiting-for-peer' | 'triples' | 'computing' | 'done';

/**
 * The stage line from the program's progress: it first learns the peer's length (waiting for the
 * peer), then makes its triples (with the fraction made), then multiplies and reveals.
 */
export function sumProductStage(p: ProgramProgress): { stage: SumProductStage; progress: number | null } {
  if (p.stage === 'done') return { stage: 'done', progress: null };
  if (p.stage !== 'preprocessing') return { stage: 'waiting-for-peer', progress: null };
  if (p.total > 0 && p.done >= p.total) return { stage: 'computing', progress: null };
  return { stage: 'triples', progress: p.total > 0 ? p.done / p.total : null };
}

/**
 * The sum-and-product job: the preset program (workers/programs/sum-product.ts) with this tab's
 * vector as an n × 1 column, revealed to the receiver only, triples made dealer-free. Resolves to
 * the result at the receiver, null elsewhere.
 */
export function sumProductCompute(
  job: Job,
  input: number[],
  onProgress: (p: ProgramProgress) => void,
): ProgramCompute<SumProductResult | null> {
  const receiver = job.members.indexOf(receiverOf(job));
  const run = {
    text: sumProductProgram({ receivers: [receiver] }),
    input: input.map((v) => [v]),
    schema: SUM_PRODUCT_COLUMNS,
    reveal: [receiver],
    triples: 'dealer-free' as const,
  };
  return async (mesh) => {
    const outcome = await mesh.engine.runProgram(run, Comlink.proxy(onProgress));
    return outcome.ok ? { ok: true, value: sumProductResult(outcome.value) } : outcome;
  };
}

/** The job's schema in party order: each member's column names, null where it declares none. */
function partyColumns(job: Job): (string[] | null)[] {
  return job.members.map((m) => (job.schema && Object.hasOwn(job.schema, m) ? job.schema[m]! : null));
}

/** Party indices of every member the job's reveal list names: the only parties the engine reveals to. */
export function revealParties(job: Job): number[] {
  const names = new Set(job.reveal.flatMap((r) => r.to));
  return job.members.flatMap((m, i) => (names.has(m) ? [i] : []));
}

/** Where a program job's parties get their triples: made together, or from the dealer's pool index. */
export function programTriples(job: Job): 'dealer-free' | { dealer: number } {
  if (job.triples !== 'participant-dealer') return 'dealer-free';
  const dealer = job.dealer === null ? -1 : job.members.indexOf(job.dealer);
  if (dealer < 0) {
    throw new ParleyError('ERR_BAD_REQUEST', 'a participant-dealer job must name a dealer among its members');
  }
  return { dealer };
}

/** Whether `name` is this job's participant dealer (it serves triples and runs no program). */
export function isDealerOf(job: Job, name: string): boolean {
  return job.triples === 'participant-dealer' && job.dealer === name;
}

/** `member`'s join key column in this job (Job.join), or null when it joins on no key. */
export function keyColumnOf(job: Job, member: string): KeyColumn | null {
  const name = job.join && Object.hasOwn(job.join.keys, member) ? job.join.keys[member]! : null;
  return name === null ? null : { name, normalise: job.join!.normalise };
}

/**
 * A program job's compute: this party's table (or null) as the program's `input`, its join keys
 * (`keyed`: the table parsed with `key`, the job's key column for this member) as `input.col(key)`;
 * the outputs revealed to it.
 */
export function programCompute(
  job: Job,
  input: number[][] | { table: KeyedTable; key: KeyColumn } | null,
  onProgress: (p: ProgramProgress) => void,
): ProgramCompute<ProgramOutputs> {
  const keyed = input !== null && !Array.isArray(input) ? input : null;
  const run = {
    text: job.program?.text ?? '',
    input: Array.isArray(input) ? input : (input?.table.rows ?? null),
    keys: keyed ? { column: keyed.key.name, values: keyed.table.keys, normalise: keyed.key.normalise } : null,
    schema: partyColumns(job),
    reveal: revealParties(job),
    ring: job.ring,
    ...(job.reveal[0] ? { defaultOutput: job.reveal[0].output } : {}),
  };
  return (mesh) => mesh.engine.runProgram({ ...run, triples: programTriples(job) }, Comlink.proxy(onProgress));
}

/**
 * The participant dealer's compute: serves correlated randomness once the parties started (the
 * job is running) until party 1 ends the session; `onServed` gets the running count of requests.
 */
export function dealerCompute(onServed: (requests: number) => void): ProgramCompute<{ requests: number }> {
  return (mesh) => mesh.engine.serveDealer(Comlink.proxy(onServed));
}
