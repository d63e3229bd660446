// Chosen-choice random OT with 64-bit messages from correlated OT (cot.ts), what Gilboa products,
// bit products and AND triples consume (gilboa.ts, ot-bit-products.ts, ot-and-triples.ts). The
// COTs come from silent OT (silent/ferret.ts) or, as the baseline, straight from IKNP.
//
//   batch b of m OTs, receiver's choices c: the receiver takes m COTs t_j (random r_j in bit 0)
//     and sends e_j = c_j ⊕ r_j (m bits, under `${id}/e/${b}`); the sender takes q_j and sets
//     m0_j = H(q_j ⊕ e_j·Δ), m1_j = H(q_j ⊕ (1 ⊕ e_j)·Δ); the receiver gets
//     m_{c_j} = H(t_j), since t_j = q_j ⊕ r_j·Δ (Beaver's derandomization, CRYPTO 1995).
// H is the correlation-robust hash of hash.ts under a key derived from the instance's public seed
// (so instances hash independently); every COT block is used once.
// COST: 1 bit per OT receiver → sender (8 bytes per 64-OT product), no extra flight (the
// consumer's own reply follows it). SECURITY: e is uniform to the sender (r is uniform and used
// once); the receiver's other message H(t_j ⊕ Δ) is pseudorandom without Δ.

import { sha256 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../shared/errors.js';
import { AES_KEY_BYTES, FixedKeyAes } from './aes.js';
import type { OtChannel } from './channel.js';
import type { CotReceiver, CotSender } from './cot.js';
import { hashRows } from './hash.js';
import { recvWords } from './wire.js';

/** Most OTs in one batch (bounds memory: 16 MiB of COT blocks). */
const MAX_BATCH_OTS = 1 << 20;
const LABEL = new TextEncoder().encode('parley/rot-hash/v1');

async function hashKey(seed: Uint8Array): Promise<FixedKeyAes> {
  const input = new Uint8Array(LABEL.length + seed.length);
  input.set(LABEL);
  input.set(seed, LABEL.length);
  return FixedKeyAes.create(sha256(input).slice(0, AES_KEY_BYTES));
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

  /** m random OTs; receives the receiver's flips `${id}/e/${batch}`. */
  async extend(m: number): Promise<{ batch: number; m0: BigUint64Array; m1: BigUint64Array }> {
    const batch = this.claim(m);
    const [e, q] = await Promise.all([
      recvWords(this.pool, this.peer, `${this.id}/e/${batch}`, Math.ceil(m / 32)),
      this.cot.take(m),
    ]);
    const d = this.cot.delta;
    for (let j = 0; j < m; j++) {
      if ((e[j >>> 5]! >>> (j & 31)) & 1) for (let i = 0; i < 4; i++) q[4 * j + i] = q[4 * j + i]! ^ d[i]!;
    }
    const [m0, m1] = await Promise.all([hashRows(this.prp, q, m), hashRows(this.prp, q, m, d)]);
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

  /** m random OTs with the first m bits of `choices` (little-endian); sends `${id}/e/${batch}`. */
  async extend(choices: Uint8Array, m: number): Promise<{ batch: number; messages: BigUint64Array }> {
    if (choices.length * 8 < m)
      throw new ParleyError('ERR_BAD_REQUEST', `expected ${m} choice bits, got ${choices.length * 8}`);
    const batch = this.claim(m);
    const t = await this.cot.take(m);
    const e = new Uint32Array(Math.ceil(m / 32));
    for (let j = 0; j < m; j++) {
      const c = (choices[j >>> 3]! >>> (j & 7)) & 1;
      e[j >>> 5] = e[j >>> 5]! | ((c ^ (t[4 * j]! & 1)) << (j & 31));
    }
    await this.pool.send(this.peer, e, `${this.id}/e/${batch}`);
    const messages = await hashRows(this.prp, t, m);
    t.fill(0);
    return { batch, messages };
  }
}
