// The seller's tab serves its buyers by itself: it accepts market jobs for its own active
// purchases, connects, and runs the job worker's marketSeller with the listing's private key
// from the keystore and the encrypted table (kept in memory, or its own upload fetched back).
// The worker checks each request's countersignature (with the service key handed to it here),
// and each decryption is recorded on the ledger, before the key touches the ciphertexts.

import * as Comlink from 'comlink';
import { type ErrorInfo, ParleyError, toErrorInfo } from '../../../shared/errors.js';
import type { Listing } from '../../../shared/market.js';
import type { Job } from '../../../shared/protocol.js';
import type { Outcome } from '../../../workers/jobs/attach.js';
import type { MarketJobApi } from '../../../workers/jobs/market-api.js';
import type { Connection } from '../connection/connection.svelte.js';
import { getServiceKey } from '../connection/service-info.js';
import { SELLER } from '../jobs/job-run.svelte.js';
import type { JobRuns } from '../jobs/job-runs.js';
import type { JobMesh } from '../mesh/job-mesh.js';
import { loadListingKey } from './keystore.js';
import * as api from './market-api.js';
import type { MarketState } from './market-state.svelte.js';

export interface ServedJob {
  purchase: string;
  buyer: string;
  state: 'serving' | 'done' | 'failed';
  requests: number;
  error: ErrorInfo | null;
}

/** What the seller's worker gets for one purchase. */
interface SellerInputs {
  purchase: string;
  buyer: string;
  privateKey: Uint8Array;
  /** The listing as published: the worker checks every request against it. */
  listing: { schema: Listing['schema']; rows: number; computations: string[] };
  blob: Uint8Array;
  serviceKey: CryptoKey;
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
        if (p && p.seller === me && p.buyer === job.members[0] && p.state === 'active')
          await this.connection.call('job:accept', { jobId: job.id });
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
    const run = this.runs.market(job);
    if (!(await run.open())) return run.stop(0); // another tab of this browser serves it
    const purchaseId = job.purchase!;
    const status: ServedJob = {
      purchase: purchaseId,
      buyer: job.members[0]!,
      state: 'serving',
      requests: 0,
      error: null,
    };
    this.setServed(job.id, status);
    let inputs: SellerInputs | null = null;
    const prepare = async () => {
      const p = await this.purchaseOf(job);
      if (!p || p.seller !== this.connection.name) {
        throw new ParleyError('ERR_NO_PURCHASE', `purchase ${purchaseId} is not one of this seller's`);
      }
      const l = this.market.listing(p.listing) ?? (await this.market.freshListing(p.listing));
      if (!l) throw new ParleyError('ERR_UNKNOWN_LISTING', `no listing ${p.listing}`);
      const listing = { schema: l.schema, rows: l.rows, computations: [...l.policy.computations] };
      const privateKey = await loadListingKey(p.listing);
      const serviceKey = await getServiceKey();
      const blob = await this.market.encryptedTable(p.listing);
      inputs = { purchase: purchaseId, buyer: p.buyer, privateKey, listing, blob, serviceKey };
    };
    const onServed = (_op: string, count: number) => this.setServed(job.id, { ...status, requests: count });
    const outcome = await run.run(SELLER, (mesh) => this.sell(mesh, inputs!, onServed), { prepare });
    if (outcome.ok) this.setServed(job.id, { ...status, state: 'done', requests: outcome.value.requests });
    else this.setServed(job.id, { ...status, state: 'failed', error: outcome.error });
    run.stop();
  }

  /** The seller's compute: decrypts what the buyer asks for, each decryption recorded on the ledger first. */
  private sell(mesh: JobMesh<MarketJobApi>, inputs: SellerInputs, onServed: (op: string, count: number) => void) {
    const recordDecryption = async (seq: number): Promise<Outcome<null>> => {
      try {
        await api.recordDecryption(this.connection, inputs.purchase, seq);
        return { ok: true, value: null };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    };
    return mesh.engine.marketSeller(inputs, Comlink.proxy(recordDecryption), Comlink.proxy(onServed));
  }

  close(): void {
    this.unsubscribe();
  }
}
