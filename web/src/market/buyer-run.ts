// The buyer's side of a purchase's computation: proposes a market job to the seller, waits for
// the seller's tab (meanwhile fetching the ciphertexts from the service if the seller is
// offline), connects, and runs the job worker's marketBuyer; each decryption request is signed
// here with the purchase's next seq and countersigned by the service.

import * as Comlink from 'comlink';
import { fromErrorInfo, toErrorInfo } from '../../../shared/errors.js';
import type { LedgerEntry } from '../../../shared/ledger.js';
import type { DecryptRequestBody, Listing, Purchase } from '../../../shared/market.js';
import type { Job } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/jobs/attach.js';
import type { MarketJobApi } from '../../../workers/jobs/market-api.js';
import type { DecryptRequestBody as WorkerRequestBody } from '../../../workers/market/buyer.js';
import type { ParamsOpening } from '../../../workers/market/computations.js';
import type { Connection } from '../connection/connection.svelte.js';
import { BUYER, type JobRun } from '../jobs/job-run.svelte.js';
import type { JobRuns } from '../jobs/job-runs.js';
import type { JobMesh } from '../mesh/job-mesh.js';
import * as api from './market-api.js';
import type { MarketState } from './market-state.svelte.js';
import { keepOpening } from './openings.js';

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
const endedError = (job: Job) =>
  job.error ?? { code: 'ERR_JOB_STATE' as const, message: `the market job was ${job.state}` };

/** Resolves with the job once it is ready (every member accepted); rejects if it ended first. */
function whenReady(connection: Connection, jobId: string): Promise<Job> {
  return new Promise((resolve, reject) => {
    connection.watchJob(jobId, (job) => {
      if (job.state === 'ready' || job.state === 'running') return (resolve(job), true);
      if (ENDED.includes(job.state)) return (reject(fromErrorInfo(endedError(job))), true);
      return false;
    });
  });
}

/**
 * Resolves with the job's error if it fails (or ends otherwise) at the service: how the buyer
 * learns that the seller's tab refused the session (e.g. ERR_KEY_UNAVAILABLE) without waiting for
 * the connection to time out. `stop` unsubscribes.
 */
function whenFailed(connection: Connection, jobId: string): { failed: Promise<Outcome<never>>; stop(): void } {
  let stop: () => void = () => undefined;
  const failed = new Promise<Outcome<never>>((resolve) => {
    stop = connection.watchJob(jobId, (job) => {
      if (!ENDED.includes(job.state) || job.state === 'done') return false;
      resolve({ ok: false, error: endedError(job) });
      return true;
    });
  });
  return { failed, stop };
}

export async function computePurchase(
  runs: JobRuns,
  market: MarketState,
  purchase: Purchase,
  listing: Listing,
  specs: unknown[],
  hooks: BuyerHooks,
): Promise<Outcome<number[][]>> {
  const connection = runs.connection;
  let jobId: string | null = null;
  let run: JobRun<MarketJobApi> | null = null;
  let ended: ReturnType<typeof whenFailed> | null = null;
  try {
    hooks.onStatus({ step: 'proposing' });
    const proposed = await connection.call('job:propose', {
      kind: 'market',
      peer: purchase.seller,
      purchase: purchase.id,
    });
    jobId = proposed.id;
    const ready = whenReady(connection, proposed.id);
    ready.catch(() => undefined);
    const presence = await connection.call('job:presence', { jobId: proposed.id });
    let blob: Uint8Array | null = null;
    if (!presence.online.includes(purchase.seller)) {
      // The seller is away: fetch the ciphertexts from the service meanwhile.
      hooks.onStatus({ step: 'waiting-seller', fetching: true });
      blob = await api.downloadBlob(connection, listing.id, 'data');
      hooks.onFetched(blob.length);
      hooks.onStatus({ step: 'waiting-seller', fetching: false });
    } else hooks.onStatus({ step: 'waiting-accept' });
    const job = await ready;
    ended = whenFailed(connection, job.id);
    hooks.onStatus({ step: 'connecting' });
    run = runs.market(job);
    const compute = async (mesh: JobMesh<MarketJobApi>): Promise<Outcome<number[][]>> => {
      const fresh = (await market.freshPurchase(purchase.id)) ?? purchase;
      let seq = fresh.nextSeq;
      const requestDecryption = async (
        body: WorkerRequestBody,
        opening: ParamsOpening,
      ): Promise<Outcome<LedgerEntry>> => {
        try {
          const request: DecryptRequestBody = { seq, ...body };
          const entry = await api.decryptRequest(connection, purchase.id, request);
          // The salt stays in this browser: without it the ledger's commitment says nothing.
          await keepOpening(purchase.id, seq, opening).catch(() => undefined);
          seq++;
          return { ok: true, value: entry };
        } catch (e) {
          return { ok: false, error: toErrorInfo(e) };
        }
      };
      const onStage = (stage: string, done?: number, total?: number) =>
        hooks.onStatus({
          step: 'computing',
          stage,
          ...(done !== undefined ? { done } : {}),
          ...(total !== undefined ? { total } : {}),
        });
      hooks.onStatus({ step: 'computing', stage: 'starting' });
      const remaining = {
        results: listing.policy.budget - fresh.budgetUsed,
        conversions: listing.policy.conversionBudget - fresh.conversionsUsed,
      };
      const spec = {
        publicKey: listing.publicKey,
        seller: listing.seller,
        blob,
        columns: listing.schema,
        rows: listing.rows,
        offered: [...listing.policy.computations],
        specs,
        remaining,
      };
      return mesh.engine.marketBuyer(spec, Comlink.proxy(requestDecryption), Comlink.proxy(onStage));
    };
    return await run.run(BUYER, compute, { abort: ended.failed });
  } catch (e) {
    // Ended before the run began: withdraw the proposal.
    if (jobId) await connection.call('job:cancel', { jobId }).catch(() => undefined);
    return { ok: false, error: toErrorInfo(e) };
  } finally {
    ended?.stop();
    run?.stop();
    void market.refresh();
  }
}
