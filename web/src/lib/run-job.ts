// Runs this tab's side of a job (the sum-and-product preset or a SecureNumpy program) in the
// job's compute worker, fetches triples from the (placeholder) dealer on request, and reports
// the outcome (done, or failed with its code) to the service.

import * as Comlink from 'comlink';
import { toErrorInfo } from '../../../shared/errors.js';
import { receiverOf, type Job, type TripleGrant } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/engine-api.js';
import type { ProgramOutputs, ProgramProgress } from '../../../workers/program.js';
import type { Stage, SumProductResult } from '../../../workers/sum-product.js';
import type { JobMesh } from './job-mesh.js';
import type { Session } from './session.js';

/** Starts the job at the service, runs `compute` on the worker, and reports how it ended. */
async function runReported<T>(session: Session, job: Job, mesh: JobMesh, compute: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
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

export function runSumProductJob(
  session: Session,
  job: Job,
  mesh: JobMesh,
  input: number[],
  onStage: (s: Stage, progress?: number) => void,
): Promise<Outcome<SumProductResult | null>> {
  const receiver = job.members.indexOf(receiverOf(job)) as 0 | 1;
  const getTriples = async (count: number): Promise<Outcome<TripleGrant>> => {
    try {
      return { ok: true, value: (await session.call('dealer:triples', { jobId: job.id, count })) as TripleGrant };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  };
  const triples = job.triples === 'service-dealer' ? 'service-dealer' : 'dealer-free';
  return runReported(session, job, mesh, () =>
    mesh.engine.sumProduct({ receiver, input, triples }, Comlink.proxy(getTriples), Comlink.proxy(onStage)),
  );
}

/** Party indices of every member the job's reveal list names: the only parties the engine reveals to. */
export function revealParties(job: Job): number[] {
  const names = new Set(job.reveal.flatMap((r) => r.to));
  return job.members.flatMap((m, i) => (names.has(m) ? [i] : []));
}

export function runProgramJob(
  session: Session,
  job: Job,
  mesh: JobMesh,
  input: number[][] | null,
  onProgress: (p: ProgramProgress) => void,
): Promise<Outcome<ProgramOutputs>> {
  const triples = job.triples === 'participant-dealer' && job.dealer ? { dealer: job.members.indexOf(job.dealer) } : ('dealer-free' as const);
  const run = {
    text: job.program?.text ?? '',
    input,
    reveal: revealParties(job),
    triples,
    ...(job.reveal[0] ? { defaultOutput: job.reveal[0].output } : {}),
  };
  return runReported(session, job, mesh, () => mesh.engine.runProgram(run, Comlink.proxy(onProgress)));
}
