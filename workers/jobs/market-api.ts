// The page/worker contract of a market job (a buyer and a seller over one purchase), exposed by
// workers/jobs/market.worker.ts with comlink. The worker lives as long as the job's connections.

import type { LedgerEntry } from '../../shared/ledger.js';
import type { DecryptRequestBody } from '../market/buyer.js';
import type { ParamsOpening } from '../market/computations.js';
import type { SellerJob } from '../market/job.js';
import type { PublicKeyJson } from '../market/paillier/index.js';
import type { Column } from '../market/table.js';
import type { AttachApi, Outcome } from './attach.js';

export interface MarketJobApi extends AttachApi {
  /**
   * The seller's end of a market job: serves the buyer until it says goodbye. The worker checks
   * each request's countersignature against `serviceKey`; the page records each decryption on
   * the ledger before it happens.
   */
  marketSeller(
    job: Omit<SellerJob, 'recordDecryption' | 'onServed'>,
    recordDecryption: (seq: number) => Promise<Outcome<null>>,
    onServed: (op: string, count: number) => void,
  ): Promise<Outcome<{ requests: number }>>;

  /** The buyer's end: runs the computations in order and resolves to one answer each. */
  marketBuyer(
    job: {
      publicKey: PublicKeyJson;
      seller: string;
      blob: Uint8Array | null;
      columns: Column[];
      rows: number;
      offered: string[];
      specs: unknown[];
      remaining?: { results: number; conversions: number };
    },
    /** `opening` opens the body's parameter commitment: the page keeps it, it goes nowhere else. */
    requestDecryption: (body: DecryptRequestBody, opening: ParamsOpening) => Promise<Outcome<LedgerEntry>>,
    onStage: (stage: string, done?: number, total?: number) => void,
  ): Promise<Outcome<number[][]>>;
}
