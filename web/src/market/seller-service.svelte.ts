// The seller's tab serves its buyers by itself: it accepts market jobs for its own active
// purchases, connects, and runs the job worker's marketSeller with the listing's private key
// from the keystore and the encrypted table (kept in memory, or its own upload fetched back).
// Each request's countersignature is checked, and each decryption recorded on the ledger,
// before the key touches the ciphertexts.

import * as Comlink from 'comlink';
import { ParleyError, toErrorInfo, type ErrorInfo } from '../../../shared/errors.js';
import type { LedgerEntry } from '../../../shared/ledger.js';
import type { Job } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/engine-api.js';
import { SELLER } from '../jobs/job-run.svelte.js';
import type { JobRuns } from '../jobs/job-runs.js';
import type { JobMesh } from '../lib/job-mesh.js';
import type { Connection } from '../connection/connection.svelte.js';
import * as api from './market-api.js';
import { loadListingKey } from './keystore.js';
import type { MarketState } from './market-state.svelte.js';

export interface ServedJob {
  purchase: string;
  buyer: string;
  state: 'serving' | 'done' | 'failed';
  requests: number;
  error: ErrorInfo | null;
}

export class SellerService {
  /** What this tab served, by job id (for the Sell panel). */
  served: Readonly<Record<string, ServedJob>> = $state.raw({});
  private readonly seen = new Set<string>();
  private readonly accepting = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly connection: Connection,
    private readonly market: MarketState,
    private readonly runs: JobRuns,
  ) {
    this.unsubscribe = connection.watchJobs((jobs) => {
      for (const job of jobs) void this.consider(job);
    });
  }

  private async purchaseOf(job: Job) {
    if (!job.purchase) return undefined;
    const known = this.market.purchase(job.purchase);
    return known ?? (await this.market.freshPurchase(job.purchase));
  }

  private async consider(job: Job): Promise<void> {
    const me = this.connection.name;
    if (job.kind !== 'market' || job.members[1] !== me || !job.purchase) return;
    if (job.state === 'proposed' && !job.accepted.includes(me) && !this.accepting.has(job.id)) {
      this.accepting.add(job.id);
      try {
        const p = await this.purchaseOf(job);
        if (p && p.seller === me && p.buyer === job.members[0] && p.state === 'active') await this.connection.call('job:accept', { jobId: job.id });
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
    this.served = { ...this.served, [jobId]: s };
  }

  private async serve(job: Job): Promise<void> {
    const run = this.runs.of(job);
    if (!(await run.open())) return run.stop(0); // another tab of this browser serves it
    const purchaseId = job.purchase!;
    const status: ServedJob = { purchase: purchaseId, buyer: job.members[0]!, state: 'serving', requests: 0, error: null };
    this.setServed(job.id, status);
    let inputs: { buyer: string; privateKey: Uint8Array; blob: Uint8Array } | null = null;
    const prepare = async () => {
      const p = await this.purchaseOf(job);
      if (!p || p.seller !== this.connection.name) throw new ParleyError('ERR_NO_PURCHASE', `purchase ${purchaseId} is not one of this seller's`);
      inputs = { buyer: p.buyer, privateKey: await loadListingKey(p.listing), blob: await this.market.encryptedTable(p.listing) };
    };
    const onServed = (_op: string, count: number) => this.setServed(job.id, { ...status, requests: count });
    const outcome = await run.run(SELLER, (mesh) => this.sell(mesh, purchaseId, inputs!, onServed), { prepare });
    if (outcome.ok) this.setServed(job.id, { ...status, state: 'done', requests: outcome.value.requests });
    else this.setServed(job.id, { ...status, state: 'failed', error: outcome.error });
    run.stop();
  }

  /** The seller's compute: decrypts what the buyer asks for, each request checked and recorded first. */
  private sell(
    mesh: JobMesh,
    purchaseId: string,
    inputs: { buyer: string; privateKey: Uint8Array; blob: Uint8Array },
    onServed: (op: string, count: number) => void,
  ): Promise<Outcome<{ requests: number }>> {
    const checkEntry = async (entry: LedgerEntry): Promise<Outcome<null>> => {
      if (!(await api.hasServiceSignature(entry))) return { ok: false, error: { code: 'ERR_BAD_SIGNATURE', message: 'the request entry does not carry the service signature' } };
      if (entry.purchase !== purchaseId || entry.actor !== inputs.buyer) return { ok: false, error: { code: 'ERR_ALTERED', message: 'the request entry names another purchase or buyer' } };
      return { ok: true, value: null };
    };
    const recordDecryption = async (seq: number): Promise<Outcome<null>> => {
      try {
        await api.recordDecryption(this.connection, purchaseId, seq);
        return { ok: true, value: null };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    };
    return mesh.engine.marketSeller(
      { purchase: purchaseId, buyer: inputs.buyer, privateKey: inputs.privateKey, blob: inputs.blob },
      Comlink.proxy(checkEntry), Comlink.proxy(recordDecryption), Comlink.proxy(onServed),
    );
  }

  close(): void {
    this.unsubscribe();
  }
}
