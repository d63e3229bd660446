// Runs this tab's side of a job (the sum-and-product preset program, a SecureNumpy program, or a
// program job's participant dealer) in the job's compute worker, and reports the outcome (done,
// or failed with its code) to the service.

import * as Comlink from 'comlink';
import { ParleyError, toErrorInfo } from '../../../shared/errors.js';
import { receiverOf, type Job } from '../../../shared/protocol.js';
import type { AttachApi, Outcome } from '../../../workers/jobs/attach.js';
import type { ProgramOutputs, ProgramProgress } from '../../../workers/program.js';
import { sumProductProgram, sumProductResult, type SumProductResult } from '../../../workers/programs/sum-product.js';
import type { JobMesh } from './job-mesh.js';
import type { Session } from './session.js';

/** Starts the job at the service, runs `compute` on the worker, and reports how it ended. */
export async function runReported<T>(session: Session, job: Job, mesh: JobMesh<AttachApi>, compute: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
  let outcome: Outcome<T>;
  try {
    await mesh.ready;
    await session.call('job:start', { jobId: job.id });
    mesh.markComputing();
    outcome = await compute();
  } catch (e) {
    outcome = { ok: false, error: toErrorInfo(e) };
  }
  const report = outcome.ok ? { outcome: 'done' as const } : { outcome: 'failed' as const, code: outcome.error.code };
  await session.call('job:finish', { jobId: job.id, ...report }).catch(() => undefined);
  return outcome;
}

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
export function runSumProductJob(
  session: Session,
  job: Job,
  mesh: JobMesh,
  input: number[],
  onProgress: (p: ProgramProgress) => void,
): Promise<Outcome<SumProductResult | null>> {
  const receiver = job.members.indexOf(receiverOf(job));
  const run = {
    text: sumProductProgram({ receivers: [receiver] }),
    input: input.map((v) => [v]),
    reveal: [receiver],
    triples: 'dealer-free' as const,
  };
  return runReported(session, job, mesh, async () => {
    const outcome = await mesh.engine.runProgram(run, Comlink.proxy(onProgress));
    return outcome.ok ? { ok: true, value: sumProductResult(outcome.value) } : outcome;
  });
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

export function runProgramJob(
  session: Session,
  job: Job,
  mesh: JobMesh,
  input: number[][] | null,
  onProgress: (p: ProgramProgress) => void,
): Promise<Outcome<ProgramOutputs>> {
  const run = {
    text: job.program?.text ?? '',
    input,
    reveal: revealParties(job),
    ...(job.reveal[0] ? { defaultOutput: job.reveal[0].output } : {}),
  };
  return runReported(session, job, mesh, () => mesh.engine.runProgram({ ...run, triples: programTriples(job) }, Comlink.proxy(onProgress)));
}

/**
 * The dealer's side of a program job: serves correlated randomness once the parties started
 * (the job is running) until party 1 ends the session. It reports only its own failures: the
 * parties report how the job ended, and a party that aborted reports its own code.
 */
export async function runDealerJob(session: Session, job: Job, mesh: JobMesh, onServed: (requests: number) => void): Promise<Outcome<{ requests: number }>> {
  let outcome: Outcome<{ requests: number }>;
  try {
    await mesh.ready;
    mesh.markComputing();
    outcome = await mesh.engine.serveDealer(Comlink.proxy(onServed));
  } catch (e) {
    outcome = { ok: false, error: toErrorInfo(e) };
  }
  if (!outcome.ok && outcome.error.code !== 'ERR_PEER_ABORTED') {
    await session.call('job:finish', { jobId: job.id, outcome: 'failed', code: outcome.error.code }).catch(() => undefined);
  }
  return outcome;
}
