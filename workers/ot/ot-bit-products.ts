// Dealer-free bit products for OtGenerator.bitProducts (ot-triples.ts), kept apart so the
// session file stays short: the protocol steps, run over the session's OT instance ot0.
//
// BIT PRODUCTS (bitProducts(n), for the engine's dealer-free truncation). Party 0 gets a uniform
// bit α and a share z0, party 1 a uniform bit β and z1, with z0 + z1 = α·β (mod 2^64): Gilboa
// with a one-bit multiplier, so ONE random OT per value, on instance ot0 only (party 0 is the OT
// sender). Party 1's β_j is its random OT's choice, and it gets M_{β_j} = H(t_j); party 0 knows (M0_j, M1_j) and
// sends d_j = M0_j − M1_j + α_j (mod 2^64, 8 bytes, under `${tag}/ot0/bits/${batch}`), keeping
// z0 = −M0_j; party 1 keeps z1 = M_{β_j} + β_j·d_j, which is M0_j + α_j·β_j either way.
// d must be a full 64 bits: the product is wanted mod 2^64 and nothing multiplies it by 2^k.
// Batches of at most BIT_PRODUCT_BATCH values (2^18 OTs), 2 flights each.
// WHAT EACH PARTY LEARNS: its own bit and share, nothing else. Party 0 sees only the COT messages
// (each masked); party 1 sees d_j masked by H(t_j ⊕ Δ), the message it did not
// choose, pseudorandom without Δ, so d is uniform and independent of α. Each bit is uniform
// given the peer's whole view, and each share is then fixed by z0 + z1 = α·β.
// COST per value, both parties together: 1 OT = 8 B of d + the COT: about 8.2 bytes on silent
// OT, 24 on IKNP (16 B per COT).

import { ParleyError } from '../../shared/errors.js';
import type { BitProducts } from '../securenumpy/correlations.js';
import type { OtChannel } from './channel.js';
import type { RandomSource } from './context.js';
import type { RotReceiver, RotSender } from './rot.js';
import { recvRing } from './wire.js';

/** Values (bit products) per batch: 2^18 OTs and 2 MiB of d. */
export const BIT_PRODUCT_BATCH = 1 << 18;

/** n uniform bits, one per word (the bytes they were drawn from are wiped). */
function randomBits(rng: RandomSource, n: number): BigUint64Array {
  const packed = rng(Math.ceil(n / 8)).slice();
  const words = new BigUint64Array(n);
  for (let j = 0; j < n; j++) words[j] = BigInt((packed[j >>> 3]! >>> (j & 7)) & 1);
  packed.fill(0);
  return words;
}

/** OT sender's pure step for bit products: d_j = M0_j − M1_j + α_j and z0_j = −M0_j. */
export function bitProductSenderStep(
  alpha: BigUint64Array,
  m0: BigUint64Array,
  m1: BigUint64Array,
): { d: BigUint64Array; z: BigUint64Array } {
  const n = alpha.length;
  if (m0.length !== n || m1.length !== n)
    throw new ParleyError('ERR_PROTOCOL', `expected ${n} OT message pairs, got ${m0.length} and ${m1.length}`);
  const d = new BigUint64Array(n);
  const z = new BigUint64Array(n);
  for (let j = 0; j < n; j++) {
    d[j] = m0[j]! - m1[j]! + alpha[j]!; // the store wraps mod 2^64
    z[j] = -m0[j]!;
  }
  return { d, z };
}

/** OT receiver's pure step: z1_j = M_{β_j} + β_j·d_j (= M0_j + α_j·β_j). */
export function bitProductReceiverStep(
  beta: BigUint64Array,
  chosen: BigUint64Array,
  d: BigUint64Array,
): BigUint64Array {
  const n = beta.length;
  if (chosen.length !== n || d.length !== n)
    throw new ParleyError(
      'ERR_PROTOCOL',
      `expected ${n} OT messages and corrections, got ${chosen.length} and ${d.length}`,
    );
  const z = new BigUint64Array(n);
  for (let j = 0; j < n; j++) z[j] = beta[j] === 1n ? chosen[j]! + d[j]! : chosen[j]!;
  return z;
}

/** As OT sender with bits α: z0 batch by batch; sends `${ot.id}/bits/${batch}`. */
async function bitProductsSend(
  pool: OtChannel,
  peer: number,
  ot: RotSender,
  alpha: BigUint64Array,
): Promise<BigUint64Array> {
  const z = new BigUint64Array(alpha.length);
  for (let off = 0; off < alpha.length; off += BIT_PRODUCT_BATCH) {
    const bits = alpha.subarray(off, off + BIT_PRODUCT_BATCH);
    const { batch, m0, m1 } = await ot.extend(bits.length);
    const step = bitProductSenderStep(bits, m0, m1);
    await pool.send(peer, step.d, `${ot.id}/bits/${batch}`);
    z.set(step.z, off);
  }
  return z;
}

/** As OT receiver: n random bits β (the random OTs' choices, one per word) and z1, batch by batch. */
async function bitProductsReceive(
  pool: OtChannel,
  peer: number,
  ot: RotReceiver,
  n: number,
): Promise<{ beta: BigUint64Array; z: BigUint64Array }> {
  const beta = new BigUint64Array(n);
  const z = new BigUint64Array(n);
  for (let off = 0; off < n; off += BIT_PRODUCT_BATCH) {
    const len = Math.min(BIT_PRODUCT_BATCH, n - off);
    const { batch, choices, messages } = await ot.extend(len);
    const bits = new BigUint64Array(len);
    for (let j = 0; j < len; j++) bits[j] = BigInt((choices[j >>> 5]! >>> (j & 31)) & 1);
    const d = await recvRing(pool, peer, `${ot.id}/bits/${batch}`, len);
    z.set(bitProductReceiverStep(bits, messages, d), off);
    beta.set(bits, off);
  }
  return { beta, z };
}

/** n fresh bit products over the session's instances (party 0 sends on ot0, party 1 receives). */
export async function makeBitProducts(
  pool: OtChannel,
  peer: number,
  sender: RotSender,
  receiver: RotReceiver,
  rng: RandomSource,
  n: number,
): Promise<BitProducts> {
  if (pool.me !== 0) {
    const { beta, z } = await bitProductsReceive(pool, peer, receiver, n); // β: the OTs' random choices
    return { mine: beta, z };
  }
  const mine = randomBits(rng, n);
  return { mine, z: await bitProductsSend(pool, peer, sender, mine) };
}
