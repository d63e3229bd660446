// The seller's tab serves its buyers by itself: it accepts market jobs for its own active
// purchases, connects, and runs the job worker's marketSeller with the listing's private key
// from the keystore and the encrypted table (kept in memory, or its own upload fetched back).
// The worker checks each request's countersignature (with the service key handed to it here),
// and each decryption is recorded on the ledger, before the key touches the ciphertexts.

import * as Comlink from 'comlink';
import { ParleyError, toErrorInfo, type ErrorInfo } from '../../../shared/errors.js';
import type { Job } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/jobs/attach.js';
import type { MarketJobApi } from '../../../workers/jobs/market-api.js';
import { JobMesh } from '../lib/job-mesh.js';
import { tryLockJob } from '../lib/job-lock.js';
import type { Session } from '../lib/session.js';
import { get, writable, type Writable } from 'svelte/store';
import * as api from './market-api.js';
import { loadListingKey } from './keystore.js';
import { whenOpen } from './mesh-open.js';
import type { MarketState } from './market-state.js';

export interface ServedJob {
  purchase: string;
  buyer: string;
  state: 'serving' | 'done' | 'failed';
  requests: number;
  error: ErrorInfo | null;
}

export class SellerService {
  /** What this tab served, by job id (for the Sell panel). */
  readonly served: Writable<Record<string, ServedJob>> = writable({});
  private readonly seen = new Set<string>();
  private readonly accepting = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: Session,
    private readonly market: MarketState,
  ) {
    this.unsubscribe = session.jobs.subscribe((jobs) => {
      for (const job of jobs) void this.consider(job);
    });
  }

  private async purchaseOf(job: Job) {
    if (!job.purchase) return undefined;
    const known = get(this.market.purchases).find((p) => p.id === job.purchase);
    return known ?? (await this.market.freshPurchase(job.purchase));
  }

  private async consider(job: Job): Promise<void> {
    const me = this.session.name;
    if (job.kind !== 'market' || job.members[1] !== me || !job.purchase) return;
    if (job.state === 'proposed' && !job.accepted.includes(me) && !this.accepting.has(job.id)) {
      this.accepting.add(job.id);
      try {
        const p = await this.purchaseOf(job);
        if (p && p.seller === me && p.buyer === job.members[0] && p.state === 'active') await this.session.call('job:accept', { jobId: job.id });
      } catch {
        this.accepting.delete(job.id); // try again on the next update
      }
      return;
    }
    if ((job.state === 'ready' || job.state === 'running') && !this.seen.has(job.id)) {
      this.seen.add(job.id);
      await this.serve(job);
    }
  }

  private setServed(jobId: string, s: ServedJob): void {
    this.served.update((all) => ({ ...all, [jobId]: s }));
  }

  private async serve(job: Job): Promise<void> {
    const lock = await tryLockJob(job.id);
    if (!lock) return; // another tab of this browser serves it
    const purchaseId = job.purchase!;
    const status: ServedJob = { purchase: purchaseId, buyer: job.members[0]!, state: 'serving', requests: 0, error: null };
    this.setServed(job.id, status);
    const mesh = new JobMesh<MarketJobApi>(this.session, job);
    let outcome: Outcome<{ requests: number }>;
    try {
      const p = await this.purchaseOf(job);
      if (!p || p.seller !== this.session.name) throw new ParleyError('ERR_NO_PURCHASE', `purchase ${purchaseId} is not one of this seller's`);
      const privateKey = await loadListingKey(p.listing);
      const serviceKey = await api.serviceVerifyKey();
      const blob = this.market.ownBlobs.get(p.listing) ?? (await api.downloadBlob(this.session, p.listing, 'data'));
      this.market.ownBlobs.set(p.listing, blob);
      await mesh.ready;
      await whenOpen(mesh);
      mesh.markComputing();
      const recordDecryption = async (seq: number): Promise<Outcome<null>> => {
        try {
          await api.recordDecryption(this.session, purchaseId, seq);
          return { ok: true, value: null };
        } catch (e) {
          return { ok: false, error: toErrorInfo(e) };
        }
      };
      const onServed = (_op: string, count: number) => this.setServed(job.id, { ...status, requests: count });
      outcome = await mesh.engine.marketSeller(
        { purchase: purchaseId, buyer: p.buyer, privateKey, blob, serviceKey },
        Comlink.proxy(recordDecryption), Comlink.proxy(onServed),
      );
    } catch (e) {
      outcome = { ok: false, error: toErrorInfo(e) };
    }
    if (outcome.ok) this.setServed(job.id, { ...status, state: 'done', requests: outcome.value.requests });
    else {
      this.setServed(job.id, { ...status, state: 'failed', error: outcome.error });
      if (outcome.error.code !== 'ERR_PEER_ABORTED') {
        await this.session.call('job:finish', { jobId: job.id, outcome: 'failed', code: outcome.error.code }).catch(() => undefined);
      }
    }
    setTimeout(() => {
      mesh.stop();
      lock.release();
    }, 1000);
  }

  close(): void {
    this.unsubscribe();
  }
}
