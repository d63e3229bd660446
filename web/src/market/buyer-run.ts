// The buyer's side of a purchase's computation: proposes a market job to the seller, waits for
// the seller's tab (meanwhile fetching the ciphertexts from the service if the seller is
// offline), connects, and runs the job worker's marketBuyer; each decryption request is signed
// here with the purchase's next seq and countersigned by the service.

import * as Comlink from 'comlink';
import { fromErrorInfo, ParleyError, toErrorInfo } from '../../../shared/errors.js';
import type { LedgerEntry } from '../../../shared/ledger.js';
import type { DecryptRequestBody, Listing, Purchase } from '../../../shared/market.js';
import type { Job, Presence } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/jobs/attach.js';
import type { MarketJobApi } from '../../../workers/jobs/market-api.js';
import type { DecryptRequestBody as WorkerRequestBody } from '../../../workers/market/buyer.js';
import { JobMesh } from '../lib/job-mesh.js';
import { whenOpen } from './mesh-open.js';
import { tryLockJob } from '../lib/job-lock.js';
import { runReported } from '../lib/run-job.js';
import type { Session } from '../lib/session.js';
import * as api from './market-api.js';
import type { MarketState } from './market-state.js';

export type BuyerStatus =
  | { step: 'proposing' }
  | { step: 'waiting-seller'; fetching: boolean }
  | { step: 'waiting-accept' }
  | { step: 'connecting' }
  | { step: 'computing'; stage: string; done?: number; total?: number };

export interface BuyerHooks {
  onStatus(s: BuyerStatus): void;
  /** The ciphertexts came from the service blob while the seller was away (byte count). */
  onFetched(bytes: number): void;
}

const ENDED = ['done', 'failed', 'cancelled', 'expired'];

/** The job's error, or a coded one naming the state it ended in. */
const endedError = (job: Job) => job.error ?? { code: 'ERR_JOB_STATE' as const, message: `the market job was ${job.state}` };

/**
 * Follows one job's updates until `settle(job)` returns true; returns the unsubscribe. Safe
 * when the store answers synchronously with a job that already settles.
 */
function watchJob(session: Session, jobId: string, settle: (job: Job) => boolean): () => void {
  let unsub: (() => void) | null = null;
  let settled = false;
  unsub = session.jobs.subscribe((jobs) => {
    const job = jobs.find((j) => j.id === jobId);
    if (settled || !job || !settle(job)) return;
    settled = true;
    queueMicrotask(() => unsub?.());
  });
  return () => unsub?.();
}

/** Resolves with the job once it is ready (every member accepted); rejects if it ended first. */
function whenReady(session: Session, jobId: string): Promise<Job> {
  return new Promise((resolve, reject) => {
    watchJob(session, jobId, (job) => {
      if (job.state === 'ready' || job.state === 'running') return resolve(job), true;
      if (ENDED.includes(job.state)) return reject(fromErrorInfo(endedError(job))), true;
      return false;
    });
  });
}

/**
 * Resolves with the job's error if it fails (or ends otherwise) at the service: how the buyer
 * learns that the seller's tab refused the session (e.g. ERR_KEY_UNAVAILABLE) without waiting for
 * the connection to time out. `stop` unsubscribes.
 */
function whenFailed(session: Session, jobId: string): { failed: Promise<Outcome<never>>; stop(): void } {
  let stop = () => undefined as void;
  const failed = new Promise<Outcome<never>>((resolve) => {
    stop = watchJob(session, jobId, (job) => {
      if (!ENDED.includes(job.state) || job.state === 'done') return false;
      resolve({ ok: false, error: endedError(job) });
      return true;
    });
  });
  return { failed, stop };
}

export async function computePurchase(
  session: Session,
  market: MarketState,
  purchase: Purchase,
  listing: Listing,
  specs: unknown[],
  hooks: BuyerHooks,
): Promise<Outcome<number[][]>> {
  let mesh: JobMesh<MarketJobApi> | null = null;
  let release: (() => void) | null = null;
  let jobId: string | null = null;
  let started = false;
  let ended: ReturnType<typeof whenFailed> | null = null;
  try {
    hooks.onStatus({ step: 'proposing' });
    const proposed = (await session.call('job:propose', { kind: 'market', peer: purchase.seller, purchase: purchase.id })) as Job;
    jobId = proposed.id;
    const ready = whenReady(session, proposed.id);
    ready.catch(() => undefined);
    const presence = (await session.call('job:presence', { jobId: proposed.id })) as Presence;
    let blob: Uint8Array | null = null;
    if (!presence.online.includes(purchase.seller)) {
      // The seller is away: fetch the ciphertexts from the service meanwhile.
      hooks.onStatus({ step: 'waiting-seller', fetching: true });
      blob = await api.downloadBlob(session, listing.id, 'data');
      hooks.onFetched(blob.length);
      hooks.onStatus({ step: 'waiting-seller', fetching: false });
    } else hooks.onStatus({ step: 'waiting-accept' });
    const job = await ready;
    ended = whenFailed(session, job.id);
    hooks.onStatus({ step: 'connecting' });
    const lock = await tryLockJob(job.id);
    if (!lock) throw new ParleyError('ERR_JOB_STATE', 'this job is open in another tab of this browser');
    release = () => lock.release();
    const m = new JobMesh<MarketJobApi>(session, job);
    mesh = m;
    const refused = await Promise.race([whenOpen(m).then(() => null), ended.failed]);
    if (refused) return refused;
    const fresh = await market.freshPurchase(purchase.id);
    let seq = fresh?.nextSeq ?? purchase.nextSeq;
    const requestDecryption = async (body: WorkerRequestBody): Promise<Outcome<LedgerEntry>> => {
      try {
        const entry = await api.decryptRequest(session, purchase.id, { seq, ...body } satisfies DecryptRequestBody);
        seq++;
        return { ok: true, value: entry };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    };
    const onStage = (stage: string, done?: number, total?: number) => hooks.onStatus({ step: 'computing', stage, ...(done !== undefined ? { done } : {}), ...(total !== undefined ? { total } : {}) });
    hooks.onStatus({ step: 'computing', stage: 'starting' });
    started = true;
    const now = fresh ?? purchase;
    const remaining = { results: listing.policy.budget - now.budgetUsed, conversions: listing.policy.conversionBudget - now.conversionsUsed };
    const run = { publicKey: listing.publicKey, blob, columns: listing.schema, rows: listing.rows, offered: [...listing.policy.computations], specs, remaining };
    const computed = runReported(session, job, m, () => m.engine.marketBuyer(run, Comlink.proxy(requestDecryption), Comlink.proxy(onStage)));
    return await Promise.race([computed, ended.failed]);
  } catch (e) {
    if (jobId && !started) await session.call('job:cancel', { jobId }).catch(() => undefined);
    return { ok: false, error: toErrorInfo(e) };
  } finally {
    ended?.stop();
    const m = mesh;
    const r = release;
    setTimeout(() => {
      m?.stop();
      r?.();
    }, 1000);
    void market.refresh();
  }
}
