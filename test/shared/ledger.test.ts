// The ledger format and its verification: canonical JSON known answers, a real chain made by the
// service verifies, and every kind of tampering (altered body, an amount edited in SQLite, a
// removed or reordered entry, forged actor or service signatures, a reused nonce) is caught
// with ERR_LEDGER_TAMPERED at the right seq.

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  entryHash,
  type LedgerEntry,
  serviceSignedBytes,
  signRequest,
  verifyLedger,
} from '../../shared/ledger.js';
import { toBase64Url } from '../../shared/random.js';
import { loadServiceKey } from '../../signaling/service-key.js';
import { call, makeIdentity, type TestIdentity } from '../helpers/client.js';
import { buy, decryptReq, market, send } from '../helpers/market.js';
import { Harness } from '../helpers/service.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves out whitespace and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x', undefined], c: { z: 1, y: 'é', u: undefined } })).toBe(
      '{"a":[true,null,"x",null],"b":1,"c":{"y":"é","z":1}}',
    );
    expect(canonicalJson({ B: 1, a: 2, _: 3 })).toBe('{"B":1,"_":3,"a":2}');
    expect(canonicalJson([1.5, -0, 1e21, 'a"b\n'])).toBe('[1.5,0,1e+21,"a\\"b\\n"]');
    expect(canonicalJson('x')).toBe('"x"');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
    expect(() => canonicalJson({ x: 1n })).toThrow();
  });

  it('hashes an entry as SHA-256 of its canonical bytes', async () => {
    const e = {
      seq: 1,
      prev: '0'.repeat(64),
      at: 5,
      type: 'grant',
      actor: 'operator',
      listing: null,
      purchase: null,
      request: '{}',
      actorKey: null,
      actorSig: null,
      serviceSig: 'AA',
    };
    expect(await entryHash(e)).toBe(createHash('sha256').update(canonicalJson(e)).digest('hex'));
  });
});

describe('verifyLedger on a chain made by the service', () => {
  let h: Harness;
  let entries: LedgerEntry[];
  let jwk: { kty: string; crv: string; x: string };
  let buyer: TestIdentity;

  beforeEach(async () => {
    h = new Harness();
    await h.start();
    const m = await market(h);
    buyer = m.buyer.id;
    const p = await buy(h, m.buyer, m.listing.id);
    await send(h, m.buyer.s, m.buyer.id, 'market:decrypt-request', decryptReq(p.id, 1));
    await send(h, m.seller.s, m.seller.id, 'market:decryption', {
      type: 'decryption',
      purchase: p.id,
      body: { seq: 1 },
    });
    await send(h, m.buyer.s, m.buyer.id, 'market:confirm', { type: 'confirm', purchase: p.id, body: {} });
    entries = (await call(m.buyer.s, 'market:ledger', {})).entries;
    jwk = await (await fetch(`${h.url}/.well-known/parley-service-key`)).json();
  });
  afterEach(() => h.stop());

  const tampered = async (list: LedgerEntry[], seq: number) => {
    const v = await verifyLedger(list, jwk);
    expect(v).toMatchObject({ ok: false, seq, code: 'ERR_LEDGER_TAMPERED' });
    return v.ok ? '' : v.message;
  };
  const copy = () => entries.map((e) => structuredClone(e));
  const resign = async (e: Omit<LedgerEntry, 'serviceSig'> & { serviceSig?: string }, key?: CryptoKey) => {
    const k = key ?? (await loadServiceKey(h.dir)).privateKey;
    const sig = await crypto.subtle.sign({ name: 'Ed25519' }, k, serviceSignedBytes(e) as BufferSource);
    return { ...e, serviceSig: toBase64Url(new Uint8Array(sig)) } as LedgerEntry;
  };

  it('accepts the real chain; its head is the last stored hash', async () => {
    expect(entries.map((e) => e.type)).toEqual([
      'grant',
      'listing',
      'purchase',
      'decrypt-request',
      'decryption',
      'confirm',
      'payout',
    ]);
    const v = await verifyLedger(entries, jwk);
    expect(v).toEqual({ ok: true, head: (await h.svc.store.ledgerHead())!.hash });
    expect(await verifyLedger([], jwk)).toEqual({ ok: true, head: '0'.repeat(64) });
  });

  it('catches an altered request body', async () => {
    const list = copy();
    list[3]!.request = list[3]!.request.replace('"count":1', '"count":2');
    expect(await tampered(list, 4)).toMatch(/service signature/);
  });

  it('catches an amount edited directly in the SQLite row', async () => {
    const db = new Database(h.dbFile);
    db.prepare(`UPDATE ledger SET entry = replace(entry, '"balance\\":100', '"balance\\":1000') WHERE seq = 1`).run();
    db.close();
    const stored = await h.svc.store.ledgerEntries(1, 100);
    expect(stored[0]!.request).toContain('"balance":1000');
    await tampered(stored, 1);
  });

  it('catches a removed entry and two entries swapped', async () => {
    const removed = copy();
    removed.splice(2, 1);
    expect(await tampered(removed, 4)).toMatch(/expected seq 3/);
    const swapped = copy();
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    await tampered(swapped, 5);
    // Renumbered to look contiguous: the hash chain still breaks.
    const renumbered = swapped.map((e, i) => ({ ...e, seq: i + 1 }));
    await tampered(renumbered, 4);
  });

  it('catches a forged actor signature even when the service countersigns it', async () => {
    const list = copy();
    const mallory = await makeIdentity('mallory');
    const forged = await signRequest(mallory.keys.privateKey, JSON.parse(list[5]!.request));
    list[5] = await resign({ ...list[5]!, actorSig: forged.signature });
    expect(await tampered(list, 6)).toMatch(/actor signature/);
  });

  it('catches a forged service signature', async () => {
    const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const list = copy();
    list[1] = await resign(list[1]!, other.privateKey);
    expect(await tampered(list, 2)).toMatch(/service signature/);
  });

  it('catches a nonce used twice by the same actor', async () => {
    const list = copy();
    const first = JSON.parse(list[2]!.request); // the buyer's purchase request
    const again = await signRequest(buyer.keys.privateKey, {
      type: 'dispute',
      actor: buyer.name,
      purchase: list[2]!.purchase!,
      body: {},
      nonce: first.nonce,
      at: first.at,
    });
    const last = list[list.length - 1]!;
    list.push(
      await resign({
        seq: last.seq + 1,
        prev: await entryHash(last),
        at: last.at,
        type: 'dispute',
        actor: buyer.name,
        listing: last.listing,
        purchase: last.purchase,
        request: again.request,
        actorKey: list[2]!.actorKey,
        actorSig: again.signature,
      }),
    );
    expect(await tampered(list, 8)).toMatch(/nonce/);
  });

  it('catches a request whose ids differ from its entry', async () => {
    const list = copy();
    list[3] = await resign({ ...list[3]!, purchase: crypto.randomUUID() });
    expect(await tampered(list, 4)).toMatch(/another purchase/);
  });
});
