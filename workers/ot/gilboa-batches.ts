// The batch loops of Gilboa's OT multiplication, once for both element widths: the sender extends
// its random OTs a batch at a time, runs its pure step and sends the packed corrections; the
// receiver extends its side, takes the corrections and runs its step. gilboa.ts (Z_2^64) and
// gilboa-wide.ts (Z_2^128) each describe their width (GilboaWidth) and keep the arithmetic.

import type { OtChannel } from './channel.js';
import type { RotReceiver, RotSender } from './rot.js';
import { recvWords } from './wire.js';

/** One element width's constants and pure steps. */
export interface GilboaWidth {
  /** Bits per element: random OTs per product and bits per OT message. */
  readonly bits: 64 | 128;
  /** 64-bit words per element. */
  readonly words: 1 | 2;
  /** 32-bit words of packed corrections per product. */
  readonly packedWords: number;
  /** Products per batch of random OTs. */
  readonly batchProducts: number;
  senderStep(x: BigUint64Array, m0: BigUint64Array, m1: BigUint64Array): { d: Uint32Array; share: BigUint64Array };
  receiverStep(y: BigUint64Array, mc: BigUint64Array, d: Uint32Array): BigUint64Array;
}

/** As OT sender: shares of x·y (x: elements of `w`) for the peer's y; sends `${ot.id}/d/${batch}`. */
export async function gilboaSend(
  w: GilboaWidth,
  pool: OtChannel,
  peer: number,
  ot: RotSender,
  x: BigUint64Array,
): Promise<BigUint64Array> {
  const share = new BigUint64Array(x.length);
  const step = w.batchProducts * w.words;
  for (let off = 0; off < x.length; off += step) {
    const xs = x.subarray(off, off + step);
    const { batch, m0, m1 } = await ot.extend((xs.length / w.words) * w.bits, w.bits);
    const out = w.senderStep(xs, m0, m1);
    await pool.send(peer, out.d, `${ot.id}/d/${batch}`);
    share.set(out.share, off);
  }
  return share;
}

/** As OT receiver: n random y (the random OTs' choices, one element each) and shares of x·y for the peer's x. */
export async function gilboaReceive(
  w: GilboaWidth,
  pool: OtChannel,
  peer: number,
  ot: RotReceiver,
  n: number,
): Promise<{ y: BigUint64Array; share: BigUint64Array }> {
  const y = new BigUint64Array(n * w.words);
  const share = new BigUint64Array(n * w.words);
  for (let off = 0; off < n; off += w.batchProducts) {
    const len = Math.min(w.batchProducts, n - off);
    const { batch, choices, messages } = await ot.extend(len * w.bits, w.bits);
    const ys = new BigUint64Array(choices.buffer, choices.byteOffset, len * w.words);
    const d = await recvWords(pool, peer, `${ot.id}/d/${batch}`, len * w.packedWords);
    share.set(w.receiverStep(ys, messages, d), off * w.words);
    y.set(ys, off * w.words);
  }
  return { y, share };
}
