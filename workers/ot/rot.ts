// Random OT with 64- or 128-bit messages (the ring's width) from correlated OT (cot.ts), what Gilboa products, bit products
// and AND triples consume (gilboa.ts, ot-bit-products.ts, ot-and-triples.ts). The COTs come from
// silent OT (silent/ferret.ts) or, as the baseline, straight from IKNP.
//
//   batch b of m OTs: the sender takes m COTs q_j and sets m0_j = H(q_j), m1_j = H(q_j ⊕ Δ); the
//     receiver takes t_j = q_j ⊕ r_j·Δ and gets its random choice r_j (bit 0 of t_j) and
//     m_{r_j} = H(t_j). No message: the consumers use the receiver's random choices as their
//     random values (the b of a triple, the β of a bit product), so nothing needs derandomizing.
// H is the correlation-robust hash of hash.ts under a key derived from the instance's public seed
// (so instances hash independently); every COT block is used once. A 64-bit message is the low
// half of the 128-bit one (the same AES call), so the width costs no extra hashing.
// SECURITY: the receiver's choices are uniform (IKNP) or pseudorandom (silent OT, under LPN) and
// unknown to the sender; the receiver's other message H(t_j ⊕ Δ) is pseudorandom without Δ.

import { sha256 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../shared/errors.js';
import { AES_KEY_BYTES, FixedKeyAes } from './aes.js';
import type { OtChannel } from './channel.js';
import type { CotReceiver, CotSender } from './cot.js';
import { hashBlocks, hashRows } from './hash.js';

/** Most OTs in one batch (bounds memory: 16 MiB of COT blocks). */
const MAX_BATCH_OTS = 1 << 20;
const LABEL = new TextEncoder().encode('parley/rot-hash/v1');

async function hashKey(seed: Uint8Array): Promise<FixedKeyAes> {
  const input = new Uint8Array(LABEL.length + seed.length);
  input.set(LABEL);
  input.set(seed, LABEL.length);
  return FixedKeyAes.create(sha256(input).slice(0, AES_KEY_BYTES));
}

/** Message width in bits: 64 (one word per message) or 128 (two words, low first). */
export type MessageBits = 64 | 128;

/** H(row_j ⊕ mask) for `count` rows at `bits` bits, as `bits / 64` words per message. */
async function hashMessages(
  prp: FixedKeyAes,
  rows: Uint32Array,
  count: number,
  bits: MessageBits,
  mask?: Uint32Array,
): Promise<BigUint64Array> {
  if (bits === 64) return hashRows(prp, rows, count, mask);
  const h = await hashBlocks(prp, rows, count, mask);
  return new BigUint64Array(h.buffer, h.byteOffset, 2 * count);
}

function checkOtCount(m: number): void {
  if (!Number.isSafeInteger(m) || m < 1 || m > MAX_BATCH_OTS) {
    throw new ParleyError('ERR_BAD_REQUEST', `expected 1 to ${MAX_BATCH_OTS} OTs per batch, got ${m}`);
  }
}

/** Batch numbers (message ids) of one side. */
abstract class RotParty {
  private nextBatch = 0;
  protected constructor(
    protected readonly pool: OtChannel,
    protected readonly peer: number,
    /** Message id prefix of this instance, unique per session. */
    readonly id: string,
    protected readonly prp: FixedKeyAes,
  ) {}

  protected claim(m: number): number {
    checkOtCount(m);
    return this.nextBatch++;
  }
}

/** The OT sender: learns both messages (m0_j, m1_j) of every OT. */
export class RotSender extends RotParty {
  private constructor(
    pool: OtChannel,
    peer: number,
    id: string,
    prp: FixedKeyAes,
    private readonly cot: CotSender,
  ) {
    super(pool, peer, id, prp);
  }

  static async over(pool: OtChannel, peer: number, id: string, cot: CotSender): Promise<RotSender> {
    return new RotSender(pool, peer, id, await hashKey(cot.seed), cot);
  }

  /** m random OTs: both messages of each, `bits` wide (message j at words j·bits/64…). */
  async extend(m: number, bits: MessageBits = 64): Promise<{ batch: number; m0: BigUint64Array; m1: BigUint64Array }> {
    const batch = this.claim(m);
    const q = await this.cot.take(m);
    const d = this.cot.delta;
    const [m0, m1] = await Promise.all([hashMessages(this.prp, q, m, bits), hashMessages(this.prp, q, m, bits, d)]);
    q.fill(0);
    return { batch, m0, m1 };
  }
}

/** The OT receiver: chooses with bits c and learns m_{c_j} per OT. */
export class RotReceiver extends RotParty {
  private constructor(
    pool: OtChannel,
    peer: number,
    id: string,
    prp: FixedKeyAes,
    private readonly cot: CotReceiver,
  ) {
    super(pool, peer, id, prp);
  }

  static async over(pool: OtChannel, peer: number, id: string, cot: CotReceiver): Promise<RotReceiver> {
    return new RotReceiver(pool, peer, id, await hashKey(cot.seed), cot);
  }

  /**
   * m random OTs: the random choices (bit j of the little-endian bit vector, padded with zeros to
   * whole 64-bit words, so that 64 choices read as one Z_2^64 element and 128 as one Z_2^128
   * element) and the chosen messages, `bits` wide.
   */
  async extend(
    m: number,
    bits: MessageBits = 64,
  ): Promise<{ batch: number; choices: Uint32Array; messages: BigUint64Array }> {
    const batch = this.claim(m);
    const t = await this.cot.take(m);
    const choices = new Uint32Array(2 * Math.ceil(m / 64));
    for (let j = 0; j < m; j++) choices[j >>> 5] = choices[j >>> 5]! | ((t[4 * j]! & 1) << (j & 31));
    const messages = await hashMessages(this.prp, t, m, bits);
    t.fill(0);
    return { batch, choices, messages };
  }
}
