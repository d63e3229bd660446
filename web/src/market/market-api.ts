// Typed marketplace calls for the page: signed requests (the tab's identity key signs the
// canonical request; the service countersigns the ledger entry it makes), blob upload and
// download with one-time tickets, and the ledger downloaded page by page and verified here
// against the service's published key.

import { fromErrorInfo, ParleyError } from '../../../shared/errors.js';
import {
  importServiceKey, newNonce, signRequest, verifyLedger, type LedgerEntry, type LedgerVerdict, type MarketRequestType,
} from '../../../shared/ledger.js';
import type {
  Balance, BlobKind, BlobTicket, DecryptRequestBody, LedgerPage, Listing, PublishBody, Purchase, SignedRequest,
} from '../../../shared/market.js';
import type { Session } from '../lib/session.js';

/** Signs a market request as this tab's participant. */
export function sign(session: Session, type: MarketRequestType, ids: { listing?: string; purchase?: string }, body: unknown): Promise<SignedRequest> {
  return signRequest(session.identity.keys.privateKey, { type, actor: session.name, ...ids, body, nonce: newNonce(), at: Date.now() });
}

export const listings = (s: Session): Promise<Listing[]> => s.call('market:listings', {});
export const purchases = (s: Session): Promise<Purchase[]> => s.call('market:purchases', {});
export const balance = (s: Session): Promise<Balance> => s.call('market:balance', {});

export async function publish(s: Session, body: PublishBody): Promise<Listing> {
  return s.call('market:publish', await sign(s, 'publish', {}, body));
}
export async function buy(s: Session, listing: string): Promise<Purchase> {
  return s.call('market:buy', await sign(s, 'buy', { listing }, {}));
}
export async function decryptRequest(s: Session, purchase: string, body: DecryptRequestBody): Promise<LedgerEntry> {
  return s.call('market:decrypt-request', await sign(s, 'decrypt-request', { purchase }, body));
}
export async function recordDecryption(s: Session, purchase: string, seq: number): Promise<LedgerEntry> {
  return s.call('market:decryption', await sign(s, 'decryption', { purchase }, { seq }));
}
export async function settle(s: Session, type: 'confirm' | 'cancel' | 'dispute', purchase: string, reason?: string): Promise<Purchase> {
  return s.call(`market:${type}`, await sign(s, type, { purchase }, reason ? { reason } : {}));
}

async function failure(res: Response): Promise<ParleyError> {
  const data = (await res.json().catch(() => null)) as { error?: unknown } | null;
  return fromErrorInfo(data?.error ?? { code: 'ERR_INTERNAL', message: `the service answered ${res.status}` });
}

export const blobTicket = (s: Session, listing: string, kind: BlobKind, op: 'put' | 'get'): Promise<BlobTicket> =>
  s.call('market:blob-ticket', { listing, kind, op });

export async function uploadBlob(s: Session, listing: string, kind: BlobKind, bytes: Uint8Array): Promise<number> {
  const t = await blobTicket(s, listing, kind, 'put');
  const res = await fetch(t.url, { method: 'PUT', headers: { authorization: `Bearer ${t.ticket}`, 'content-type': 'application/octet-stream' }, body: bytes as BufferSource });
  if (!res.ok) throw await failure(res);
  return ((await res.json()) as { size: number }).size;
}

export async function downloadBlob(s: Session, listing: string, kind: BlobKind): Promise<Uint8Array> {
  const t = await blobTicket(s, listing, kind, 'get');
  const res = await fetch(t.url, { headers: { authorization: `Bearer ${t.ticket}` }, cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return new Uint8Array(await res.arrayBuffer());
}

let serviceJwk: Promise<{ kty?: string; crv?: string; x?: string }> | null = null;
let serviceKey: Promise<CryptoKey> | null = null;

/** The service's Ed25519 public JWK, as published at /.well-known/parley-service-key. */
export function getServiceJwk(): Promise<{ kty?: string; crv?: string; x?: string }> {
  serviceJwk ??= fetch('/.well-known/parley-service-key').then(async (res) => {
    if (!res.ok) throw new ParleyError('ERR_INTERNAL', 'cannot fetch the service key');
    return (await res.json()) as { kty?: string; crv?: string; x?: string };
  });
  serviceJwk.catch(() => (serviceJwk = null));
  return serviceJwk;
}

/** The service's Ed25519 verification key (handed to the seller's worker to check requests). */
export function serviceVerifyKey(): Promise<CryptoKey> {
  serviceKey ??= getServiceJwk().then(importServiceKey);
  serviceKey.catch(() => (serviceKey = null));
  return serviceKey;
}

/** Every ledger entry, 500 at a time. */
export async function ledgerEntries(s: Session, onPage?: (have: number, total: number) => void): Promise<LedgerEntry[]> {
  const all: LedgerEntry[] = [];
  for (;;) {
    const page = (await s.call('market:ledger', { from: all.length + 1, limit: 500 })) as LedgerPage;
    all.push(...page.entries);
    onPage?.(all.length, page.total);
    if (page.entries.length === 0 || all.length >= page.total) return all;
  }
}

/** Downloads the whole ledger and verifies it against the service's published key. */
export async function verifyServiceLedger(s: Session): Promise<{ entries: LedgerEntry[]; verdict: LedgerVerdict }> {
  const [entries, jwk] = await Promise.all([ledgerEntries(s), getServiceJwk()]);
  return { entries, verdict: await verifyLedger(entries, jwk) };
}
