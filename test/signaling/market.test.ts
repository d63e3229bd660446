// The marketplace on the real service (socket.io, SQLite): full happy paths with balances, every
// refusal with its code and with balances, purchases and ledger left exactly as they were,
// expiry by the harness clock, replays and foreign signatures.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../shared/ledger.js';
import type { Computation } from '../../shared/market.js';
import { call, connect, nextEvent, waitFor } from '../helpers/client.js';
import { books, buy, convReq, decryptReq, grant, listingBody, market, send, signed } from '../helpers/market.js';
import { Harness } from '../helpers/service.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start({ sessionTtlSeconds: 30 * 86_400 });
});
afterEach(() => h.stop());

/** Expects the refusal code and that balances, purchases and the ledger did not move. */
async function refused(p: () => Promise<unknown>, code: string, names = ['sam', 'bea', 'cy']) {
  const before = await books(h, ...names);
  await expect(p()).rejects.toMatchObject({ code });
  expect(await books(h, ...names)).toEqual(before);
}
const balances = async (...names: string[]) =>
  Object.fromEntries(await Promise.all(names.map(async (n) => [n, await h.svc.store.getBalance(n)])));
const verifies = async () => {
  const jwk = await (await fetch(`${h.url}/.well-known/parley-service-key`)).json();
  return verifyLedger(await h.svc.store.ledgerEntries(1, 10_000), jwk);
};

describe('happy paths', () => {
  it('publish → buy → decrypt-request → decryption → confirm moves price to the seller and returns the guarantee', async () => {
    const seller = await h.online('sam', ['seller']);
    const buyer = await h.online('bea', ['buyer']);
    await grant(h, 'bea', 100);
    const seen = nextEvent<any>(buyer.s, 'market:listing');
    const listing = await send(h, seller.s, seller.id, 'market:publish', {
      type: 'publish',
      body: listingBody(h.clock, { rows: 50 }),
    });
    expect(listing).toMatchObject({
      seller: 'sam',
      state: 'active',
      blobs: { data: null, test: null },
      price: 30,
      guarantee: 10,
    });
    expect((await seen).id).toBe(listing.id);
    expect((await call(buyer.s, 'market:listings', {})).map((l: any) => l.id)).toEqual([listing.id]);

    const atSeller = nextEvent<any>(seller.s, 'market:purchase');
    const p = await buy(h, buyer, listing.id);
    expect(p).toMatchObject({
      buyer: 'bea',
      seller: 'sam',
      state: 'active',
      nextSeq: 1,
      budgetUsed: 0,
      expiresAt: h.clock + 3600_000,
    });
    expect((await atSeller).id).toBe(p.id);
    expect(await call(buyer.s, 'market:balance', {})).toEqual({ balance: 60, escrow: 40 });

    const entry = await send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1));
    expect(entry).toMatchObject({
      type: 'decrypt-request',
      actor: 'bea',
      purchase: p.id,
      listing: listing.id,
      actorKey: buyer.id.publicKey,
    });
    await send(h, buyer.s, buyer.id, 'market:decrypt-request', convReq(p.id, 2, 50));
    const dec = await send(h, seller.s, seller.id, 'market:decryption', {
      type: 'decryption',
      purchase: p.id,
      body: { seq: 2 },
    });
    expect(dec).toMatchObject({ type: 'decryption', actor: 'sam' });
    // The budget is spent by what the seller decrypted; request 1 is still unanswered.
    const [mine] = await call(seller.s, 'market:purchases', {});
    expect(mine).toMatchObject({ id: p.id, budgetUsed: 0, conversionsUsed: 50, nextSeq: 3, decryptions: 1 });

    const done = await send(h, buyer.s, buyer.id, 'market:confirm', {
      type: 'confirm',
      purchase: p.id,
      body: { reason: 'good data' },
    });
    expect(done.state).toBe('confirmed');
    expect(await balances('sam', 'bea')).toEqual({ sam: { balance: 30, escrow: 0 }, bea: { balance: 70, escrow: 0 } });
    expect(await verifies()).toMatchObject({ ok: true });
  });

  it('cancel before any decrypt-request refunds everything', async () => {
    const { buyer, listing } = await market(h);
    const p = await buy(h, buyer, listing.id);
    const c = await send(h, buyer.s, buyer.id, 'market:cancel', { type: 'cancel', purchase: p.id, body: {} });
    expect(c.state).toBe('cancelled');
    expect(await balances('bea', 'sam')).toEqual({ bea: { balance: 100, escrow: 0 }, sam: { balance: 0, escrow: 0 } });
  });

  it('a dispute (by either side) freezes the purchase until the operator resolves it, both ways', async () => {
    const { seller, buyer, listing } = await market(h);
    const p1 = await buy(h, buyer, listing.id);
    const p2 = await buy(h, buyer, listing.id);
    expect(
      (
        await send(h, seller.s, seller.id, 'market:dispute', {
          type: 'dispute',
          purchase: p1.id,
          body: { reason: 'abuse' },
        })
      ).state,
    ).toBe('disputed');
    expect(
      (await send(h, buyer.s, buyer.id, 'market:dispute', { type: 'dispute', purchase: p2.id, body: {} })).state,
    ).toBe('disputed');
    await refused(
      () => send(h, buyer.s, buyer.id, 'market:confirm', { type: 'confirm', purchase: p1.id, body: {} }),
      'ERR_PURCHASE_STATE',
    );
    h.clock += 2 * 3600_000; // past the window: disputed purchases do not expire
    await new Promise((r) => setTimeout(r, 150));
    expect((await h.svc.store.getPurchase(p1.id))!.state).toBe('disputed');
    const pushed = waitFor<any>(seller.s, 'market:purchase', (x) => x.id === p1.id);
    expect((await h.svc.market.resolve(p1.id, 'seller')).state).toBe('resolved-seller');
    expect((await pushed).state).toBe('resolved-seller');
    expect((await h.svc.market.resolve(p2.id, 'buyer')).state).toBe('resolved-buyer');
    await refused(() => h.svc.market.resolve(p2.id, 'seller'), 'ERR_PURCHASE_STATE');
    expect(await balances('sam', 'bea')).toEqual({ sam: { balance: 40, escrow: 0 }, bea: { balance: 60, escrow: 0 } });
    expect(await verifies()).toMatchObject({ ok: true });
  });

  it('pays out when the purchase window ends without confirmation or dispute', async () => {
    const { seller, buyer, listing } = await market(h);
    const p = await buy(h, buyer, listing.id);
    const expired = waitFor<any>(seller.s, 'market:purchase', (x) => x.id === p.id && x.state === 'expired');
    h.clock += 3600_000 + 1;
    await expired;
    expect(await balances('sam', 'bea')).toEqual({ sam: { balance: 30, escrow: 0 }, bea: { balance: 70, escrow: 0 } });
    expect((await h.svc.store.ledgerEntries(1, 100)).slice(-2).map((e) => [e.type, e.actor])).toEqual([
      ['expire', 'service'],
      ['payout', 'service'],
    ]);
    await refused(() => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1)), 'ERR_NO_PURCHASE');
  });

  it('expires a listing: no more buying or decrypting; open purchases end with it', async () => {
    const { buyer, listing } = await market(h, { expiresAt: h.clock + 120_000 });
    const p = await buy(h, buyer, listing.id);
    expect(p.expiresAt).toBe(listing.expiresAt);
    const gone = waitFor<any>(buyer.s, 'market:listing', (l) => l.id === listing.id && l.state === 'expired');
    h.clock += 121_000;
    await gone;
    await refused(() => buy(h, buyer, listing.id), 'ERR_LISTING_EXPIRED');
    await refused(
      () => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1)),
      'ERR_LISTING_EXPIRED',
    );
    expect(await call(buyer.s, 'market:listings', {})).toEqual([]);
  });
});

describe('refusals leave balances and ledger untouched', () => {
  it('roles, credits, unknown listings and the seller buying its own', async () => {
    const { seller, buyer, listing } = await market(h, {}, 39);
    const cy = await h.online('cy', ['buyer']);
    await refused(
      () => send(h, buyer.s, buyer.id, 'market:publish', { type: 'publish', body: listingBody(h.clock) }),
      'ERR_ROLE',
    );
    await refused(() => buy(h, seller, listing.id), 'ERR_ROLE');
    await refused(() => buy(h, buyer, listing.id), 'ERR_INSUFFICIENT_CREDITS');
    await refused(() => buy(h, cy, listing.id), 'ERR_INSUFFICIENT_CREDITS');
    await refused(() => buy(h, buyer, crypto.randomUUID()), 'ERR_UNKNOWN_LISTING');
    await refused(
      () =>
        send(h, seller.s, seller.id, 'market:publish', {
          type: 'publish',
          body: listingBody(h.clock, { expiresAt: h.clock - 1 }),
        }),
      'ERR_BAD_REQUEST',
    );
  });

  it('decrypt-requests: no purchase, wrong seq, policy, budgets', async () => {
    // Six rows: a linear score decrypts 6 values; two fit the budget of 10 alone, not together.
    const policy = {
      computations: ['sum', 'mean', 'min', 'linear-score'] as Computation[],
      budget: 10,
      conversionBudget: 5,
    };
    const { seller, buyer, listing } = await market(h, { rows: 6, policy });
    const score = { computation: 'linear-score', count: 6 };
    const cy = await h.online('cy', ['buyer']);
    const p = await buy(h, buyer, listing.id);
    await refused(() => send(h, cy.s, cy.id, 'market:decrypt-request', decryptReq(p.id, 1)), 'ERR_NO_PURCHASE');
    await refused(
      () => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(crypto.randomUUID(), 1)),
      'ERR_NO_PURCHASE',
    );
    await refused(() => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 2)), 'ERR_REPLAY');
    await refused(
      () => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1, { computation: 'histogram' })),
      'ERR_POLICY',
    );
    await refused(() => send(h, buyer.s, buyer.id, 'market:decrypt-request', convReq(p.id, 1, 6)), 'ERR_BUDGET');
    await send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1, score));
    await refused(() => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1)), 'ERR_REPLAY');
    await refused(
      () =>
        send(h, buyer.s, buyer.id, 'market:decrypt-request', { ...decryptReq(p.id, 2), listing: crypto.randomUUID() }),
      'ERR_ALTERED',
    );
    // Only the seller records decryptions, only of requests that exist, once.
    await refused(
      () => send(h, buyer.s, buyer.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq: 1 } }),
      'ERR_ALTERED',
    );
    await refused(
      () => send(h, seller.s, seller.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq: 2 } }),
      'ERR_ALTERED',
    );
    // A second request is checked alone (request 1 is not answered yet) ...
    await send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 2, score));
    await send(h, seller.s, seller.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq: 1 } });
    await refused(
      () => send(h, seller.s, seller.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq: 1 } }),
      'ERR_REPLAY',
    );
    // ... but what is decrypted never goes beyond the budget: the seller cannot record it, so its tab does not decrypt.
    await refused(
      () => send(h, seller.s, seller.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq: 2 } }),
      'ERR_BUDGET',
    );
    await refused(() => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 3, score)), 'ERR_BUDGET');
    // Decryption has begun: no cancelling.
    await refused(
      () => send(h, buyer.s, buyer.id, 'market:cancel', { type: 'cancel', purchase: p.id, body: {} }),
      'ERR_PURCHASE_STATE',
    );
  });

  it('an unanswered request costs nothing: the buyer may still cancel, and the seller cannot decrypt for a cancelled purchase', async () => {
    const policy = { computations: ['linear-score'] as Computation[], budget: 10, conversionBudget: 0 };
    const { seller, buyer, listing } = await market(h, { rows: 10, policy });
    const p = await buy(h, buyer, listing.id);
    const score = { computation: 'linear-score', count: 10 };
    await send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1, score));
    // The buyer's tab reloaded before the seller answered: a new request still has the whole budget.
    await send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 2, score));
    expect((await call(buyer.s, 'market:purchases', {}))[0]).toMatchObject({
      budgetUsed: 0,
      decryptions: 0,
      nextSeq: 3,
    });
    const done = await send(h, buyer.s, buyer.id, 'market:cancel', { type: 'cancel', purchase: p.id, body: {} });
    expect(done.state).toBe('cancelled');
    expect(await balances('bea')).toEqual({ bea: { balance: 100, escrow: 0 } });
    await refused(
      () => send(h, seller.s, seller.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq: 1 } }),
      'ERR_PURCHASE_STATE',
    );
  });

  it('confirm, cancel and dispute only by the parties, only while active', async () => {
    const { seller, buyer, listing } = await market(h);
    const cy = await h.online('cy', ['buyer']);
    const p = await buy(h, buyer, listing.id);
    await refused(
      () => send(h, seller.s, seller.id, 'market:confirm', { type: 'confirm', purchase: p.id, body: {} }),
      'ERR_NO_PURCHASE',
    );
    await refused(
      () => send(h, cy.s, cy.id, 'market:dispute', { type: 'dispute', purchase: p.id, body: {} }),
      'ERR_NO_PURCHASE',
    );
    await send(h, buyer.s, buyer.id, 'market:confirm', { type: 'confirm', purchase: p.id, body: {} });
    for (const type of ['confirm', 'cancel', 'dispute'] as const) {
      await refused(
        () => send(h, buyer.s, buyer.id, `market:${type}`, { type, purchase: p.id, body: {} }),
        'ERR_PURCHASE_STATE',
      );
    }
  });

  it('replays, foreign keys, stale or mislabelled requests', async () => {
    const { buyer, listing } = await market(h);
    const req = await signed(h, buyer.id, { type: 'buy', listing: listing.id, body: {} });
    await call(buyer.s, 'market:buy', req);
    await refused(() => call(buyer.s, 'market:buy', req), 'ERR_REPLAY');
    const other = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
    ])) as CryptoKeyPair;
    await refused(
      async () =>
        call(
          buyer.s,
          'market:buy',
          await signed(h, buyer.id, { type: 'buy', listing: listing.id, body: {} }, other.privateKey),
        ),
      'ERR_BAD_SIGNATURE',
    );
    await refused(
      async () =>
        call(
          buyer.s,
          'market:buy',
          await signed(h, buyer.id, { type: 'buy', listing: listing.id, body: {}, at: h.clock - 6 * 60_000 }),
        ),
      'ERR_REPLAY',
    );
    await refused(
      async () =>
        call(buyer.s, 'market:confirm', await signed(h, buyer.id, { type: 'buy', listing: listing.id, body: {} })),
      'ERR_ALTERED',
    );
    await refused(
      async () =>
        call(
          buyer.s,
          'market:buy',
          await signed(h, buyer.id, { type: 'buy', actor: 'cy', listing: listing.id, body: {} }),
        ),
      'ERR_ALTERED',
    );
    await refused(() => call(buyer.s, 'market:buy', { request: '{"type":"buy"', signature: 'AA' }), 'ERR_BAD_REQUEST');
    const spaced = await signed(h, buyer.id, { type: 'buy', listing: listing.id, body: {} });
    await refused(() => call(buyer.s, 'market:buy', { ...spaced, request: ` ${spaced.request}` }), 'ERR_BAD_REQUEST');
    await refused(() => call(buyer.s, 'market:buy', { ...req, request: 'x'.repeat(20_000) }), 'ERR_TOO_LARGE');
  });
});

describe('concurrency', () => {
  it('serializes concurrent appends: no forked chain, one winner per seq, exact balances', async () => {
    const { buyer, listing } = await market(h, {}, 1000);
    const ps = await Promise.all(Array.from({ length: 6 }, () => buy(h, buyer, listing.id)));
    const p = ps[0];
    const race = await Promise.allSettled(
      [1, 2, 3].map(() => send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1))),
    );
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(race.filter((r) => r.status === 'rejected').map((r: any) => r.reason.code)).toEqual([
      'ERR_REPLAY',
      'ERR_REPLAY',
    ]);
    expect(await balances('bea')).toEqual({ bea: { balance: 1000 - 6 * 40, escrow: 6 * 40 } });
    expect(await verifies()).toMatchObject({ ok: true });
  });
});

describe('ledger and balances over the socket', () => {
  it('pages the ledger and reports balances', async () => {
    const { buyer, listing } = await market(h);
    await buy(h, buyer, listing.id);
    const page = await call(buyer.s, 'market:ledger', { from: 2, limit: 1 });
    expect(page.total).toBe(3);
    expect(page.entries.map((e: any) => [e.seq, e.type])).toEqual([[2, 'listing']]);
    await expect(call(buyer.s, 'market:ledger', { limit: 501 })).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
  });
});

describe('tickets', () => {
  it('refuses market requests once the session ticket expired, and connections with a forged ticket', async () => {
    const short = new Harness();
    await short.start({ sessionTtlSeconds: 60 });
    try {
      const { buyer, listing } = await market(short, { purchaseWindowSeconds: 86_400 });
      const p = await buy(short, buyer, listing.id);
      const before = await books(short, 'sam', 'bea');
      short.clock += 2 * 60_000; // past the one-minute session ticket; the purchase is still open
      await expect(send(short, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1))).rejects.toMatchObject(
        { code: 'ERR_TICKET_EXPIRED' },
      );
      expect(await books(short, 'sam', 'bea')).toEqual(before);
      const forged = 'eyJhbGciOiJFZERTQSJ9.e30.AAAA'; // a JWT header and claims with a made-up signature
      await expect(connect(short.url, forged)).rejects.toMatchObject({ code: 'ERR_TICKET_INVALID' });
    } finally {
      await short.stop();
    }
  });
});
