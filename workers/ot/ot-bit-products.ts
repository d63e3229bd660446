// Dealer-free bit products for OtGenerator.bitProducts (ot-triples.ts), kept apart so the
// session file stays short: the protocol steps, run over the session's OT instance ot0.
//
// BIT PRODUCTS (bitProducts(n), for the engine's dealer-free truncation). Party 0 gets a uniform
// bit α and a share z0, party 1 a uniform bit β and z1, with z0 + z1 = α·β (mod 2^ℓ, the
// session's ring: ℓ = 64, or 128 with 128-bit OT messages and 16-byte d and z): Gilboa
// with a one-bit multiplier, so ONE random OT per value, on instance ot0 only (party 0 is the OT
// sender). Party 1's β_j is its random OT's choice, and it gets M_{β_j} = H(t_j); party 0 knows (M0_j, M1_j) and
// sends d_j = M0_j − M1_j + α_j (mod 2^ℓ, ℓ/8 bytes, under `${tag}/ot0/bits/${batch}`), keeping
// z0 = −M0_j; party 1 keeps z1 = M_{β_j} + β_j·d_j, which is M0_j + α_j·β_j either way.
// d must be a full ℓ bits: the product is wanted mod 2^ℓ and nothing multiplies it by 2^k.
// Batches of at most BIT_PRODUCT_BATCH values (2^18 OTs; 2^17 in Z_2^128), 2 flights each.
// WHAT EACH PARTY LEARNS: its own bit and share, nothing else. Party 0 sees only the COT messages
// (each masked); party 1 sees d_j masked by H(t_j ⊕ Δ), the message it did not
// choose, pseudorandom without Δ, so d is uniform and independent of α. Each bit is uniform
// given the peer's whole view, and each share is then fixed by z0 + z1 = α·β.
// COST per value, both parties together: 1 OT = ℓ/8 B of d + the COT: about 8.2 bytes on silent
// OT, 24 on IKNP (16 B per COT), in Z_2^64; 16.2 and 32 in Z_2^128.

import { ParleyError } from '../../shared/errors.js';
import { RING64, type Ring } from '../../shared/rings.js';
import type { BitProducts } from '../securenumpy/correlations.js';
import type { OtChannel } from './channel.js';
import type { RandomSource } from './context.js';
import type { RotReceiver, RotSender } from './rot.js';
import { recvRing } from './wire.js';

/** Values (bit products) per batch: 2^18 OTs and 2 MiB of d (half that in Z_2^128: same bytes). */
export const BIT_PRODUCT_BATCH = 1 << 18;
const batchOf = (ring: Ring) => BIT_PRODUCT_BATCH / ring.words;

/** n uniform bits, one per word (the bytes they were drawn from are wiped). */
function randomBits(rng: RandomSource, n: number): BigUint64Array {
  const packed = rng(Math.ceil(n / 8)).slice();
  const words = new BigUint64Array(n);
  for (let j = 0; j < n; j++) words[j] = BigInt((packed[j >>> 3]! >>> (j & 7)) & 1);
  packed.fill(0);
  return words;
}

/** Bits (one per word) as ring elements (the bit in the low word). */
function widen(bits: BigUint64Array, ring: Ring): BigUint64Array {
  if (ring.words === 1) return bits;
  const out = new BigUint64Array(2 * bits.length);
  for (let j = 0; j < bits.length; j++) out[2 * j] = bits[j]!;
  return out;
}

/**
 * OT sender's pure step for bit products: d_j = M0_j − M1_j + α_j and z0_j = −M0_j, in `ring`
 * (α one bit per word; M0, M1, d and z ring.words words per value).
 */
export function bitProductSenderStep(
  alpha: BigUint64Array,
  m0: BigUint64Array,
  m1: BigUint64Array,
  ring: Ring = RING64,
): { d: BigUint64Array; z: BigUint64Array } {
  const n = alpha.length;
  if (m0.length !== n * ring.words || m1.length !== n * ring.words)
    throw new ParleyError(
      'ERR_PROTOCOL',
      `expected ${n} OT message pairs of ${ring.bits} bits, got ${m0.length} and ${m1.length} words`,
    );
  if (ring.words !== 1) return { d: ring.add(ring.sub(m0, m1), widen(alpha, ring)), z: ring.neg(m0) };
  const d = new BigUint64Array(n);
  const z = new BigUint64Array(n);
  for (let j = 0; j < n; j++) {
    d[j] = m0[j]! - m1[j]! + alpha[j]!; // the store wraps mod 2^64
    z[j] = -m0[j]!;
  }
  return { d, z };
}

/** OT receiver's pure step: z1_j = M_{β_j} + β_j·d_j (= M0_j + α_j·β_j), in `ring`. */
export function bitProductReceiverStep(
  beta: BigUint64Array,
  chosen: BigUint64Array,
  d: BigUint64Array,
  ring: Ring = RING64,
): BigUint64Array {
  const n = beta.length;
  if (chosen.length !== n * ring.words || d.length !== n * ring.words)
    throw new ParleyError(
      'ERR_PROTOCOL',
      `expected ${n} OT messages and corrections of ${ring.bits} bits, got ${chosen.length} and ${d.length} words`,
    );
  if (ring.words !== 1) {
    const sum = ring.add(chosen, d);
    const z = chosen.slice();
    for (let j = 0; j < n; j++) if (beta[j] === 1n) [z[2 * j], z[2 * j + 1]] = [sum[2 * j]!, sum[2 * j + 1]!];
    sum.fill(0n);
    return z;
  }
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
  ring: Ring,
): Promise<BigUint64Array> {
  const z = new BigUint64Array(alpha.length * ring.words);
  for (let off = 0; off < alpha.length; off += batchOf(ring)) {
    const bits = alpha.subarray(off, off + batchOf(ring));
    const { batch, m0, m1 } = await ot.extend(bits.length, ring.bits);
    const step = bitProductSenderStep(bits, m0, m1, ring);
    await pool.send(peer, step.d, `${ot.id}/bits/${batch}`);
    z.set(step.z, off * ring.words);
  }
  return z;
}

/** As OT receiver: n random bits β (the random OTs' choices, one per word) and z1, batch by batch. */
async function bitProductsReceive(
  pool: OtChannel,
  peer: number,
  ot: RotReceiver,
  n: number,
  ring: Ring,
): Promise<{ beta: BigUint64Array; z: BigUint64Array }> {
  const beta = new BigUint64Array(n);
  const z = new BigUint64Array(n * ring.words);
  for (let off = 0; off < n; off += batchOf(ring)) {
    const len = Math.min(batchOf(ring), n - off);
    const { batch, choices, messages } = await ot.extend(len, ring.bits);
    const bits = new BigUint64Array(len);
    for (let j = 0; j < len; j++) bits[j] = BigInt((choices[j >>> 5]! >>> (j & 31)) & 1);
    const d = await recvRing(pool, peer, `${ot.id}/bits/${batch}`, len * ring.words);
    z.set(bitProductReceiverStep(bits, messages, d, ring), off * ring.words);
    beta.set(bits, off);
  }
  return { beta, z };
}

/**
 * n fresh bit products over the session's instances (party 0 sends on ot0, party 1 receives):
 * bits one per word, z in `ring` (ring.words words per value).
 */
export async function makeBitProducts(
  pool: OtChannel,
  peer: number,
  sender: RotSender,
  receiver: RotReceiver,
  rng: RandomSource,
  n: number,
  ring: Ring = RING64,
): Promise<BitProducts> {
  if (pool.me !== 0) {
    const { beta, z } = await bitProductsReceive(pool, peer, receiver, n, ring); // β: the OTs' random choices
    return { mine: beta, z };
  }
  const mine = randomBits(rng, n);
  return { mine, z: await bitProductsSend(pool, peer, sender, mine, ring) };
}
