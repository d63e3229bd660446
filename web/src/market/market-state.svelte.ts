// The marketplace as this tab sees it, and the only writer of it: listings, this participant's
// purchases (as buyer or seller) and balance, kept fresh by the service's pushes and refreshed on
// every (re)connect; the market calls that change them (publish, buy, settle); plus the encrypted
// tables this tab prepared, kept in memory for serving buyers, and the page's market workers.

import * as Comlink from 'comlink';
import type { Balance, Listing, PublishBody, Purchase } from '../../../shared/market.js';
import { CryptoWorkers } from '../../../workers/market/crypto-workers.js';
import type { MarketWorkerApi } from '../../../workers/market/market.worker.js';
import type { Connection } from '../connection/connection.svelte.js';
import * as api from './market-api.js';

const newestFirst = <T extends { id: string; createdAt: number }>(list: readonly T[], item: T): T[] =>
  [item, ...list.filter((x) => x.id !== item.id)].sort((a, b) => b.createdAt - a.createdAt);

export class MarketState {
  listings: readonly Listing[] = $state.raw([]);
  purchases: readonly Purchase[] = $state.raw([]);
  balance: Balance | null = $state.raw(null);
  /** Encrypted tables prepared in this tab, by listing id (otherwise fetched from the service). */
  private readonly ownBlobs = new Map<string, Uint8Array>();
  private worker: Comlink.Remote<MarketWorkerApi> | null = null;
  private crypto: CryptoWorkers | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(readonly connection: Connection) {
    this.offs.push(
      connection.listen('market:purchase', (p) => {
        this.purchases = newestFirst(this.purchases, p);
        void this.refreshBalance();
      }),
      connection.listen('market:listing', (l) => (this.listings = newestFirst(this.listings, l))),
      connection.watchOnline(() => void this.refresh()),
    );
  }

  /** The page's market worker (keys, encryption, test computations), started on first use. */
  get marketWorker(): Comlink.Remote<MarketWorkerApi> {
    if (!this.worker) {
      const name = 'parley-market';
      const w = new Worker(new URL('../../../workers/market/market.worker.ts', import.meta.url), {
        type: 'module',
        name,
      });
      this.worker = Comlink.wrap<MarketWorkerApi>(w);
    }
    return this.worker;
  }

  /** The page's crypto workers (one per core) that encrypt a seller's table, started on first use. */
  get cryptoWorkers(): CryptoWorkers {
    return (this.crypto ??= new CryptoWorkers());
  }

  async refresh(): Promise<void> {
    try {
      const [l, p] = await Promise.all([api.listings(this.connection), api.purchases(this.connection)]);
      this.listings = l;
      this.purchases = p;
      await this.refreshBalance();
    } catch {
      /* offline: the next connect refreshes */
    }
  }

  async refreshBalance(): Promise<void> {
    try {
      this.balance = await api.balance(this.connection);
    } catch {
      /* offline */
    }
  }

  listing(id: string): Listing | undefined {
    return this.listings.find((l) => l.id === id);
  }

  purchase(id: string): Purchase | undefined {
    return this.purchases.find((p) => p.id === id);
  }

  /** The listing as the service has it now (when this tab has not loaded it yet). */
  async freshListing(id: string): Promise<Listing | undefined> {
    this.listings = await api.listings(this.connection);
    return this.listing(id);
  }

  /** The purchase as the service has it now (its nextSeq counts the decrypt-requests). */
  async freshPurchase(id: string): Promise<Purchase | undefined> {
    const list = await api.purchases(this.connection);
    this.purchases = list;
    return list.find((p) => p.id === id);
  }

  /** Publishes a signed listing, keeping its encrypted table in this tab for serving buyers. */
  async publish(body: PublishBody, blob: Uint8Array): Promise<Listing> {
    const listing = await api.publish(this.connection, body);
    this.ownBlobs.set(listing.id, blob);
    this.listings = newestFirst(this.listings, listing);
    return listing;
  }

  /** The listing's encrypted table: the one this tab made, or its upload fetched back once. */
  async encryptedTable(listing: string): Promise<Uint8Array> {
    const blob = this.ownBlobs.get(listing) ?? (await api.downloadBlob(this.connection, listing, 'data'));
    this.ownBlobs.set(listing, blob);
    return blob;
  }

  /** Runs a computation on the listing's synthetic test data, in this tab (free, nothing bought). */
  async tryOnTestData(listing: Listing, spec: unknown): Promise<number[]> {
    const blob = await api.downloadBlob(this.connection, listing.id, 'test');
    const r = await this.marketWorker.runTest(listing.test.privateKey, blob, spec, [...listing.policy.computations]);
    if (!r.ok) throw r.error;
    return r.value;
  }

  async buy(listing: string): Promise<Purchase> {
    // No escrow for a listing whose key the buyer's job would refuse (ERR_BAD_KEY).
    const l = this.listing(listing);
    if (l) {
      const checked = await this.marketWorker.checkListingKey(l.publicKey, l.seller);
      if (!checked.ok) throw checked.error;
    }
    const p = await api.buy(this.connection, listing);
    this.purchases = newestFirst(this.purchases, p);
    await this.refreshBalance();
    return p;
  }

  /** Confirms, cancels or disputes a purchase (a seller may dispute its sale). */
  async settle(type: 'confirm' | 'cancel' | 'dispute', purchase: string, reason?: string): Promise<Purchase> {
    const p = await api.settle(this.connection, type, purchase, reason);
    this.purchases = this.purchases.map((x) => (x.id === p.id ? p : x));
    await this.refreshBalance();
    return p;
  }

  close(): void {
    for (const off of this.offs) off();
    this.crypto?.terminate();
  }
}
