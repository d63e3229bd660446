// The seller's end (workers/market/channel.ts) against a malicious buyer, built as the security
// review's reproductions build it, on the real service: (A) a buyer packs every row's age into
// one ciphertext with only the public key, blinds it and spends one budget unit: it gets B bits,
// not the column; (B) a buyer of a threshold-count-only listing asks the seller to run max, or a
// histogram with 10,000 thresholds: refused at once, nothing decrypted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importServiceKey, type LedgerEntry } from '../../../shared/ledger.js';
import type { Computation, Listing } from '../../../shared/market.js';
import { columnBits, resultBits } from '../../../shared/market-bounds.js';
import { SellerLink } from '../../../workers/market/channel.js';
import { bytesHash } from '../../../workers/market/computations.js';
import { runSellerJob } from '../../../workers/market/job.js';
import {
  blind,
  ciphertextsFromBytes,
  ciphertextsToBytes,
  generateKeys,
  listingKeyToJson,
  maskForSharesPacked,
  mod,
  type PrivateKey,
  PublicRandomness,
  packCiphertexts,
  privateKeyToBytes,
  UniformRandomness,
} from '../../../workers/market/paillier/index.js';
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
const AGE_BITS = 8;

describe('the seller against a malicious buyer', () => {
  const h = new Harness();
  let sk: PrivateKey;
  let blob: TableBlob;
  let ages: BigInt64Array;
  let serviceKey: CryptoKey;
  let seller: Awaited<ReturnType<Harness['online']>>;
  let buyer: Awaited<ReturnType<Harness['online']>>;

  beforeAll(async () => {
    await h.start();
    sk = await generateKeys(1024);
    const values = syntheticValues(columns, ROWS, 11);
    ages = values[0]!;
    blob = encryptColumns(sk, columns, values);
    serviceKey = await importServiceKey(await (await fetch(`${h.url}/.well-known/parley-service-key`)).json());
    seller = await h.online('sam', ['seller']);
    buyer = await h.online('bea', ['buyer']);
    await grant(h, 'bea', 1000);
  }, 60_000);
  afterAll(() => h.stop());

  async function listing(computations: Computation[], budget: number): Promise<Listing> {
    const body = listingBody(h.clock, {
      schema: columns,
      rows: ROWS,
      publicKey: listingKeyToJson(sk, 'sam'),
      policy: { computations, budget, conversionBudget: 4 * ROWS },
    });
    return send(h, seller.s, seller.id, 'market:publish', { type: 'publish', body });
  }

  /** The seller's tab serving one purchase (as the app runs it), and the buyer's raw end of the pool. */
  async function serve(l: Listing, sellerSees: Computation[] = l.policy.computations) {
    const p = await buy(h, buyer, l.id);
    const net = new MemoryNetwork(2);
    const pools = [0, 1].map((me) => new Pool({ parties: ['bea', 'sam'], me, links: net.linksOf(me) }));
    const served = { decryptions: 0 };
    const run = runSellerJob(pools[1]!, {
      purchase: p.id,
      buyer: 'bea',
      privateKey: privateKeyToBytes(sk),
      listing: { schema: columns, rows: ROWS, computations: sellerSees },
      blob: tableBlobToBytes(blob),
      serviceKey,
      recordDecryption: async (seq) => {
        served.decryptions++;
        await send(h, seller.s, seller.id, 'market:decryption', { type: 'decryption', purchase: p.id, body: { seq } });
      },
    });
    const request = (body: Record<string, unknown>) =>
      send(h, buyer.s, buyer.id, 'market:decrypt-request', {
        type: 'decrypt-request',
        purchase: p.id,
        body: { seq: 1, paramsCommitment: 'c'.repeat(64), ...body },
      }) as Promise<LedgerEntry>;
    const end = async () => {
      await new SellerLink(pools[0]!, 1, 1).bye().catch(() => undefined);
      pools.forEach((x) => x.close());
      await run.catch(() => undefined);
    };
    return { p, pool: pools[0]!, served, request, end };
  }

  it('(A) a packed ciphertext of every age, blinded, for one unit: at most B bits come back', async () => {
    const l = await listing(['sum'], 1);
    const s = await serve(l);
    const pk = sk.publicKey;
    // The attack: Π c_i^(2^(8i)) with only the public key, blinded as usual, declared as a sum.
    const packed = packCiphertexts(pk, ciphertextsFromBytes(pk, blob.data[0]!), AGE_BITS);
    const { blinded, r } = blind(pk, packed, new UniformRandomness(pk));
    const bytes = ciphertextsToBytes(pk, [blinded]);
    const entry = await s.request({
      kind: 'result',
      computation: 'sum',
      count: 1,
      ciphertextsHash: await bytesHash(bytes),
    });
    const [t] = await new SellerLink(s.pool, 1).decrypt(entry, bytes);
    const B = resultBits(columns, ROWS, 'sum');
    expect(t! < 1n << BigInt(B)).toBe(true);
    // However the buyer reads it (the whole plaintext, or its low B bits), at most ⌊B/8⌋ ages come out.
    const readings = [mod(t! - r, pk.n), BigInt.asUintN(B, t! - r)];
    const recovered = Math.max(
      ...readings.map((m) => ages.filter((a, i) => (m >> BigInt(AGE_BITS * i)) % 256n === BigInt(a)).length),
    );
    expect(recovered).toBeLessThanOrEqual(Math.floor(B / AGE_BITS));
    expect(recovered).toBeLessThan(ROWS / 4);
    expect(s.served.decryptions).toBe(1);
    await s.end();
  }, 60_000);

  /** A countersigned conversion request with a legitimate shape, and its packs. */
  async function conversion(s: Awaited<ReturnType<typeof serve>>, kind: Computation, thresholds: number) {
    const pk = sk.publicKey;
    const ellBits = columnBits(columns[0]!) + 1;
    const { masked } = maskForSharesPacked(
      pk,
      ciphertextsFromBytes(pk, blob.data[0]!),
      ellBits,
      new PublicRandomness(pk),
    );
    const bytes = ciphertextsToBytes(pk, masked);
    const shape = { kind, rows: ROWS, thresholds, ellBits };
    const entry = await s.request({
      kind: 'conversion',
      computation: kind,
      count: ROWS,
      ciphertextsHash: await bytesHash(bytes),
      shape,
    });
    return { entry, bytes, shape };
  }

  it('(B) a threshold-count-only listing: the seller does not run max; nothing is decrypted', async () => {
    const l = await listing(['threshold-count'], 1);
    const s = await serve(l);
    // The service countersigns no request for max, nor a threshold count whose program is max.
    const ok = await conversion(s, 'threshold-count', 1);
    await expect(
      s.request({
        seq: 2,
        kind: 'conversion',
        computation: 'max',
        count: ROWS,
        ciphertextsHash: 'd'.repeat(64),
        shape: { ...ok.shape, kind: 'max', thresholds: 0 },
      }),
    ).rejects.toMatchObject({ code: 'ERR_POLICY' });
    await expect(
      s.request({
        seq: 2,
        kind: 'conversion',
        computation: 'threshold-count',
        count: ROWS,
        ciphertextsHash: 'd'.repeat(64),
        shape: { ...ok.shape, kind: 'max', thresholds: 0 },
      }),
    ).rejects.toMatchObject({ code: 'ERR_POLICY' });
    // The reproduction: the countersigned threshold-count entry, and an unsigned message naming max.
    await s.pool.send(
      1,
      {
        op: 'convert',
        entry: ok.entry,
        ciphertexts: ok.bytes,
        shape: { ...ok.shape, kind: 'max', thresholds: 0 },
        ellBits: ok.shape.ellBits,
      },
      'mkt/b/0',
    );
    expect(await s.pool.recv(1, 'mkt/s/0')).toMatchObject({ op: 'error', error: { code: 'ERR_ALTERED' } });
    expect(s.served.decryptions).toBe(0);
    await s.end();
  }, 60_000);

  it('(B) a histogram with 10,000 thresholds is refused at once, by the service and by the seller', async () => {
    const l = await listing(['histogram'], 1);
    const s = await serve(l);
    const ok = await conversion(s, 'histogram', 4);
    await expect(
      s.request({
        seq: 2,
        kind: 'conversion',
        computation: 'histogram',
        count: ROWS,
        ciphertextsHash: 'd'.repeat(64),
        shape: { ...ok.shape, thresholds: 10_000 },
      }),
    ).rejects.toMatchObject({ code: 'ERR_POLICY' });
    await s.pool.send(
      1,
      {
        op: 'convert',
        entry: ok.entry,
        ciphertexts: ok.bytes,
        shape: { ...ok.shape, thresholds: 10_000 },
        ellBits: ok.shape.ellBits,
      },
      'mkt/b/0',
    );
    expect(await s.pool.recv(1, 'mkt/s/0')).toMatchObject({ op: 'error', error: { code: 'ERR_ALTERED' } });
    expect(s.served.decryptions).toBe(0);
    await s.end();
  }, 60_000);

  it('the seller checks the policy itself: a countersigned request for a computation its listing does not offer is refused', async () => {
    const l = await listing(['threshold-count', 'max'], 1);
    const s = await serve(l, ['threshold-count']); // as if the service had countersigned anything
    const max = await conversion(s, 'max', 0);
    await s.pool.send(1, { op: 'convert', entry: max.entry, ciphertexts: max.bytes, shape: max.shape }, 'mkt/b/0');
    expect(await s.pool.recv(1, 'mkt/s/0')).toMatchObject({ op: 'error', error: { code: 'ERR_POLICY' } });
    expect(s.served.decryptions).toBe(0);
    await s.end();
  }, 60_000);
});
