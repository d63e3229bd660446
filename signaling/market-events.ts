// The market:* socket events, registered per connection through sockets.ts's validated `on`
// helper (sizes, schemas, coded acks). Changed purchases and listings are pushed by Market
// itself, through the notifier.

import type { z } from 'zod';
import { blobTicketEvent, ledgerQuery, signedPublish, signedRequest } from '../shared/market.js';
import { type ClientToServer, emptyEvent } from '../shared/protocol.js';
import type { Blobs } from './blobs.js';
import type { Market } from './market.js';

type On = <S extends z.ZodType, T>(
  event: keyof ClientToServer,
  schema: S,
  fn: (p: z.infer<S>) => T | Promise<T>,
) => void;

/** Per-event payload limits: publishing carries a whole listing; other signed requests are small. */
export const MARKET_EVENT_BYTES: Partial<Record<keyof ClientToServer, number>> = {
  'market:publish': 24 * 1024,
  'market:buy': 20 * 1024,
  'market:decrypt-request': 20 * 1024,
  'market:decryption': 20 * 1024,
  'market:confirm': 20 * 1024,
  'market:cancel': 20 * 1024,
  'market:dispute': 20 * 1024,
};

export function registerMarketEvents(on: On, me: string, market: Market, blobs: Blobs): void {
  on('market:listings', emptyEvent, () => market.listings(me));
  on('market:publish', signedPublish, (p) => market.publish(me, p));
  on('market:buy', signedRequest, (p) => market.buy(me, p));
  on('market:decrypt-request', signedRequest, (p) => market.decryptRequest(me, p));
  on('market:decryption', signedRequest, (p) => market.decryption(me, p));
  on('market:confirm', signedRequest, (p) => market.confirm(me, p));
  on('market:cancel', signedRequest, (p) => market.cancel(me, p));
  on('market:dispute', signedRequest, (p) => market.dispute(me, p));
  on('market:purchases', emptyEvent, () => market.purchases(me));
  on('market:balance', emptyEvent, () => market.balance(me));
  // Full entries only where `me` is a party; everyone else follows the chain (ledger-store.ts).
  on('market:ledger', ledgerQuery, (p) => market.ledger.page(p.from ?? 1, p.limit ?? 100, me));
  on('market:blob-ticket', blobTicketEvent, (p) => blobs.ticket(me, p));
}
