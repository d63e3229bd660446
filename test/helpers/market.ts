// Marketplace test helpers: a valid listing body (with stand-in key material: the service never
// looks inside Paillier keys), signed requests as a tab makes them, credits through the same
// function the operator CLI uses, and a snapshot of balances and ledger for "nothing changed".

import { type MarketRequest, newNonce, signRequest } from '../../shared/ledger.js';
import type { PublishBody, Purchase } from '../../shared/market.js';
import { randomBytes, toBase64Url } from '../../shared/random.js';
import { grantCredits } from '../../signaling/ledger-store.js';
import { type ClientSocket, call, type TestIdentity } from './client.js';
import type { Harness } from './service.js';

const b64 = (n: number) => toBase64Url(randomBytes(n));
const paillier = () => ({ n: b64(256), h: b64(512), bits: 2048, keyId: '0123456789abcdef0123456789abcdef' });

export function listingBody(clock: number, extra: Partial<PublishBody> = {}): PublishBody {
  return {
    title: 'Clinic visits 2024',
    description: 'Visits and costs per patient',
    schema: [
      { name: 'age', type: 'int', decimals: 0, min: 0, max: 120 },
      { name: 'cost', type: 'decimal', decimals: 2, min: 0, max: 1e6 },
    ],
    rows: 1000,
    price: 30,
    guarantee: 10,
    expiresAt: clock + 7 * 86_400_000,
    purchaseWindowSeconds: 3600,
    policy: { computations: ['sum', 'mean', 'min'], budget: 10, conversionBudget: 100 },
    publicKey: { ...paillier(), proof: b64(2048) },
    test: { publicKey: paillier(), privateKey: b64(512), rows: 100 },
    ...extra,
  };
}

export type Req = Omit<MarketRequest, 'nonce' | 'at'> & { nonce?: string; at?: number };

/** Signs a request as `id` at the harness clock (with a fresh nonce unless given). */
export function signed(h: Harness, id: TestIdentity, r: Req, key: CryptoKey = id.keys.privateKey) {
  return signRequest(key, { actor: id.name, nonce: newNonce(), at: h.clock, ...r } as MarketRequest);
}

export async function send(h: Harness, s: ClientSocket, id: TestIdentity, event: string, r: Req): Promise<any> {
  return call(s, event as never, await signed(h, id, r));
}

export async function grant(h: Harness, name: string, amount: number): Promise<void> {
  await grantCredits(h.svc.ledger, name, amount);
}

/** Balances of the named participants and the ledger length: equal before and after a refusal. */
export async function books(h: Harness, ...names: string[]) {
  const balances: Record<string, { balance: number; escrow: number }> = {};
  const purchases: Purchase[] = [];
  for (const n of names) {
    balances[n] = await h.svc.store.getBalance(n);
    purchases.push(...(await h.svc.store.purchasesOf(n)));
  }
  return { balances, ledger: await h.svc.store.ledgerCount(), purchases };
}

/** A seller with a published listing and a buyer with credits, both online. */
export async function market(h: Harness, extra: Partial<PublishBody> = {}, credits = 100) {
  const seller = await h.online('sam', ['seller']);
  const buyer = await h.online('bea', ['buyer']);
  await grant(h, 'bea', credits);
  const listing = await send(h, seller.s, seller.id, 'market:publish', {
    type: 'publish',
    body: listingBody(h.clock, extra),
  });
  return { seller, buyer, listing };
}

export async function buy(h: Harness, buyer: { s: ClientSocket; id: TestIdentity }, listing: string): Promise<any> {
  return send(h, buyer.s, buyer.id, 'market:buy', { type: 'buy', listing, body: {} });
}

export const hex64 = (c: string) => c.repeat(64);
export function decryptReq(purchase: string, seq: number, extra: Record<string, unknown> = {}): Req {
  return {
    type: 'decrypt-request',
    purchase,
    body: {
      seq,
      kind: 'result',
      computation: 'sum',
      paramsCommitment: hex64('a'),
      count: 1,
      ciphertextsHash: hex64('b'),
      ...extra,
    },
  };
}

/** A conversion request for `min` over all `rows` of a listing whose age column is 0-120 (ell 8). */
export function convReq(purchase: string, seq: number, rows: number, extra: Record<string, unknown> = {}): Req {
  return decryptReq(purchase, seq, {
    kind: 'conversion',
    computation: 'min',
    count: rows,
    shape: { kind: 'min', rows, thresholds: 0, ellBits: 8 },
    ...extra,
  });
}
