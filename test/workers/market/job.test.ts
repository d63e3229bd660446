// The buyer's end of a market job refuses a listing key without a valid modulus proof before it
// does any work (SECURITY_REVIEW #4): the review's crafted key with the attacker's best proof, a
// key with no proof, and an honest key's proof under another seller's name all end in
// ERR_BAD_KEY with nothing sent to the seller and no decryption requested. An honest listing key
// still runs. First, why: under the crafted key the buyer's uniform re-randomization leaves a
// coset the seller reads every weight from (the review's attack, redone on the library).

import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import type { ComputationSpec } from '../../../workers/market/computations.js';
import { runBuyerJob } from '../../../workers/market/job.js';
import {
  blind,
  ciphertextsToBytes,
  encrypt,
  listingKeyFromJson,
  listingKeyToJson,
  mod,
  modInverse,
  modPow,
  type PublicKey,
  type PublicKeyJson,
  PublicRandomness,
  privateKeyFromPrimes,
  publicKeyFromJson,
  UniformRandomness,
  weightedSum,
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

/** x in [0, order) with base^x ≡ target (mod m), by baby-step giant-step. */
function discreteLog(base: bigint, target: bigint, order: bigint, m: bigint): bigint {
  const step = BigInt(Math.ceil(Math.sqrt(Number(order))));
  const baby = new Map<bigint, bigint>();
  for (let j = 0n, x = 1n; j < step; j++, x = (x * base) % m) baby.set(x, j);
  const giant = modInverse(modPow(base, step, m), m);
  for (let i = 0n, y = target; i <= step; i++, y = (y * giant) % m) {
    const j = baby.get(y);
    if (j !== undefined) return (i * step + j) % order;
  }
  throw new Error('no discrete log');
}

/** The x mod m1*m2 with x ≡ a1 (mod m1) and x ≡ a2 (mod m2). */
const crt = (a1: bigint, m1: bigint, a2: bigint, m2: bigint) => a2 + m2 * mod((a1 - a2) * modInverse(m2, m1), m1);

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
  let crafted: Awaited<ReturnType<typeof craftedListingKey>>;
  beforeAll(async () => {
    crafted = await craftedListingKey('mallory');
  }, 120_000);

  it("the review's crafted key passes the plain key parse, so only the proof stands in its way", async () => {
    await expect(publicKeyFromJson(crafted.json)).resolves.toMatchObject({ n: crafted.pk.n });
    await expect(listingKeyFromJson(crafted.json, 'mallory')).rejects.toMatchObject({ code: 'ERR_BAD_KEY' });
  });

  it('why: under that key the seller reads all 7 secret weights from one blinded weighted sum', () => {
    const { pk, small, q } = crafted;
    const product = small.reduce((a, b) => a * b, 1n);
    // The seller plants U^(l_i) in its ciphertexts, U of order q - 1 mod q^2 (and 1 mod p_j^2):
    // n-th powers have no p_j-part mod q, so no r^n can take U's p_j-parts away.
    let u = 2n;
    while (small.some((p) => modPow(u, (q - 1n) / p, q) === 1n)) u++;
    const U = crt(modPow(u, q, q * q), q * q, 1n, product * product);
    const B = 1n << 17n;
    const weights = SPEC.kind === 'weighted-sum' ? SPEC.weights.map(BigInt) : [];
    const rng = new PublicRandomness(pk);
    const cts = weights.map((_, i) => (encrypt(pk, BigInt(100 + i), rng) * modPow(U, B ** BigInt(i), pk.n2)) % pk.n2);
    // The buyer: weighted sum, then blinded with a uniform mask and uniform n-th-residue randomness.
    const { blinded } = blind(pk, weightedSum(pk, cts, weights), new UniformRandomness(pk));
    // The seller: raising to (q - 1)/p_j kills 1 + n (≡ 1 mod q) and every n-th power, leaving
    // U's part: a discrete log mod each 32-bit p_j gives L = Σ w_i B^i mod p_1 p_2 p_3 p_4.
    let L = 0n;
    let modulus = 1n;
    for (const p of small) {
      const e = (q - 1n) / p;
      const part = discreteLog(modPow(U % q, e, q), modPow(blinded % q, e, q), p, q);
      L = crt(part, p, L, modulus);
      modulus *= p;
    }
    if (L > product / 2n) L -= product;
    const read: bigint[] = [];
    for (let i = 0; i < weights.length; i++) {
      let d = mod(L, B);
      if (d >= B / 2n) d -= B;
      read.push(d);
      L = (L - d) / B;
    }
    expect(read).toEqual(weights);
  }, 60_000);

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
