// A seller's table on its way to becoming a listing. As soon as the table is loaded the listing
// key is made and the encryption randomness for every value precomputed by the crypto workers in
// the background, while the seller fills in the terms; publish then encrypts the table, makes the
// synthetic test data under a separate test key, signs and publishes the listing, wraps the
// private key into this browser's keystore, and uploads both blobs.

import type { Computation, Listing, PublishBody } from '../../../shared/market.js';
import type { ListingKey } from '../../../workers/market/market.worker.js';
import { tableBlobToBytes } from '../../../workers/market/seller.js';
import { checkBounds, type TypedTable } from '../../../workers/market/table.js';
import { saveListingKey } from './keystore.js';
import * as api from './market-api.js';
import type { MarketState } from './market-state.svelte.js';

const KEY_BITS = 2048;

type PublishStage = 'keys' | 'precompute' | 'encrypting' | 'test-data' | 'publishing' | 'uploading';
export interface PublishProgress {
  stage: PublishStage;
  done?: number;
  total?: number;
}

/** What the seller chose: public bounds per column, terms and policy. */
export interface ListingTerms {
  title: string;
  description: string;
  bounds: { min: number; max: number }[];
  price: number;
  guarantee: number;
  expiryHours: number;
  windowMinutes: number;
  computations: Computation[];
  budget: number;
  conversionBudget: number;
  testRows: number;
}

export interface PublishHooks {
  onProgress(p: PublishProgress): void;
  /** The listing is published; its blobs are being uploaded. */
  onPublished(listing: Listing): void;
}

export class ListingDraft {
  /** The background precomputation of the encryption randomness, while it runs. */
  background: { done: number; total: number } | null = $state.raw(null);
  private readonly key: Promise<ListingKey>;
  private readonly precomputed: Promise<unknown>;

  constructor(
    private readonly market: MarketState,
    readonly table: TypedTable,
  ) {
    this.key = market.marketWorker.makeKey(KEY_BITS, market.connection.name).then((r) => {
      if (!r.ok) throw r.error;
      return r.value;
    });
    const total = table.rows * table.columns.length;
    this.background = { done: 0, total };
    this.precomputed = this.key.then((k) =>
      market.cryptoWorkers.precompute(k.privateKey, total, (done) => (this.background = { done, total })),
    );
    this.precomputed.catch(() => (this.background = null));
  }

  /** A draft replaced by another table: its key's tables and randomness are dropped. */
  discard(): void {
    void this.key.then((k) => this.market.cryptoWorkers.forget(k.publicKey.keyId)).catch(() => undefined);
  }

  async publish(terms: ListingTerms, hooks: PublishHooks): Promise<Listing> {
    const t = this.table;
    const columns = t.columns.map((c, i) => {
      const b = terms.bounds[i]!;
      return { ...c, min: Number(b.min), max: Number(b.max) };
    });
    columns.forEach((c, i) => checkBounds(c, t.extremes[i]!));
    hooks.onProgress({ stage: 'keys' });
    const key = await this.key;
    hooks.onProgress({ stage: 'precompute', ...(this.background ?? {}) });
    const encrypted = await this.market.cryptoWorkers.encryptColumns(key.privateKey, t.values, (phase, done, total) =>
      hooks.onProgress({ stage: phase === 'precompute' ? 'precompute' : 'encrypting', done, total }),
    );
    const blob = tableBlobToBytes({ keyId: encrypted.keyId, rows: t.rows, columns, data: encrypted.columns });
    hooks.onProgress({ stage: 'test-data' });
    const test = await this.market.marketWorker.makeTestData(columns, terms.testRows, KEY_BITS);
    if (!test.ok) throw test.error;
    hooks.onProgress({ stage: 'publishing' });
    const body: PublishBody = {
      title: terms.title,
      description: terms.description,
      schema: columns,
      rows: t.rows,
      price: Number(terms.price),
      guarantee: Number(terms.guarantee),
      expiresAt: Date.now() + Math.round(Number(terms.expiryHours) * 3600_000),
      purchaseWindowSeconds: Math.round(Number(terms.windowMinutes) * 60),
      policy: {
        computations: terms.computations,
        budget: Number(terms.budget),
        conversionBudget: Number(terms.conversionBudget),
      },
      publicKey: key.publicKey,
      test: { publicKey: test.value.publicKey, privateKey: test.value.privateKey, rows: terms.testRows },
    };
    const listing = await this.market.publish(body, blob);
    await saveListingKey(listing.id, key.privateKey);
    hooks.onPublished(listing);
    hooks.onProgress({ stage: 'uploading' });
    await api.uploadBlob(this.market.connection, listing.id, 'data', blob);
    await api.uploadBlob(this.market.connection, listing.id, 'test', test.value.blob);
    return listing;
  }
}
