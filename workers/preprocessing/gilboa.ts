// Gilboa's OT-based multiplication: x at the OT sender and y at the OT receiver become additive
// shares of x·y in Z_2^64, with 64 random OTs per product (OT k chooses with bit k of y).
// From random OT messages (m0, m1), the sender sends d = m0 + x·2^k − m1 and keeps −Σ_k m0; the
// receiver keeps Σ_k (m_{y_k} + y_k·d) = Σ_k m0 + x·y. The arithmetic runs on 32-bit limbs
// (numbers, not BigInt) because it touches 64 values per product.

import { ParleyError } from '../../shared/errors.js';
import type { Pool } from '../pool/pool.js';
import type { IknpReceiver, IknpSender } from './iknp.js';
import { recvRing } from './wire.js';

export const BITS = 64;
/** Products per OT-extension batch: 262,144 OTs, 4 MiB of u and 2 MiB of d per instance. */
export const BATCH_PRODUCTS = 4096;
const TWO_32 = 2 ** 32;

const limbs = (v: BigUint64Array) => new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
/** A 64-bit value from a low limb sum and a high limb sum (each an exact double). */
const join = (lo: number, hi: number) => BigInt(lo) + (BigInt(hi) << 32n);

function checkLengths(n: number, ...vs: BigUint64Array[]): void {
  for (const v of vs) {
    if (v.length !== n * BITS) throw new ParleyError('ERR_PROTOCOL', `expected ${n * BITS} OT values, got ${v.length}`);
  }
}

/** Sender's pure step: corrections d (64 per product) and its shares −Σ_k m0. */
export function gilboaSenderStep(x: BigUint64Array, m0: BigUint64Array, m1: BigUint64Array): { d: BigUint64Array; share: BigUint64Array } {
  const n = x.length;
  checkLengths(n, m0, m1);
  const X = limbs(x);
  const A = limbs(m0);
  const B = limbs(m1);
  const d = new BigUint64Array(n * BITS);
  const D = limbs(d);
  const share = new BigUint64Array(n);
  for (let t = 0; t < n; t++) {
    let sumLo = 0;
    let sumHi = 0;
    let xLo = X[2 * t]!; // x·2^k mod 2^64 in limbs, doubled after each bit
    let xHi = X[2 * t + 1]!;
    for (let k = 0; k < BITS; k++) {
      const j = 2 * (t * BITS + k);
      const lo = A[j]! + xLo - B[j]!; // in (-2^32, 2^33): exact
      D[j] = lo; // stores lo mod 2^32
      D[j + 1] = A[j + 1]! + xHi - B[j + 1]! + Math.floor(lo / TWO_32);
      sumLo += A[j]!;
      sumHi += A[j + 1]!;
      xHi = ((xHi << 1) | (xLo >>> 31)) >>> 0;
      xLo = (xLo << 1) >>> 0;
    }
    share[t] = -join(sumLo, sumHi); // BigUint64Array stores mod 2^64
  }
  return { d, share };
}

/** Receiver's pure step: its shares Σ_k (m_{y_k} + y_k·d) from its messages and the corrections. */
export function gilboaReceiverStep(y: BigUint64Array, mc: BigUint64Array, d: BigUint64Array): BigUint64Array {
  const n = y.length;
  checkLengths(n, mc, d);
  const Y = limbs(y);
  const M = limbs(mc);
  const D = limbs(d);
  const share = new BigUint64Array(n);
  for (let t = 0; t < n; t++) {
    let sumLo = 0;
    let sumHi = 0;
    for (let k = 0; k < BITS; k++) {
      const j = 2 * (t * BITS + k);
      const bit = (Y[2 * t + (k >>> 5)]! >>> (k & 31)) & 1;
      sumLo += M[j]! + bit * D[j]!;
      sumHi += M[j + 1]! + bit * D[j + 1]!;
    }
    share[t] = join(sumLo, sumHi);
  }
  return share;
}

/** As OT sender: shares of x·y for the peer's y, batch by batch; sends `${ot.id}/d/${batch}`. */
export async function gilboaSend(pool: Pool, peer: number, ot: IknpSender, x: BigUint64Array): Promise<BigUint64Array> {
  const share = new BigUint64Array(x.length);
  for (let off = 0; off < x.length; off += BATCH_PRODUCTS) {
    const xs = x.subarray(off, off + BATCH_PRODUCTS);
    const { batch, m0, m1 } = await ot.extend(xs.length * BITS);
    const step = gilboaSenderStep(xs, m0, m1);
    await pool.send(peer, step.d, `${ot.id}/d/${batch}`);
    share.set(step.share, off);
  }
  return share;
}

/** As OT receiver: shares of x·y for the peer's x, choosing with the bits of y. */
export async function gilboaReceive(pool: Pool, peer: number, ot: IknpReceiver, y: BigUint64Array): Promise<BigUint64Array> {
  const share = new BigUint64Array(y.length);
  for (let off = 0; off < y.length; off += BATCH_PRODUCTS) {
    const ys = y.slice(off, off + BATCH_PRODUCTS);
    const { batch, messages } = await ot.extend(new Uint8Array(ys.buffer), ys.length * BITS);
    const d = await recvRing(pool, peer, `${ot.id}/d/${batch}`, ys.length * BITS);
    share.set(gilboaReceiverStep(ys, messages, d), off);
  }
  return share;
}
