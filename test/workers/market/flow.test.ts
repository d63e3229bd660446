// A whole purchase on the real service (socket.io, SQLite, signed requests, countersigned
// entries) with the buyer and seller workers' code talking over an in-memory pool: weighted
// sum, mean, linear scores (homomorphic, blinded decryption) and threshold count, min and
// histogram (conversion to shares + SecureNumpy), against plaintext; then the seller's refusals.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServiceKey, type LedgerEntry } from '../../../shared/ledger.js';
import { COMPUTATIONS } from '../../../shared/market.js';
import { SellerLink } from '../../../workers/market/channel.js';
import { bytesHash, type ComputationSpec } from '../../../workers/market/computations.js';
import { runBuyerJob, runSellerJob } from '../../../workers/market/job.js';
import {
  generateKeys,
  listingKeyToJson,
  type PrivateKey,
  privateKeyToBytes,
} from '../../../workers/market/paillier/index.js';
import { evaluatePlain } from '../../../workers/market/plain.js';
import { encryptColumns, type TableBlob, tableBlobToBytes } from '../../../workers/market/seller.js';
import { type Column, syntheticValues } from '../../../workers/market/table.js';
import { MemoryNetwork } from '../../../workers/pool/memory-network.js';
import { Pool } from '../../../workers/pool/pool.js';
import { buy, grant, listingBody, send } from '../../helpers/market.js';
import { Harness } from '../../helpers/service.js';

const columns: Column[] = [
  { name: 'age', type: 'int', decimals: 0, min: 18, max: 90 },
  { name: 'income', type: 'decimal', decimals: 2, min: 0, max: 5000 },
];
const ROWS = 24;

describe('a purchase between seller and buyer code over the real service', () => {
  const h = new Harness();
  let sk: PrivateKey;
  let blob: TableBlob;
  let values: BigInt64Array[];
  let serviceKey: CryptoKey;
  let seller: Awaited<ReturnType<Harness['online']>>;
  let buyer: Awaited<ReturnType<Harness['online']>>;
  let listingId: string;

  beforeAll(async () => {
    await h.start();
    sk = await generateKeys(1024);
    values = syntheticValues(columns, ROWS, 7);
    blob = encryptColumns(sk, columns, values);
    serviceKey = await importServiceKey(await (await fetch(`${h.url}/.well-known/parley-service-key`)).json());
    seller = await h.online('sam', ['seller']);
    buyer = await h.online('bea', ['buyer']);
    await grant(h, 'bea', 1000);
    const body = listingBody(h.clock, {
      schema: columns,
      rows: ROWS,
      publicKey: listingKeyToJson(sk, 'sam'),
      policy: { computations: [...COMPUTATIONS], budget: 30, conversionBudget: 4 * ROWS },
    });
    listingId = (await send(h, seller.s, seller.id, 'market:publish', { type: 'publish', body })).id;
  }, 60_000);
  afterAll(() => h.stop());

  /** Runs both ends of one market job on fresh pools; returns the buyer's answers. */
  async function session(purchase: string, specs: ComputationSpec[], firstSeq: number) {
    const net = new MemoryNetwork(2);
    const parties = ['bea', 'sam'];
    const pools = [0, 1].map((me) => new Pool({ parties, me, links: net.linksOf(me) }));
    let seq = firstSeq;
    const sellerRun = runSellerJob(pools[1]!, {
      purchase,
      buyer: 'bea',
      privateKey: privateKeyToBytes(sk),
      listing: { schema: columns, rows: ROWS, computations: [...COMPUTATIONS] },
      blob: tableBlobToBytes(blob),
      serviceKey,
      recordDecryption: async (s) =>
        void (await send(h, seller.s, seller.id, 'market:decryption', {
          type: 'decryption',
          purchase,
          body: { seq: s },
        })),
    });
    const answers = await runBuyerJob(pools[0]!, {
      publicKey: listingKeyToJson(sk, 'sam'),
      seller: 'sam',
      blob: null,
      columns,
      rows: ROWS,
      offered: [...COMPUTATIONS],
      specs,
      requestDecryption: (body) =>
        send(h, buyer.s, buyer.id, 'market:decrypt-request', {
          type: 'decrypt-request',
          purchase,
          body: { seq: seq++, ...body },
        }),
    });
    expect(await sellerRun).toEqual({ requests: specs.length + 1 }); // the fetch and each spec
    pools.forEach((p) => p.close());
    return answers;
  }

  it('answers linear and converted computations exactly as plaintext does', async () => {
    const p = await buy(h, buyer, listingId);
    const weights = Array.from({ length: ROWS }, (_, i) => ((i * 37) % 11) - 5 + 0.25);
    const specs: ComputationSpec[] = [
      { kind: 'weighted-sum', column: 'income', weights, weightDecimals: 2 },
      { kind: 'mean', column: 'age' },
      { kind: 'linear-score', coefficients: { age: 0.5, income: -0.01 }, intercept: 3, weightDecimals: 2 },
      { kind: 'threshold-count', column: 'income', op: 'ge', threshold: 2500 },
      { kind: 'min', column: 'age' },
      { kind: 'histogram', column: 'age', edges: [18, 40, 60, 90] },
      // A threshold on a score computed on ciphertexts: the seller sees neither coefficients nor scores.
      {
        kind: 'threshold-count',
        score: { coefficients: { age: 0.5, income: -0.01 }, intercept: 3, weightDecimals: 2 },
        op: 'gt',
        threshold: 10,
      },
    ];
    const answers = await session(p.id, specs, 1);
    specs.forEach((spec, i) => {
      const want = evaluatePlain(spec, columns, values, ROWS);
      expect(answers[i]!.length).toBe(want.length);
      answers[i]!.forEach((a, j) => expect(a).toBeCloseTo(want[j]!, 6));
    });
    const purchase = (await send(h, buyer.s, buyer.id, 'market:confirm', {
      type: 'confirm',
      purchase: p.id,
      body: {},
    })) as { state: string };
    expect(purchase.state).toBe('confirmed');
  }, 120_000);

  it('a computation beyond what the purchase has left fails at once, before any work or request', async () => {
    const p = await buy(h, buyer, listingId);
    const net = new MemoryNetwork(2);
    const pools = [0, 1].map((me) => new Pool({ parties: ['bea', 'sam'], me, links: net.linksOf(me) }));
    const sellerRun = runSellerJob(pools[1]!, {
      purchase: p.id,
      buyer: 'bea',
      privateKey: privateKeyToBytes(sk),
      listing: { schema: columns, rows: ROWS, computations: [...COMPUTATIONS] },
      blob: tableBlobToBytes(blob),
      serviceKey,
      recordDecryption: async () => undefined,
    });
    let requested = 0;
    const run = runBuyerJob(pools[0]!, {
      publicKey: listingKeyToJson(sk, 'sam'),
      seller: 'sam',
      blob: null,
      columns,
      rows: ROWS,
      offered: [...COMPUTATIONS],
      specs: [
        { kind: 'sum', column: 'age' },
        { kind: 'linear-score', coefficients: { age: 1 }, intercept: 0, weightDecimals: 0 },
      ],
      remaining: { results: 5, conversions: 0 },
      requestDecryption: async () => (requested++, Promise.reject(new Error('no request should be made'))),
    });
    await expect(run).rejects.toMatchObject({ code: 'ERR_BUDGET' });
    expect(requested).toBe(0);
    pools[0]!.abort({ code: 'ERR_BUDGET', message: 'over budget' }); // as the job worker does on failure
    await expect(sellerRun).rejects.toMatchObject({ code: 'ERR_PEER_ABORTED' });
    pools.forEach((x) => x.close());
  });

  it('the seller refuses altered ciphertexts, replayed requests and entries without the service signature', async () => {
    const p = await buy(h, buyer, listingId);
    const net = new MemoryNetwork(2);
    const pools = [0, 1].map((me) => new Pool({ parties: ['bea', 'sam'], me, links: net.linksOf(me) }));
    let decrypted = 0;
    const sellerRun = runSellerJob(pools[1]!, {
      purchase: p.id,
      buyer: 'bea',
      privateKey: privateKeyToBytes(sk),
      listing: { schema: columns, rows: ROWS, computations: [...COMPUTATIONS] },
      blob: tableBlobToBytes(blob),
      serviceKey,
      recordDecryption: async (s) =>
        void (await send(h, seller.s, seller.id, 'market:decryption', {
          type: 'decryption',
          purchase: p.id,
          body: { seq: s },
        })),
      onServed: () => decrypted++,
    });
    // A message the protocol does not know gets a coded refusal, and serving goes on.
    await pools[0]!.send(1, { op: 'steal-key' }, 'mkt/b/0');
    expect(await pools[0]!.recv(1, 'mkt/s/0')).toMatchObject({ op: 'error', error: { code: 'ERR_PROTOCOL' } });
    const link = new SellerLink(pools[0]!, 1, 1);
    // Only the columns asked for travel; an unknown column is refused and serving goes on.
    const one = await link.fetch([1]);
    expect(one.columns).toEqual([blob.data[1]]);
    await expect(link.fetch([2])).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    const bytes = blob.data[0]!.slice(0, blob.data[0]!.length / ROWS); // one real ciphertext
    const request = async (seq: number, b: Uint8Array) =>
      (await send(h, buyer.s, buyer.id, 'market:decrypt-request', {
        type: 'decrypt-request',
        purchase: p.id,
        body: {
          seq,
          kind: 'result',
          computation: 'sum',
          paramsCommitment: 'a'.repeat(64),
          count: 1,
          ciphertextsHash: await bytesHash(b),
        },
      })) as LedgerEntry;
    const entry = await request(1, bytes);
    // Ciphertext bytes of a wrong length are refused before any check or decryption.
    await expect(link.decrypt(entry, bytes.subarray(1))).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });

    const altered = bytes.slice();
    altered[altered.length - 1] = altered[altered.length - 1]! ^ 1;
    await expect(link.decrypt(entry, altered)).rejects.toMatchObject({ code: 'ERR_ALTERED' });
    await expect(
      link.decrypt({ ...entry, serviceSig: entry.serviceSig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, bytes),
    ).rejects.toMatchObject({ code: 'ERR_ALTERED' });
    await expect(
      link.decrypt({ ...entry, request: entry.request.replace('"count":1', '"count":2') }, bytes),
    ).rejects.toMatchObject({ code: 'ERR_ALTERED' });
    expect(decrypted).toBe(0);

    const first = await link.decrypt(entry, bytes);
    expect(first).toHaveLength(1);
    await expect(link.decrypt(entry, bytes)).rejects.toMatchObject({ code: 'ERR_REPLAY' });
    expect(decrypted).toBe(1);
    await link.bye();
    await sellerRun;
    pools.forEach((x) => x.close());
  }, 60_000);
});
