// Typed marketplace calls for the page: signed requests (the tab's identity key signs the
// canonical request; the service countersigns the ledger entry it makes), blob upload and
// download with one-time tickets, and the ledger downloaded page by page (other people's entries
// redacted to their place in the chain) and verified here against the service's published key.

import { fromErrorInfo, type ParleyError } from '../../../shared/errors.js';
import {
  type LedgerEntry,
  type LedgerVerdict,
  type LedgerView,
  type MarketRequestType,
  newNonce,
  signRequest,
  verifyLedger,
} from '../../../shared/ledger.js';
import type {
  Balance,
  BlobKind,
  BlobTicket,
  DecryptRequestBody,
  Listing,
  PublishBody,
  Purchase,
  SignedRequest,
} from '../../../shared/market.js';
import type { Connection } from '../connection/connection.svelte.js';
import { getServiceJwk } from '../connection/service-info.js';

/** Signs a market request as this tab's participant. */
function sign(
  connection: Connection,
  type: MarketRequestType,
  ids: { listing?: string; purchase?: string },
  body: unknown,
): Promise<SignedRequest> {
  return signRequest(connection.identity.keys.privateKey, {
    type,
    actor: connection.name,
    ...ids,
    body,
    nonce: newNonce(),
    at: Date.now(),
  });
}

export const listings = (c: Connection): Promise<Listing[]> => c.call('market:listings', {});
export const purchases = (c: Connection): Promise<Purchase[]> => c.call('market:purchases', {});
export const balance = (c: Connection): Promise<Balance> => c.call('market:balance', {});

export async function publish(c: Connection, body: PublishBody): Promise<Listing> {
  return c.call('market:publish', await sign(c, 'publish', {}, body));
}
export async function buy(c: Connection, listing: string): Promise<Purchase> {
  return c.call('market:buy', await sign(c, 'buy', { listing }, {}));
}
export async function decryptRequest(c: Connection, purchase: string, body: DecryptRequestBody): Promise<LedgerEntry> {
  return c.call('market:decrypt-request', await sign(c, 'decrypt-request', { purchase }, body));
}
export async function recordDecryption(c: Connection, purchase: string, seq: number): Promise<LedgerEntry> {
  return c.call('market:decryption', await sign(c, 'decryption', { purchase }, { seq }));
}
export async function settle(
  c: Connection,
  type: 'confirm' | 'cancel' | 'dispute',
  purchase: string,
  reason?: string,
): Promise<Purchase> {
  return c.call(`market:${type}`, await sign(c, type, { purchase }, reason ? { reason } : {}));
}

async function failure(res: Response): Promise<ParleyError> {
  const data = (await res.json().catch(() => null)) as { error?: unknown } | null;
  return fromErrorInfo(data?.error ?? { code: 'ERR_INTERNAL', message: `the service answered ${res.status}` });
}

const blobTicket = (c: Connection, listing: string, kind: BlobKind, op: 'put' | 'get'): Promise<BlobTicket> =>
  c.call('market:blob-ticket', { listing, kind, op });

export async function uploadBlob(c: Connection, listing: string, kind: BlobKind, bytes: Uint8Array): Promise<number> {
  const t = await blobTicket(c, listing, kind, 'put');
  const res = await fetch(t.url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${t.ticket}`, 'content-type': 'application/octet-stream' },
    body: bytes as BufferSource,
  });
  if (!res.ok) throw await failure(res);
  return ((await res.json()) as { size: number }).size;
}

export async function downloadBlob(c: Connection, listing: string, kind: BlobKind): Promise<Uint8Array> {
  const t = await blobTicket(c, listing, kind, 'get');
  const res = await fetch(t.url, { headers: { authorization: `Bearer ${t.ticket}` }, cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return new Uint8Array(await res.arrayBuffer());
}

/** Every ledger entry as this participant may read it (others' redacted), 500 at a time. */
async function ledgerEntries(c: Connection, onPage?: (have: number, total: number) => void): Promise<LedgerView[]> {
  const all: LedgerView[] = [];
  for (;;) {
    const page = await c.call('market:ledger', { from: all.length + 1, limit: 500 });
    all.push(...page.entries);
    onPage?.(all.length, page.total);
    if (page.entries.length === 0 || all.length >= page.total) return all;
  }
}

/** Downloads the whole ledger and verifies it against the service's published key. */
export async function verifyServiceLedger(c: Connection): Promise<{ entries: LedgerView[]; verdict: LedgerVerdict }> {
  const [entries, jwk] = await Promise.all([ledgerEntries(c), getServiceJwk()]);
  return { entries, verdict: await verifyLedger(entries, jwk) };
}
