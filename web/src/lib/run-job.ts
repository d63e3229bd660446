// Runs this tab's side of a sum-and-product job in the job's compute worker, fetches triples
// from the (placeholder) dealer on request, and reports the outcome (done, or failed with its
// code) to the service.

import * as Comlink from 'comlink';
import { toErrorInfo } from '../../../shared/errors.js';
import { receiverOf, type Job, type TripleGrant } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/engine-api.js';
import type { Stage, SumProductResult } from '../../../workers/sum-product.js';
import type { JobMesh } from './job-mesh.js';
import type { Session } from './session.js';

export async function runSumProductJob(
  session: Session,
  job: Job,
  mesh: JobMesh,
  input: number[],
  onStage: (s: Stage, progress?: number) => void,
): Promise<Outcome<SumProductResult | null>> {
  const receiver = job.members.indexOf(receiverOf(job)) as 0 | 1;
  let outcome: Outcome<SumProductResult | null>;
  try {
    await mesh.ready;
    await session.call('job:start', { jobId: job.id });
    const getTriples = async (count: number): Promise<Outcome<TripleGrant>> => {
      try {
        return { ok: true, value: (await session.call('dealer:triples', { jobId: job.id, count })) as TripleGrant };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    };
    mesh.markComputing();
    const triples = job.triples === 'service-dealer' ? 'service-dealer' : 'dealer-free';
    outcome = await mesh.engine.sumProduct({ receiver, input, triples }, Comlink.proxy(getTriples), Comlink.proxy(onStage));
  } catch (e) {
    outcome = { ok: false, error: toErrorInfo(e) };
  }
  const report = outcome.ok ? { outcome: 'done' as const } : { outcome: 'failed' as const, code: outcome.error.code };
  await session.call('job:finish', { jobId: job.id, ...report }).catch(() => undefined);
  return outcome;
}
