// Dealer-free packed AND triples for OtGenerator.andTriples (ot-triples.ts), kept apart so
// the session file stays short: the protocol steps over both OT instances, and bit packing.
//
// AND TRIPLES (andTriples(n), for the engine's comparisons). n words of 64 boolean AND triples
// each, XOR-shared: party P holds a_P, b_P, c_P with c_0 ⊕ c_1 = (a_0 ⊕ a_1) & (b_0 ⊕ b_1)
// bitwise. Each party draws a_P, takes b_P from its random OTs' choices as receiver, and keeps c_P = (a_P & b_P) ⊕ (its XOR shares of the cross
// terms a_0 & b_1 and a_1 & b_0). Each bit of a cross term a_P·b_{1-P} is one random OT with P
// as sender on its own instance (party 0 on ot0, party 1 on ot1, both at once): P knows the
// one-bit messages m0, m1 (the low bits of the random-OT outputs, rot.ts) and sends d = m0 ⊕ m1 ⊕ a_P bit,
// keeping m0; the peer's choice is its b bit, it gets m_b and keeps m_b ⊕ (b & d) = m0 ⊕ (a & b).
// d is packed 64 to a word (under `${tag}/ot<P>/and/${batch}`). Batches of at most
// AND_WORD_BATCH words (2^18 OTs per instance), 2 flights each, both directions at once.
// WHAT EACH PARTY LEARNS: its own a, b, c, nothing else. As the OT sender it sees only the COT
// messages (each masked); as the receiver it sees d masked by the low bit of the
// message it did not choose, H(t_j ⊕ Δ), pseudorandom without Δ, so d is uniform and
// independent of a. a_P and b_P are uniform given the peer's view; c_P is then fixed.
// COST per AND word (64 AND triples), both parties together: 2 directions × 8 B of d = 16 bytes
// plus the COTs: about 23 bytes on silent OT (39 in all, under a byte per AND; two random OTs per
// AND and no other traffic) or 2 × 64 × 16 B on IKNP (2,064 in all).

import { ParleyError } from '../../shared/errors.js';
import type { AndTriples } from '../securenumpy/correlations.js';
import type { OtChannel } from './channel.js';
import { type RandomSource, randomWords } from './context.js';
import type { RotReceiver, RotSender } from './rot.js';
import { recvRing } from './wire.js';

/** AND-triple words per OT-extension batch: 64 OTs per word, so 2^18 OTs per instance. */
export const AND_WORD_BATCH = 1 << 12;

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Words as a bit vector of 32-bit halves, low half first (bit j = bit j mod 64 of word ⌊j/64⌋). */
export function wordsToHalves(w: BigUint64Array): Uint32Array {
  const h = new Uint32Array(2 * w.length);
  for (let i = 0; i < w.length; i++) {
    h[2 * i] = Number(w[i]! & 0xffffffffn);
    h[2 * i + 1] = Number(w[i]! >> 32n);
  }
  return h;
}

/** The inverse of wordsToHalves. */
export function halvesToWords(h: Uint32Array): BigUint64Array {
  const w = new BigUint64Array(h.length >>> 1);
  for (let i = 0; i < w.length; i++) w[i] = BigInt(h[2 * i]!) | (BigInt(h[2 * i + 1]!) << 32n);
  return w;
}

/** The low bits of OT messages, packed LSB-first into 32-bit words (m.length a multiple of 32). */
function lowBits(m: BigUint64Array): Uint32Array {
  const view = new Uint32Array(m.buffer, m.byteOffset, 2 * m.length);
  const lo = LITTLE_ENDIAN ? 0 : 1;
  const out = new Uint32Array(m.length >>> 5);
  for (let k = 0; k < out.length; k++) {
    let v = 0;
    for (let j = 0; j < 32; j++) v |= (view[2 * (32 * k + j) + lo]! & 1) << j;
    out[k] = v >>> 0;
  }
  return out;
}

/** OT sender's pure step for AND triples (bit vectors): d = m0 ⊕ m1 ⊕ a, share = m0. */
export function andSenderStep(
  a: Uint32Array,
  m0: Uint32Array,
  m1: Uint32Array,
): { d: Uint32Array; share: Uint32Array } {
  if (m0.length !== a.length || m1.length !== a.length)
    throw new ParleyError('ERR_PROTOCOL', `expected ${32 * a.length} OT message bits`);
  const d = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = m0[i]! ^ m1[i]! ^ a[i]!;
  return { d, share: m0.slice() };
}

/** OT receiver's pure step: share = m_b ⊕ (b & d) (= m0 ⊕ (a & b)). */
export function andReceiverStep(b: Uint32Array, chosen: Uint32Array, d: Uint32Array): Uint32Array {
  if (chosen.length !== b.length || d.length !== b.length)
    throw new ParleyError('ERR_PROTOCOL', `expected ${32 * b.length} OT messages and correction bits`);
  const out = new Uint32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = chosen[i]! ^ (b[i]! & d[i]!);
  return out;
}

/** As OT sender with the bits of words a: XOR shares of a & (peer's b); sends `${ot.id}/and/${batch}`. */
async function andSend(pool: OtChannel, peer: number, ot: RotSender, a: BigUint64Array): Promise<Uint32Array> {
  const out = new Uint32Array(2 * a.length);
  for (let off = 0; off < a.length; off += AND_WORD_BATCH) {
    const words = a.subarray(off, off + AND_WORD_BATCH);
    const { batch, m0, m1 } = await ot.extend(64 * words.length);
    const step = andSenderStep(wordsToHalves(words), lowBits(m0), lowBits(m1));
    await pool.send(peer, halvesToWords(step.d), `${ot.id}/and/${batch}`);
    out.set(step.share, 2 * off);
  }
  return out;
}

/** As OT receiver: n random words b (the random OTs' choices) and XOR shares of (peer's a) & b. */
async function andReceive(
  pool: OtChannel,
  peer: number,
  ot: RotReceiver,
  n: number,
): Promise<{ b: BigUint64Array; share: Uint32Array }> {
  const out = new Uint32Array(2 * n);
  const b = new Uint32Array(2 * n);
  for (let off = 0; off < n; off += AND_WORD_BATCH) {
    const len = Math.min(AND_WORD_BATCH, n - off);
    const { batch, choices, messages } = await ot.extend(64 * len);
    const d = await recvRing(pool, peer, `${ot.id}/and/${batch}`, len);
    out.set(andReceiverStep(choices, lowBits(messages), wordsToHalves(d)), 2 * off);
    b.set(choices, 2 * off);
  }
  return { b: halvesToWords(b), share: out };
}

/** n words of fresh AND triples over the session's instances (both directions at once). */
export async function makeAndTriples(
  pool: OtChannel,
  peer: number,
  sender: RotSender,
  receiver: RotReceiver,
  rng: RandomSource,
  n: number,
): Promise<AndTriples> {
  const a = randomWords(rng, n);
  const [asSender, received] = await Promise.all([andSend(pool, peer, sender, a), andReceive(pool, peer, receiver, n)]);
  const { b, share: asReceiver } = received; // b: the random OTs' choices, known only here
  const c = halvesToWords(asSender);
  const r = halvesToWords(asReceiver);
  for (let i = 0; i < n; i++) c[i] = (a[i]! & b[i]!) ^ c[i]! ^ r[i]!;
  asSender.fill(0);
  asReceiver.fill(0);
  r.fill(0n);
  return { a, b, c };
}
