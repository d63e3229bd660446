// The buyer's end of a market job refuses a listing key without a valid modulus proof before it
// does any work (SECURITY_REVIEW #4): the review's crafted key with the attacker's best proof, a
// key with no proof, and an honest key's proof under another seller's name all end in
// ERR_BAD_KEY with nothing sent to the seller and no decryption requested. An honest listing key
// still runs.

import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import type { ComputationSpec } from '../../../workers/market/computations.js';
import { runBuyerJob } from '../../../workers/market/job.js';
import {
  ciphertextsToBytes,
  encrypt,
  listingKeyFromJson,
  listingKeyToJson,
  type PublicKey,
  type PublicKeyJson,
  PublicRandomness,
  privateKeyFromPrimes,
  publicKeyFromJson,
} from '../../../workers/market/paillier/index.js';
import { tableBlobToBytes } from '../../../workers/market/seller.js';
import type { Column } from '../../../workers/market/table.js';
import { MemoryNetwork } from '../../../workers/pool/memory-network.js';
import { Pool } from '../../../workers/pool/pool.js';
import { craftedListingKey } from './crafted-keys.js';
import { P256, Q256 } from './keys.js';

const columns: Column[] = [{ name: 'income', type: 'int', decimals: 0, min: -1000, max: 1000 }];
const ROWS = 7;
const SPEC: ComputationSpec = {
  kind: 'weighted-sum',
  column: 'income',
  weights: [-30000, 21522, 13043, 4564, -3915, -12394, -20873],
  weightDecimals: 0,
};

/** Runs the buyer's end against a silent seller; counts messages sent and decryptions requested. */
async function buyerRun(publicKey: PublicKeyJson, pk: PublicKey, seller: string) {
  const net = new MemoryNetwork(2);
  const pool = new Pool({ parties: ['bea', seller], me: 0, links: net.linksOf(0) });
  const cts = Array.from({ length: ROWS }, (_, i) => encrypt(pk, BigInt(i * 10), new PublicRandomness(pk)));
  const blob = tableBlobToBytes({ keyId: pk.keyId, rows: ROWS, columns, data: [ciphertextsToBytes(pk, cts)] });
  let requested = 0;
  const result = await runBuyerJob(pool, {
    publicKey,
    seller,
    blob,
    columns,
    rows: ROWS,
    offered: ['weighted-sum'],
    specs: [SPEC],
    requestDecryption: async () => {
      requested++;
      throw new ParleyError('ERR_PEER_LEFT', 'this test has no seller');
    },
  }).then(
    () => null,
    (e: unknown) => e,
  );
  const sent = pool.stats.messagesSent;
  pool.close();
  return { error: result as ParleyError | null, sent, requested };
}

describe("the buyer's key check", () => {
  let crafted: { json: PublicKeyJson; pk: PublicKey };
  beforeAll(async () => {
    crafted = await craftedListingKey('mallory');
  }, 120_000);

  it("the review's crafted key passes the plain key parse, so only the proof stands in its way", async () => {
    await expect(publicKeyFromJson(crafted.json)).resolves.toMatchObject({ n: crafted.pk.n });
    await expect(listingKeyFromJson(crafted.json, 'mallory')).rejects.toMatchObject({ code: 'ERR_BAD_KEY' });
  });

  it('refuses the crafted listing before any work: nothing sent, no decryption requested', async () => {
    const run = await buyerRun(crafted.json, crafted.pk, 'mallory');
    expect(run.error).toMatchObject({ code: 'ERR_BAD_KEY' });
    expect(run.requested).toBe(0);
    expect(run.sent).toBe(0);
  });

  it('refuses a listing key without a proof, with a proof that is not base64url, or proven for another seller', async () => {
    const sk = await privateKeyFromPrimes(P256, Q256);
    const honest = listingKeyToJson(sk, 'sam');
    await expect(listingKeyFromJson(honest, 'sam')).resolves.toMatchObject({ keyId: sk.publicKey.keyId });
    const { proof: _, ...bare } = honest;
    for (const [json, seller] of [
      [bare, 'sam'],
      [{ ...honest, proof: 'not base64!' }, 'sam'],
      [{ ...honest, proof: '' }, 'sam'],
      [honest, 'mallory'],
    ] as const) {
      await expect(listingKeyFromJson(json, seller)).rejects.toMatchObject({ code: 'ERR_BAD_KEY' });
      const run = await buyerRun(json, sk.publicKey, seller);
      expect(run.error).toMatchObject({ code: 'ERR_BAD_KEY' });
      expect(run.requested + run.sent).toBe(0);
    }
    // The same key with its proof gets as far as asking for the decryption.
    const ok = await buyerRun(honest, sk.publicKey, 'sam');
    expect(ok.requested).toBe(1);
    expect(ok.error).toMatchObject({ code: 'ERR_PEER_LEFT' });
  });
});
