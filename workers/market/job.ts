// A market job's two ends as the job's compute worker runs them: the seller serves one buyer
// (ciphertexts, checked decryptions, conversions) and the buyer runs its computations, asking
// the page for each countersigned request. The engine session for conversions is made on first
// use and shared by all conversions of the job, in the same order at both ends.

import { ParleyError } from '../../shared/errors.js';
import type { LedgerEntry } from '../../shared/ledger.js';
import type { Pool } from '../pool/pool.js';
import { createSession, type SecureSession } from '../securenumpy/index.js';
import { computePurchased, type DecryptRequestBody } from './buyer.js';
import { SellerLink, serveBuyer } from './channel.js';
import { checkSpec, conversionCount, type ParamsOpening, resultCount, usesColumn } from './computations.js';
import { listingKeyFromJson, type PublicKeyJson, privateKeyFromBytes } from './paillier/index.js';
import { openTable, tableBlobFromBytes } from './seller.js';
import type { Column } from './table.js';

export interface SellerJob {
  purchase: string;
  buyer: string;
  privateKey: Uint8Array;
  /** The listing as published: each request is checked against its schema, rows and policy. */
  listing: { schema: Column[]; rows: number; computations: string[] };
  /** The listing's table blob (the seller keeps it, or fetches its own upload). */
  blob: Uint8Array;
  /** The service's Ed25519 public key, to check each request's countersignature. */
  serviceKey: CryptoKey;
  recordDecryption(seq: number): Promise<void>;
  onServed?(op: string, count: number): void;
}

export interface BuyerJob {
  /** The listing's key with its modulus proof, checked against `seller` before any work (ERR_BAD_KEY). */
  publicKey: PublicKeyJson;
  seller: string;
  /** The listing's table blob fetched from the service, or null to fetch it from the seller. */
  blob: Uint8Array | null;
  /** The listing's schema, row count and offered computations. */
  columns: Column[];
  rows: number;
  offered: readonly string[];
  specs: unknown[];
  /**
   * What the purchase has left (the listing's budgets minus what was decrypted): a computation
   * that needs more fails with ERR_BUDGET before any work. The service still decides.
   */
  remaining?: { results: number; conversions: number };
  requestDecryption(body: DecryptRequestBody, opening: ParamsOpening): Promise<LedgerEntry>;
  onStage?(stage: string, done?: number, total?: number): void;
}

function lazyEngine(pool: Pool, party: 0 | 1): { snp(): SecureSession['snp']; close(): Promise<void> } {
  let session: SecureSession | null = null;
  return {
    snp: () => (session ??= createSession(pool, { party, reveal: [0] })).snp,
    close: async () => void (await session?.close()),
  };
}

/** The seller's end (party 1): serves the buyer (party 0) until it says goodbye. */
export async function runSellerJob(pool: Pool, job: SellerJob): Promise<{ requests: number }> {
  const sk = await privateKeyFromBytes(job.privateKey);
  const blob = tableBlobFromBytes(job.blob);
  if (blob.keyId !== sk.publicKey.keyId)
    throw new ParleyError('ERR_WRONG_KEY', 'the table blob is not under this listing key');
  if (blob.rows !== job.listing.rows)
    throw new ParleyError(
      'ERR_LENGTH_MISMATCH',
      `the table blob holds ${blob.rows} rows, the listing ${job.listing.rows}`,
    );
  const engine = lazyEngine(pool, 1);
  try {
    return await serveBuyer(pool, 0, {
      purchase: job.purchase,
      buyer: job.buyer,
      sk,
      listing: job.listing,
      table: async () => ({ rows: blob.rows, columns: blob.data }),
      serviceKey: job.serviceKey,
      recordDecryption: job.recordDecryption,
      engine: engine.snp,
      onServed: job.onServed,
    });
  } finally {
    await engine.close();
  }
}

/** The buyer's end (party 0): one answer per spec, in order. */
export async function runBuyerJob(pool: Pool, job: BuyerJob): Promise<number[][]> {
  const pk = await listingKeyFromJson(job.publicKey, job.seller);
  const link = new SellerLink(pool, 1);
  const engine = lazyEngine(pool, 0);
  try {
    // Checked first, so a bad spec costs no transfer; then only the columns they use travel.
    const rowsOf = job.blob ? tableBlobFromBytes(job.blob) : null;
    const rows = rowsOf?.rows ?? job.rows;
    const specs = job.specs.map((raw) => checkSpec(raw, job.columns, rows, job.offered));
    if (job.remaining) {
      const need = (f: typeof resultCount) => specs.reduce((a, spec) => a + f(spec, rows), 0);
      checkRemaining(job.remaining, need(resultCount), need(conversionCount));
    }
    let blob = rowsOf;
    if (!blob) {
      job.onStage?.('fetching');
      const used = job.columns.flatMap((c, i) => (specs.some((s) => usesColumn(s, c.name)) ? [i] : []));
      const t = await link.fetch(used);
      blob = { keyId: t.keyId, rows: t.rows, columns: used.map((i) => job.columns[i]!), data: t.columns };
    }
    const table = openTable(pk, blob);
    const results: number[][] = [];
    for (const spec of specs) {
      results.push(
        await computePurchased(link, spec, {
          pk,
          table,
          schema: job.columns,
          requestDecryption: job.requestDecryption,
          engine: engine.snp,
          onStage: job.onStage,
        }),
      );
    }
    await link.bye();
    return results;
  } finally {
    await engine.close();
  }
}

/** Refuses, before any work, computations that need more than the purchase has left. */
function checkRemaining(left: { results: number; conversions: number }, results: number, conversions: number): void {
  if (results > left.results)
    throw new ParleyError('ERR_BUDGET', `this needs ${results} result values; the purchase has ${left.results} left`);
  if (conversions > left.conversions)
    throw new ParleyError(
      'ERR_BUDGET',
      `this needs ${conversions} conversions; the purchase has ${left.conversions} left`,
    );
}
