// The marketplace as this tab sees it: listings, this participant's purchases (as buyer or
// seller) and balance, kept fresh by the service's pushes and refreshed on every (re)connect;
// plus the encrypted tables this tab prepared, kept in memory for serving buyers.

import * as Comlink from 'comlink';
import { get, writable, type Writable } from 'svelte/store';
import type { Balance, Listing, Purchase } from '../../../shared/market.js';
import { CryptoWorkers } from '../../../workers/market/crypto-workers.js';
import type { MarketWorkerApi } from '../../../workers/market/market.worker.js';
import type { Session } from '../lib/session.js';
import * as api from './market-api.js';

export class MarketState {
  readonly listings: Writable<Listing[]> = writable([]);
  readonly purchases: Writable<Purchase[]> = writable([]);
  readonly balance: Writable<Balance | null> = writable(null);
  /** Encrypted tables prepared in this tab, by listing id (otherwise fetched from the service). */
  readonly ownBlobs = new Map<string, Uint8Array>();
  private worker: Comlink.Remote<MarketWorkerApi> | null = null;
  private pool: CryptoWorkers | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(readonly session: Session) {
    const s = session.socket;
    const onPurchase = (p: Purchase) => {
      this.purchases.update((list) => [p, ...list.filter((x) => x.id !== p.id)].sort((a, b) => b.createdAt - a.createdAt));
      void this.refreshBalance();
    };
    const onListing = (l: Listing) => this.listings.update((list) => [l, ...list.filter((x) => x.id !== l.id)].sort((a, b) => b.createdAt - a.createdAt));
    const onConnect = () => void this.refresh();
    s.on('market:purchase', onPurchase);
    s.on('market:listing', onListing);
    s.on('connect', onConnect);
    this.offs.push(() => s.off('market:purchase', onPurchase), () => s.off('market:listing', onListing), () => s.off('connect', onConnect));
    if (s.connected) void this.refresh();
  }

  /** The page's market worker (keys, encryption, test computations), started on first use. */
  get marketWorker(): Comlink.Remote<MarketWorkerApi> {
    if (!this.worker) {
      const w = new Worker(new URL('../../../workers/market/market.worker.ts', import.meta.url), { type: 'module', name: 'parley-market' });
      this.worker = Comlink.wrap<MarketWorkerApi>(w);
    }
    return this.worker;
  }

  /** The page's pool of crypto workers (one per core) that encrypts a seller's table, started on first use. */
  get cryptoPool(): CryptoWorkers {
    return (this.pool ??= new CryptoWorkers());
  }

  async refresh(): Promise<void> {
    try {
      const [l, p] = await Promise.all([api.listings(this.session), api.purchases(this.session)]);
      this.listings.set(l);
      this.purchases.set(p);
      await this.refreshBalance();
    } catch {
      /* offline: the next connect refreshes */
    }
  }

  async refreshBalance(): Promise<void> {
    try {
      this.balance.set(await api.balance(this.session));
    } catch {
      /* offline */
    }
  }

  listing(id: string): Listing | undefined {
    return get(this.listings).find((l) => l.id === id);
  }

  /** The purchase as the service has it now (its nextSeq counts the decrypt-requests). */
  async freshPurchase(id: string): Promise<Purchase | undefined> {
    const list = await api.purchases(this.session);
    this.purchases.set(list);
    return list.find((p) => p.id === id);
  }

  close(): void {
    for (const off of this.offs) off();
    this.pool?.terminate();
  }
}
