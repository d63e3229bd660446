// What this tab computes in a program job (the sum-and-product preset, a SecureNumpy program, or
// the job's participant dealer), as compute functions for the job's run (jobs/job-run.svelte.ts),
// and how a job's fields map to the engine's run: reveal parties, triple source, dealer. Fetches
// triples from the (placeholder) service dealer on request.

import * as Comlink from 'comlink';
import { ParleyError, toErrorInfo } from '../../../shared/errors.js';
import { receiverOf, type Job, type TripleGrant } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/engine-api.js';
import type { ProgramOutputs, ProgramProgress } from '../../../workers/program.js';
import type { Stage, SumProductResult } from '../../../workers/sum-product.js';
import type { JobMesh } from './job-mesh.js';
import type { Connection } from '../connection/connection.svelte.js';

/** A sum-and-product job's compute: this tab's vector; the result at the receiver, null elsewhere. */
export function sumProductCompute(
  connection: Connection,
  job: Job,
  input: number[],
  onStage: (s: Stage, progress?: number) => void,
): (mesh: JobMesh) => Promise<Outcome<SumProductResult | null>> {
  const receiver = job.members.indexOf(receiverOf(job)) as 0 | 1;
  const getTriples = async (count: number): Promise<Outcome<TripleGrant>> => {
    try {
      return { ok: true, value: await connection.call('dealer:triples', { jobId: job.id, count }) };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  };
  const triples = job.triples === 'service-dealer' ? 'service-dealer' : 'dealer-free';
  return (mesh) => mesh.engine.sumProduct({ receiver, input, triples }, Comlink.proxy(getTriples), Comlink.proxy(onStage));
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
  if (dealer < 0) throw new ParleyError('ERR_BAD_REQUEST', 'a participant-dealer job must name a dealer among its members');
  return { dealer };
}

/** Whether `name` is this job's participant dealer (it serves triples and runs no program). */
export function isDealerOf(job: Job, name: string): boolean {
  return job.triples === 'participant-dealer' && job.dealer === name;
}

/** A program job's compute: this party's table (or null) as the program's `input`; the outputs revealed to it. */
export function programCompute(
  job: Job,
  input: number[][] | null,
  onProgress: (p: ProgramProgress) => void,
): (mesh: JobMesh) => Promise<Outcome<ProgramOutputs>> {
  const run = {
    text: job.program?.text ?? '',
    input,
    reveal: revealParties(job),
    ...(job.reveal[0] ? { defaultOutput: job.reveal[0].output } : {}),
  };
  return (mesh) => mesh.engine.runProgram({ ...run, triples: programTriples(job) }, Comlink.proxy(onProgress));
}

/**
 * The participant dealer's compute: serves correlated randomness once the parties started (the
 * job is running) until party 1 ends the session; `onServed` gets the running count of requests.
 */
export function dealerCompute(onServed: (requests: number) => void): (mesh: JobMesh) => Promise<Outcome<{ requests: number }>> {
  return (mesh) => mesh.engine.serveDealer(Comlink.proxy(onServed));
}
