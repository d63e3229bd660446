// Who reads what of the marketplace ledger, on the real service: the review's attack (an
// unrelated participant, eve, reads the ledger after a buyer's threshold count and brute-forces
// the threshold from it) finds nothing, neither in eve's view (the entry is redacted) nor in the
// seller's (the parameters are committed to under the buyer's secret salt); parties read their
// purchase's entries in full; every reader's view still verifies, and an entry edited in the
// SQLite file breaks every reader's chain, redacted or not.

import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, importServiceKey, isRedacted, type LedgerView, verifyLedger } from '../../shared/ledger.js';
import type { LedgerPage } from '../../shared/market.js';
import type { ComputationSpec } from '../../workers/market/computations.js';
import { runBuyerJob, runSellerJob } from '../../workers/market/job.js';
import { generateKeys, listingKeyToJson, privateKeyToBytes } from '../../workers/market/paillier/index.js';
import { encryptColumns, tableBlobToBytes } from '../../workers/market/seller.js';
import { type Column, syntheticValues } from '../../workers/market/table.js';
import { MemoryNetwork } from '../../workers/pool/memory-network.js';
import { Pool } from '../../workers/pool/pool.js';
import { call } from '../helpers/client.js';
import { buy, grant, listingBody, send } from '../helpers/market.js';
import { Harness } from '../helpers/service.js';

const columns: Column[] = [
  { name: 'age', type: 'int', decimals: 0, min: 18, max: 90 },
  { name: 'income', type: 'decimal', decimals: 2, min: 0, max: 5000 },
];
const ROWS = 16;
const SECRET: ComputationSpec = { kind: 'threshold-count', column: 'income', op: 'ge', threshold: 4321.57 };

describe('ledger read access', () => {
  const h = new Harness();
  let jwk: { kty: string; crv: string; x: string };
  let views: Record<'bea' | 'sam' | 'eve', LedgerView[]>;
  let purchase: string;
  let eveSocket: Awaited<ReturnType<Harness['online']>>['s'];

  beforeAll(async () => {
    await h.start();
    jwk = await (await fetch(`${h.url}/.well-known/parley-service-key`)).json();
    const sk = await generateKeys(1024);
    const blob = encryptColumns(sk, columns, syntheticValues(columns, ROWS, 3));
    const seller = await h.online('sam', ['seller']);
    const buyer = await h.online('bea', ['buyer']);
    const eve = await h.online('eve');
    await grant(h, 'bea', 1000);
    const body = listingBody(h.clock, {
      schema: columns,
      rows: ROWS,
      publicKey: listingKeyToJson(sk, 'sam'),
      policy: { computations: ['threshold-count'], budget: 1, conversionBudget: ROWS },
    });
    const listing = await send(h, seller.s, seller.id, 'market:publish', { type: 'publish', body });
    purchase = (await buy(h, buyer, listing.id)).id;
    // The buyer's real code makes and signs the request; the seller's real code answers.
    const net = new MemoryNetwork(2);
    const pools = [0, 1].map((me) => new Pool({ parties: ['bea', 'sam'], me, links: net.linksOf(me) }));
    const sellerRun = runSellerJob(pools[1]!, {
      purchase,
      buyer: 'bea',
      privateKey: privateKeyToBytes(sk),
      listing: { schema: columns, rows: ROWS, computations: ['threshold-count'] },
      blob: tableBlobToBytes(blob),
      serviceKey: await importServiceKey(jwk),
      recordDecryption: async (seq) =>
        void (await send(h, seller.s, seller.id, 'market:decryption', { type: 'decryption', purchase, body: { seq } })),
    });
    await runBuyerJob(pools[0]!, {
      seller: 'sam',
      publicKey: listingKeyToJson(sk, 'sam'),
      blob: null,
      columns,
      rows: ROWS,
      offered: ['threshold-count'],
      specs: [SECRET],
      requestDecryption: (b) =>
        send(h, buyer.s, buyer.id, 'market:decrypt-request', {
          type: 'decrypt-request',
          purchase,
          body: { seq: 1, ...b },
        }),
    });
    await sellerRun;
    pools.forEach((p) => p.close());
    const read = async (s: typeof eve.s) => ((await call(s, 'market:ledger', {})) as LedgerPage).entries;
    views = { bea: await read(buyer.s), sam: await read(seller.s), eve: await read(eve.s) };
    eveSocket = eve.s;
  }, 120_000);
  afterAll(() => h.stop());

  /** The review's brute force: unsalted SHA-256 of every candidate spec on a grid around the secret. */
  function bruteForce(view: LedgerView[]): ComputationSpec[] {
    const text = JSON.stringify(view);
    const found: ComputationSpec[] = [];
    for (const column of ['age', 'income'])
      for (const op of ['gt', 'ge', 'lt', 'le'] as const)
        for (let cents = 430_000; cents <= 434_000; cents++) {
          const guess = { kind: 'threshold-count' as const, column, op, threshold: cents / 100 };
          const hash = createHash('sha256').update(canonicalJson(guess)).digest('hex');
          if (text.includes(hash)) found.push(guess);
        }
    return found;
  }

  it('eve, a party to nothing, gets the request redacted and recovers no threshold', async () => {
    const request = views.eve.find(
      (e) => e.seq === views.bea.find((b) => !isRedacted(b) && b.type === 'decrypt-request')!.seq,
    )!;
    expect(isRedacted(request)).toBe(true);
    expect(Object.keys(request).sort()).toEqual(['hash', 'prev', 'redacted', 'seq']);
    expect(JSON.stringify(views.eve)).not.toContain('paramsCommitment');
    expect(bruteForce(views.eve)).toEqual([]);
    // Nor does eve see who bought, or the buyer's grant: only the public listing is in full.
    const full = views.eve.filter((e) => !isRedacted(e));
    expect(full.map((e) => (isRedacted(e) ? '' : e.type))).toEqual(['listing']);
  });

  it('the parties read their purchase in full, and the commitment there gives the brute force nothing either', async () => {
    for (const who of ['bea', 'sam'] as const) {
      const mine = views[who].filter((e) => !isRedacted(e) && e.purchase === purchase);
      expect(mine.map((e) => (isRedacted(e) ? '' : e.type))).toEqual(['purchase', 'decrypt-request', 'decryption']);
      expect(bruteForce(views[who])).toEqual([]);
    }
    // The buyer sees its grant; the seller does not.
    expect(views.bea.some((e) => !isRedacted(e) && e.type === 'grant')).toBe(true);
    expect(views.sam.some((e) => !isRedacted(e) && e.type === 'grant')).toBe(false);
  });

  it("every reader's view verifies; an entry edited in SQLite breaks every reader's chain", async () => {
    const head = (await h.svc.store.ledgerHead())!.hash;
    for (const v of Object.values(views)) expect(await verifyLedger(v, jwk)).toEqual({ ok: true, head });
    const db = new Database(h.dbFile);
    db.prepare(`UPDATE ledger SET entry = replace(entry, '"seq\\":1,', '"seq\\":2,') WHERE seq = 4`).run();
    db.close();
    const after = ((await call(eveSocket, 'market:ledger', {})) as LedgerPage).entries;
    expect(isRedacted(after[3]!)).toBe(true);
    expect(await verifyLedger(after, jwk)).toMatchObject({ ok: false, seq: 5, code: 'ERR_LEDGER_TAMPERED' });
  });
});
