// The marketplace's rules: publishing, buying into escrow, decrypt-requests against the policy,
// sequence and budget, recorded decryptions, confirm / cancel / dispute, the operator's
// resolution, and the expiry sweep (listings; purchase windows → payout). Every change is one
// ledger commit: refusals are thrown while planning, so they leave balances and ledger untouched.

import type { z } from 'zod';
import { ParleyError } from '../shared/errors.js';
import type { LedgerEntry, MarketRequestType } from '../shared/ledger.js';
import {
  type BlobKind,
  buyBody,
  decryptionBody,
  decryptRequestBody,
  type Listing,
  type Purchase,
  publishBody,
  reasonBody,
  type SignedRequest,
} from '../shared/market.js';
import { checkRequestShape } from '../shared/market-bounds.js';
import type { Role } from '../shared/protocol.js';
import type { Auth } from './auth.js';
import { type Draft, type LedgerStore, type Plan, serviceDraft } from './ledger-store.js';
import { type Verified, verifySigned } from './market-requests.js';
import { expireListing, expirePurchase, payoutMoves, refundMoves, resolveDispute } from './market-settle.js';
import type { Notifier } from './notifier.js';
import type { Store } from './store.js';
import type { LedgerReader } from './store-market.js';

/** Refuses `count` more values of `kind` beyond what the purchase has already had decrypted. */
function checkBudget(p: Purchase, l: Listing, kind: 'result' | 'conversion', count: number): void {
  if (kind === 'result' && p.budgetUsed + count > l.policy.budget) {
    throw new ParleyError(
      'ERR_BUDGET',
      `${count} more result values would exceed the budget (${p.budgetUsed} of ${l.policy.budget} used)`,
    );
  }
  if (kind === 'conversion' && p.conversionsUsed + count > l.policy.conversionBudget) {
    throw new ParleyError(
      'ERR_BUDGET',
      `${count} more conversions would exceed the budget (${p.conversionsUsed} of ${l.policy.conversionBudget} used)`,
    );
  }
}

export class Market {
  readonly store: Store;
  private sweeping = false;
  /** Ledger entries already pushed to tabs (entries the operator CLI appends are pushed by sweep). */
  private pushedSeq: number | null = null;

  constructor(
    readonly ledger: LedgerStore,
    private readonly auth: Auth,
    private readonly now: () => number,
    /** Pushes changed purchases and listings to the people concerned. */
    private readonly notifier: Notifier,
  ) {
    this.store = ledger.store;
  }

  listings(me: string): Promise<Listing[]> {
    return this.store.listingsFor(me);
  }

  purchases(me: string): Promise<Purchase[]> {
    return this.store.purchasesOf(me);
  }

  balance(me: string): Promise<{ balance: number; escrow: number }> {
    return this.store.getBalance(me);
  }

  private verify<S extends z.ZodType>(
    me: string,
    type: MarketRequestType,
    signed: SignedRequest,
    schema: S,
    role?: Role,
  ): Promise<Verified<z.infer<S>>> {
    return verifySigned({ auth: this.auth, store: this.store, now: this.now }, me, type, signed, schema, role);
  }

  private async listingOf(tx: LedgerReader, id: string): Promise<Listing> {
    const l = await tx.getListing(id);
    if (!l) throw new ParleyError('ERR_UNKNOWN_LISTING', `no listing ${id}`);
    return l;
  }

  isExpired(l: Listing): boolean {
    return l.state !== 'active' || l.expiresAt <= this.now();
  }

  async publish(me: string, signed: SignedRequest): Promise<Listing> {
    const v = await this.verify(me, 'publish', signed, publishBody, 'seller');
    if (v.listing || v.purchase)
      throw new ParleyError(
        'ERR_BAD_REQUEST',
        'a publish request names no listing or purchase: the service assigns the id',
      );
    if (v.body.expiresAt <= this.now() + 60_000)
      throw new ParleyError('ERR_BAD_REQUEST', 'expiresAt must be at least a minute in the future');
    const listing = await this.ledger.commit(() => {
      const l: Listing = {
        ...v.body,
        id: crypto.randomUUID(),
        seller: me,
        blobs: { data: null, test: null },
        createdAt: this.now(),
        state: 'active',
      };
      return {
        entries: [{ ...v.draft, listing: l.id, purchase: null }],
        nonces: [v.nonce],
        writes: [{ put: 'listing', listing: l }],
        result: () => l,
      };
    });
    this.notifier.listing(listing);
    return listing;
  }

  async buy(me: string, signed: SignedRequest): Promise<Purchase> {
    const v = await this.verify(me, 'buy', signed, buyBody, 'buyer');
    if (!v.listing || v.purchase)
      throw new ParleyError('ERR_BAD_REQUEST', 'a buy request names the listing (and no purchase)');
    const listingId = v.listing;
    const p = await this.ledger.commit(async (tx) => {
      const l = await this.listingOf(tx, listingId);
      if (this.isExpired(l)) throw new ParleyError('ERR_LISTING_EXPIRED', 'the listing has expired');
      if (l.seller === me) throw new ParleyError('ERR_BAD_REQUEST', 'sellers do not buy their own listings');
      const due = l.price + l.guarantee;
      const { balance } = await tx.getBalance(me);
      if (balance < due)
        throw new ParleyError(
          'ERR_INSUFFICIENT_CREDITS',
          `the purchase needs ${due} credits (price ${l.price} + guarantee ${l.guarantee}); the balance is ${balance}`,
        );
      const t = this.now();
      const purchase: Purchase = {
        id: crypto.randomUUID(),
        listing: l.id,
        buyer: me,
        seller: l.seller,
        price: l.price,
        guarantee: l.guarantee,
        state: 'active',
        budgetUsed: 0,
        conversionsUsed: 0,
        nextSeq: 1,
        decryptions: 0,
        createdAt: t,
        expiresAt: Math.min(t + l.purchaseWindowSeconds * 1000, l.expiresAt),
      };
      return {
        entries: [{ ...v.draft, listing: l.id, purchase: purchase.id }],
        nonces: [v.nonce],
        moves: [{ name: me, balance: -due, escrow: due }],
        writes: [{ put: 'purchase', purchase }],
        result: () => purchase,
      };
    });
    this.notifier.purchase(p);
    return p;
  }

  /** Loads the purchase a signed request names, checking that its listing id (if given) matches. */
  private async purchaseFor(
    tx: LedgerReader,
    v: Verified<unknown>,
    missing: 'ERR_NO_PURCHASE' | 'ERR_ALTERED',
  ): Promise<Purchase> {
    const p = v.purchase ? await tx.getPurchase(v.purchase) : null;
    if (!p) throw new ParleyError(missing, `no purchase ${v.purchase ?? '(none named)'}`);
    if (v.listing !== undefined && v.listing !== p.listing)
      throw new ParleyError('ERR_ALTERED', 'the request names another listing than its purchase');
    return p;
  }

  private isOpen(p: Purchase): boolean {
    return p.state === 'active' && p.expiresAt > this.now();
  }

  async decryptRequest(me: string, signed: SignedRequest): Promise<LedgerEntry> {
    const v = await this.verify(me, 'decrypt-request', signed, decryptRequestBody);
    const b = v.body;
    let next!: Purchase;
    const entry = await this.ledger.commit(async (tx) => {
      const p = await this.purchaseFor(tx, v, 'ERR_NO_PURCHASE');
      if (p.buyer !== me) throw new ParleyError('ERR_NO_PURCHASE', `no purchase ${p.id} by ${me}`);
      const l = await this.listingOf(tx, p.listing);
      if (this.isExpired(l)) throw new ParleyError('ERR_LISTING_EXPIRED', 'the listing has expired');
      if (!this.isOpen(p))
        throw new ParleyError(
          'ERR_NO_PURCHASE',
          `purchase ${p.id} is ${p.state === 'active' ? 'past its window' : p.state}`,
        );
      if (b.seq !== p.nextSeq)
        throw new ParleyError('ERR_REPLAY', `expected decrypt-request seq ${p.nextSeq}, got ${b.seq}`);
      // Offered, and the size and program its computation defines (ERR_POLICY otherwise).
      checkRequestShape(b, { schema: l.schema, rows: l.rows, computations: l.policy.computations });
      checkBudget(p, l, b.kind, b.count);
      // The budget is spent when the seller decrypts (see decryption): a request that is never
      // answered (the buyer's tab reloaded) costs nothing.
      next = { ...p, nextSeq: p.nextSeq + 1 };
      return {
        entries: [{ ...v.draft, listing: p.listing, purchase: p.id }],
        nonces: [v.nonce],
        writes: [
          { put: 'purchase', purchase: next },
          { put: 'decrypt-request', purchase: p.id, seq: b.seq, kind: b.kind, count: b.count },
        ],
        result: (entries) => entries[0]!,
      };
    });
    this.notifier.purchase(next);
    return entry;
  }

  async decryption(me: string, signed: SignedRequest): Promise<LedgerEntry> {
    const v = await this.verify(me, 'decryption', signed, decryptionBody);
    let next!: Purchase;
    const entry = await this.ledger.commit(async (tx) => {
      const p = await this.purchaseFor(tx, v, 'ERR_ALTERED');
      if (p.seller !== me)
        throw new ParleyError('ERR_ALTERED', `only the seller of purchase ${p.id} records its decryptions`);
      const r = await tx.getDecryptRequest(p.id, v.body.seq);
      if (!r) throw new ParleyError('ERR_ALTERED', `purchase ${p.id} has no decrypt-request ${v.body.seq}`);
      if (r.decrypted) throw new ParleyError('ERR_REPLAY', `decrypt-request ${v.body.seq} was already answered`);
      if (!this.isOpen(p))
        throw new ParleyError(
          'ERR_PURCHASE_STATE',
          `purchase ${p.id} is ${p.state === 'active' ? 'past its window' : p.state}`,
        );
      // Pending requests were each checked alone; what is decrypted never goes beyond the budget.
      checkBudget(p, await this.listingOf(tx, p.listing), r.kind, r.count);
      next = {
        ...p,
        decryptions: p.decryptions + 1,
        budgetUsed: p.budgetUsed + (r.kind === 'result' ? r.count : 0),
        conversionsUsed: p.conversionsUsed + (r.kind === 'conversion' ? r.count : 0),
      };
      return {
        entries: [{ ...v.draft, listing: p.listing, purchase: p.id }],
        nonces: [v.nonce],
        writes: [
          { put: 'purchase', purchase: next },
          { put: 'decrypted', purchase: p.id, seq: v.body.seq },
        ],
        result: (entries) => entries[0]!,
      };
    });
    this.notifier.purchase(next);
    return entry;
  }

  /** confirm, cancel and dispute: one signed entry, a state change and maybe a money entry. */
  private async settle(me: string, type: 'confirm' | 'cancel' | 'dispute', signed: SignedRequest): Promise<Purchase> {
    const v = await this.verify(me, type, signed, reasonBody);
    const p = await this.ledger.commit(async (tx): Promise<Plan<Purchase>> => {
      const p = await this.purchaseFor(tx, v, 'ERR_NO_PURCHASE');
      const party = type === 'dispute' ? p.buyer === me || p.seller === me : p.buyer === me;
      if (!party) throw new ParleyError('ERR_NO_PURCHASE', `no purchase ${p.id} of yours to ${type}`);
      if (!this.isOpen(p))
        throw new ParleyError(
          'ERR_PURCHASE_STATE',
          `purchase ${p.id} is ${p.state === 'active' ? 'past its window' : p.state}`,
        );
      if (type === 'cancel' && p.decryptions > 0)
        throw new ParleyError('ERR_PURCHASE_STATE', 'decryption has begun: confirm or dispute instead');
      const next: Purchase = {
        ...p,
        state: type === 'confirm' ? 'confirmed' : type === 'cancel' ? 'cancelled' : 'disputed',
      };
      const ids = { listing: p.listing, purchase: p.id };
      const entries: Draft[] = [{ ...v.draft, ...ids }];
      const moves = type === 'confirm' ? payoutMoves(p) : type === 'cancel' ? refundMoves(p) : [];
      if (moves.length) entries.push(serviceDraft(type === 'confirm' ? 'payout' : 'refund', 'service', ids, { moves }));
      return { entries, nonces: [v.nonce], moves, writes: [{ put: 'purchase', purchase: next }], result: () => next };
    });
    this.notifier.purchase(p);
    return p;
  }

  confirm = (me: string, signed: SignedRequest) => this.settle(me, 'confirm', signed);
  cancel = (me: string, signed: SignedRequest) => this.settle(me, 'cancel', signed);
  dispute = (me: string, signed: SignedRequest) => this.settle(me, 'dispute', signed);

  /** The operator settles a dispute (see market-settle.ts). */
  async resolve(purchaseId: string, to: 'seller' | 'buyer'): Promise<Purchase> {
    const p = await resolveDispute(this.ledger, purchaseId, to);
    this.notifier.purchase(p);
    return p;
  }

  /** Expires overdue purchases (payout: price to the seller, guarantee back) and listings. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const due of await this.store.overduePurchases(this.now())) {
        const p = await expirePurchase(this.ledger, due.id, this.now);
        if (p) this.notifier.purchase(p);
      }
      for (const due of await this.store.overdueListings(this.now())) {
        const l = await expireListing(this.ledger, due.id, this.now);
        if (l) this.notifier.listing(l);
      }
      await this.pushAppended();
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Pushes the purchases that ledger entries appended since the last sweep touched: this is how
   * an operator's `resolve` from the CLI (another process on the same file) reaches the buyer's
   * and the seller's tabs within a sweep interval, as revocations do.
   */
  private async pushAppended(): Promise<void> {
    const total = await this.store.ledgerCount();
    if (this.pushedSeq === null) this.pushedSeq = total; // at start: tabs load the current state anyway
    if (total <= this.pushedSeq) return;
    const touched = new Set<string>();
    for (const e of await this.store.ledgerEntries(this.pushedSeq + 1, total - this.pushedSeq))
      if (e.purchase) touched.add(e.purchase);
    this.pushedSeq = total;
    for (const id of touched) {
      const p = await this.store.getPurchase(id);
      if (p) this.notifier.purchase(p);
    }
  }

  /**
   * Claims a listing's blob for an upload of `size` bytes: write-once, so of two uploads only the
   * first to claim wins (null for the other). `place` puts the bytes where readers find them
   * before the listing is announced.
   */
  async claimBlob(
    listingId: string,
    kind: BlobKind,
    size: number,
    place: () => Promise<void>,
  ): Promise<Listing | null> {
    const next = await this.store.setListingBlob(listingId, kind, size);
    if (!next) return null;
    await place();
    this.notifier.listing(next);
    return next;
  }
}
