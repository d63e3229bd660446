// How escrow is released: the balance moves of a payout (price to the seller, guarantee back),
// a refund (both back to the buyer) and a resolution to the seller (both to the seller), and the
// commits the service and the operator make on their own: resolving a dispute, expiring a
// purchase window (expire + payout) or a listing (expire).

import { ParleyError } from '../shared/errors.js';
import type { Move } from '../shared/ledger.js';
import type { Listing, Purchase } from '../shared/market.js';
import { type LedgerStore, type Plan, serviceDraft } from './ledger-store.js';

const cost = (p: Purchase) => p.price + p.guarantee;
export const payoutMoves = (p: Purchase): Move[] => [
  { name: p.buyer, balance: p.guarantee, escrow: -cost(p) },
  { name: p.seller, balance: p.price, escrow: 0 },
];
export const refundMoves = (p: Purchase): Move[] => [{ name: p.buyer, balance: cost(p), escrow: -cost(p) }];
const toSellerMoves = (p: Purchase): Move[] => [
  { name: p.buyer, balance: 0, escrow: -cost(p) },
  { name: p.seller, balance: cost(p), escrow: 0 },
];

/** The operator settles a dispute: everything to the seller, or everything back to the buyer. */
export function resolveDispute(ledger: LedgerStore, purchaseId: string, to: 'seller' | 'buyer'): Promise<Purchase> {
  return ledger.commit(async (tx): Promise<Plan<Purchase>> => {
    const p = await tx.getPurchase(purchaseId);
    if (!p) throw new ParleyError('ERR_NO_PURCHASE', `no purchase ${purchaseId}`);
    if (p.state !== 'disputed')
      throw new ParleyError('ERR_PURCHASE_STATE', `purchase ${p.id} is ${p.state}, not disputed`);
    const ids = { listing: p.listing, purchase: p.id };
    const moves = to === 'seller' ? toSellerMoves(p) : refundMoves(p);
    const next: Purchase = { ...p, state: to === 'seller' ? 'resolved-seller' : 'resolved-buyer' };
    return {
      entries: [
        serviceDraft('resolve', 'operator', ids, { to }),
        serviceDraft(to === 'seller' ? 'payout' : 'refund', 'service', ids, { moves }),
      ],
      moves,
      writes: [{ put: 'purchase', purchase: next }],
      result: () => next,
    };
  });
}

/** Ends a purchase whose window passed while active: expire + payout. Null if nothing was due. */
export function expirePurchase(ledger: LedgerStore, id: string, now: () => number): Promise<Purchase | null> {
  return ledger.commit(async (tx): Promise<Plan<Purchase | null>> => {
    const p = await tx.getPurchase(id);
    if (p?.state !== 'active' || p.expiresAt > now()) return { entries: [], result: () => null };
    const ids = { listing: p.listing, purchase: p.id };
    const next: Purchase = { ...p, state: 'expired' };
    return {
      entries: [
        serviceDraft('expire', 'service', ids, { what: 'purchase' }),
        serviceDraft('payout', 'service', ids, { moves: payoutMoves(p) }),
      ],
      moves: payoutMoves(p),
      writes: [{ put: 'purchase', purchase: next }],
      result: () => next,
    };
  });
}

/** Marks a listing past its expiry as expired, with an 'expire' entry. Null if nothing was due. */
export async function expireListing(ledger: LedgerStore, id: string, now: () => number): Promise<Listing | null> {
  const expired = await ledger.commit(async (tx): Promise<Plan<boolean>> => {
    const l = await tx.getListing(id);
    if (l?.state !== 'active' || l.expiresAt > now()) return { entries: [], result: () => false };
    return {
      entries: [serviceDraft('expire', 'service', { listing: l.id }, { what: 'listing' })],
      // Only the state: a blob upload (not a ledger event) may land meanwhile.
      writes: [{ put: 'listing-state', id: l.id, state: 'expired' }],
      result: () => true,
    };
  });
  return expired ? ledger.store.getListing(id) : null;
}
