// The marketplace's other surfaces on the real service: blobs over HTTP with one-time tickets and
// a streamed size limit, market jobs between a purchase's buyer and seller, a restart mid-purchase,
// and the operator's tools (`npm run admin -- grant/resolve/ledger`, `npm run ledger:verify`).

import { execFileSync, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../shared/ledger.js';
import { call, connectAs, waitFor } from '../helpers/client.js';
import { buy, decryptReq, market, send } from '../helpers/market.js';
import { Harness } from '../helpers/service.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start({ maxBlobBytes: 4096 });
});
afterEach(() => h.stop());

const put = (url: string, ticket: string, body: BodyInit, extra: RequestInit = {}) =>
  fetch(h.url + url, { method: 'PUT', headers: { authorization: `Bearer ${ticket}` }, body, ...extra });
const get = (url: string, ticket: string) => fetch(h.url + url, { headers: { authorization: `Bearer ${ticket}` } });
const code = async (r: Response) => (await r.json()).error.code;

describe('blobs', () => {
  it('uploads by the seller with one-time tickets; test blob for anyone, data blob for buyers', async () => {
    const { seller, buyer, listing } = await market(h);
    const cy = await h.online('cy', ['buyer']);
    const bytes = new Uint8Array(3000).map((_, i) => i % 251);
    const t = await call(seller.s, 'market:blob-ticket', { listing: listing.id, kind: 'test', op: 'put' });
    expect(t.url).toBe(`/api/market/blobs/${listing.id}/test`);
    const pushed = waitFor<any>(cy.s, 'market:listing', (l) => l.blobs.test === 3000);
    expect((await put(t.url, t.ticket, bytes)).status).toBe(201);
    await pushed;
    const again = await put(t.url, t.ticket, bytes);
    expect([again.status, await code(again)]).toEqual([401, 'ERR_TICKET_REPLAY']);

    const g = await call(cy.s, 'market:blob-ticket', { listing: listing.id, kind: 'test', op: 'get' });
    expect(new Uint8Array(await (await get(g.url, g.ticket)).arrayBuffer())).toEqual(bytes);
    // A ticket names its listing, kind and operation.
    const wrong = await get(`/api/market/blobs/${listing.id}/data`, g.ticket);
    expect([wrong.status, await code(wrong)]).toEqual([401, 'ERR_TICKET_INVALID']);

    const d = await call(seller.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'put' });
    expect((await put(d.url, d.ticket, bytes.slice(0, 100))).status).toBe(201);
    await expect(
      call(cy.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'get' }),
    ).rejects.toMatchObject({ code: 'ERR_NO_PURCHASE' });
    await expect(
      call(buyer.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'put' }),
    ).rejects.toMatchObject({ code: 'ERR_ROLE' });
    await expect(
      call(seller.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'put' }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(
      call(cy.s, 'market:blob-ticket', { listing: crypto.randomUUID(), kind: 'test', op: 'get' }),
    ).rejects.toMatchObject({ code: 'ERR_UNKNOWN_LISTING' });

    const p = await buy(h, buyer, listing.id);
    const bd = await call(buyer.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'get' });
    const bd2 = await call(buyer.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'get' });
    expect((await (await get(bd.url, bd.ticket)).arrayBuffer()).byteLength).toBe(100);
    // Checked again when used: after cancelling, the ticket already issued no longer opens the data.
    await send(h, buyer.s, buyer.id, 'market:cancel', { type: 'cancel', purchase: p.id, body: {} });
    const late = await get(bd2.url, bd2.ticket);
    expect([late.status, await code(late)]).toEqual([403, 'ERR_NO_PURCHASE']);
    const none = await get(bd2.url, 'not-a-ticket');
    expect(none.status).toBe(401);
  });

  it('refuses uploads past the limit, declared or streamed, and keeps nothing of them', async () => {
    const { seller, listing } = await market(h);
    const t1 = await call(seller.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'put' });
    const r1 = await put(t1.url, t1.ticket, new Uint8Array(5000));
    expect([r1.status, await code(r1)]).toEqual([413, 'ERR_TOO_LARGE']);
    const t2 = await call(seller.s, 'market:blob-ticket', { listing: listing.id, kind: 'data', op: 'put' });
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(1024));
        c.close();
      },
    });
    const r2 = await put(t2.url, t2.ticket, chunks, { duplex: 'half' } as RequestInit);
    expect([r2.status, await code(r2)]).toEqual([413, 'ERR_TOO_LARGE']);
    expect((await h.svc.store.getListing(listing.id))!.blobs.data).toBeNull();
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(`${h.dir}/blobs/${listing.id}`)).toEqual([]);
  });
});

describe('market jobs', () => {
  it('are proposed by the buyer of an active purchase to its seller only', async () => {
    const { seller, buyer, listing } = await market(h);
    const cy = await h.online('cy', ['buyer', 'compute']);
    const p = await buy(h, buyer, listing.id);
    await expect(call(cy.s, 'job:propose', { kind: 'market', peer: 'sam', purchase: p.id })).rejects.toMatchObject({
      code: 'ERR_NO_PURCHASE',
    });
    await expect(call(seller.s, 'job:propose', { kind: 'market', peer: 'bea', purchase: p.id })).rejects.toMatchObject({
      code: 'ERR_NO_PURCHASE',
    });
    await expect(call(buyer.s, 'job:propose', { kind: 'market', peer: 'cy', purchase: p.id })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
    await expect(call(buyer.s, 'job:propose', { kind: 'market', peer: 'sam' })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
    await expect(
      call(buyer.s, 'job:propose', { kind: 'market', peer: 'sam', purchase: p.id, program: 'return 1' }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    const estimate = { ms: 1000, rounds: 1, bytes: 1, rows: 1, measured: false };
    await expect(
      call(buyer.s, 'job:propose', { kind: 'market', peer: 'sam', purchase: p.id, estimate }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    const job = await call(buyer.s, 'job:propose', { kind: 'market', peer: 'sam', purchase: p.id });
    expect(job).toMatchObject({
      kind: 'market',
      members: ['bea', 'sam'],
      purchase: p.id,
      program: null,
      reveal: [],
      deadline: p.expiresAt,
    });
    expect((await call(seller.s, 'job:accept', { jobId: job.id })).state).toBe('ready');
    expect((await h.svc.store.getJob(job.id))!.purchase).toBe(p.id);
  });
});

const tsx = (script: string, dbFile: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, PARLEY_DB: dbFile },
    encoding: 'utf8',
  });

describe('restart and operator tools', () => {
  it('keeps purchases, balances and a verifying ledger across a restart', async () => {
    const { seller, buyer, listing } = await market(h);
    const p = await buy(h, buyer, listing.id);
    await send(h, buyer.s, buyer.id, 'market:decrypt-request', decryptReq(p.id, 1));
    await h.svc.close();
    await h.start();
    const bs = h.track(await connectAs(h.url, buyer.id));
    const ss = h.track(await connectAs(h.url, seller.id));
    expect(await call(bs, 'market:balance', {})).toEqual({ balance: 60, escrow: 40 });
    expect((await call(ss, 'market:purchases', {}))[0]).toMatchObject({
      id: p.id,
      nextSeq: 2,
      budgetUsed: 0,
      state: 'active',
    });
    await send(h, bs, buyer.id, 'market:decrypt-request', decryptReq(p.id, 2));
    await send(h, ss, seller.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq: 1 } });
    expect((await call(ss, 'market:purchases', {}))[0]).toMatchObject({ budgetUsed: 1, decryptions: 1 });
    await send(h, bs, buyer.id, 'market:confirm', { type: 'confirm', purchase: p.id, body: {} });
    const jwk = await (await fetch(`${h.url}/.well-known/parley-service-key`)).json();
    expect(await verifyLedger(await h.svc.store.ledgerEntries(1, 1000), jwk)).toMatchObject({ ok: true });
  });

  it('grants, resolves and prints with the admin CLI; ledger:verify passes, then fails on tampering', async () => {
    const { seller, buyer, listing } = await market(h);
    const admin = (...a: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'signaling/admin.ts', ...a], {
        env: { ...process.env, PARLEY_DB: h.dbFile },
        encoding: 'utf8',
      });
    expect(admin('grant', 'bea', '25')).toMatch(/Granted 25 credits to bea/);
    // The running service appends after the CLI's entry without forking the chain.
    const p = await buy(h, buyer, listing.id);
    await send(h, seller.s, seller.id, 'market:dispute', { type: 'dispute', purchase: p.id, body: {} });
    const pushed = waitFor<{ id: string; state: string }>(
      buyer.s,
      'market:purchase',
      (x) => x.id === p.id && x.state === 'resolved-seller',
    );
    expect(admin('resolve', p.id, 'seller')).toMatch(/resolved-seller/);
    await pushed; // the running service pushes the operator's resolution to the tabs (next sweep)
    expect(await h.svc.store.getBalance('sam')).toEqual({ balance: 40, escrow: 0 });
    expect(
      admin('ledger')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['grant', 'listing', 'grant', 'purchase', 'dispute', 'resolve', 'payout']);
    expect(tsx('signaling/admin.ts', h.dbFile, 'grant', 'nobody', '5').status).toBe(1);

    const ok = tsx('signaling/ledger-verify.ts', h.dbFile);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, entries: 7, head: (await h.svc.store.ledgerHead())!.hash });
    const db = new Database(h.dbFile);
    db.prepare(`UPDATE ledger SET entry = replace(entry, '"balance\\":25', '"balance\\":2500') WHERE seq = 3`).run();
    db.close();
    const bad = tsx('signaling/ledger-verify.ts', h.dbFile);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, seq: 3, code: 'ERR_LEDGER_TAMPERED' });
  }, 60_000);
});
