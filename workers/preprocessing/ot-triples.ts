// Dealer-free Beaver triples for two parties in Z_2^64 (semi-honest), so that privacy needs no
// third party: IKNP OT extension from Chou–Orlandi base OTs, and Gilboa's OT-based products.
//
// PROTOCOL. Party P draws a_P, b_P uniformly (platform CSPRNG) and needs c_P with
// c_0 + c_1 = (a_0 + a_1)(b_0 + b_1) = a_0·b_0 + a_1·b_1 + a_0·b_1 + a_1·b_0 (mod 2^64).
// It computes a_P·b_P itself; each cross term a_P·b_{1-P} is shared by Gilboa (gilboa.ts) with P
// as OT sender (x = a_P) and the peer as OT receiver choosing with the 64 bits of y = b_{1-P}.
// So a session runs two OT-extension instances, "ot0" (party 0 sends) and "ot1" (party 1 sends):
//   1. setup, once per session and instance: 128 base OTs in the reverse direction
//      (base-ot.ts): A, then B_1..B_128. Both instances run at once: 2 flights.
//   2. per batch of at most 4,096 triples and per instance, m = 64 OTs per triple (iknp.ts):
//      OT receiver → sender: u, 128 bit-columns of m bits (m padded to a multiple of 128);
//      OT sender → receiver: for OT j carrying bit k of y, d_j = H(j, q_j) − H(j, q_j ⊕ s) + a
//      mod 2^(64−k), truncated because it only ever counts multiplied by 2^k, packed tightly
//      (Σ_k (64 − k) = 2,080 bits = 260 bytes per triple instead of 512; gilboa.ts).
//      The receiver keeps Σ_k 2^k·[H(j, t_j) + y_k·d_j], the sender −Σ_k 2^k·H(j, q_j): 2 flights.
//   c_P = a_P·b_P + (share as sender of a_P·b_{1-P}) + (share as receiver of a_{1-P}·b_P).
// otTriples() opens a fresh session (fresh base OTs, fresh s, fresh hash key) per call.
// A session may serve several batches (TripleSource does): each batch uses a new PRG stream
// number and new OT indices as hash tweaks, so no correlated randomness is ever reused.
//
// SECURITY. Semi-honest (passive) adversary corrupting one party, κ = 128. Assumptions: CDH/DDH
// in ristretto255 and SHA-256 as a random oracle for the base OTs; fixed-key AES-128 as a random
// permutation for the tweakable correlation-robust hash H (Guo–Katz–Wang–Yu 2020); AES-128-CTR
// as the PRG. H's tweak is (instance, OT index), unique within a session; the AES key of H is
// derived from the session's base-OT transcript, so it differs per session.
// WHAT EACH PARTY LEARNS: its own a_P, b_P, c_P and nothing else. Its view of the peer is A and
// B (uniform group elements), u (each column masked by G(k_{1-s_i}), a PRG stream it cannot
// compute) and d (each masked by the hash for the choice it did not make, H(j, t_j ⊕ s), which
// is pseudorandom without s, and so is its low 64 − k bits, all that the truncated d_j reveals
// and needs to be masked). Given that view the peer's a, b, c stay uniformly random subject
// only to c_0 + c_1 = (a_0 + a_1)(b_0 + b_1). The counts n are public.
//
// COMMUNICATION per triple, both parties together: 2 × (64 OTs × 16 B of u + 260 B of d)
// = 2,568 bytes (3,072 before d was truncated), plus 8,256 bytes of base OTs per session
// (2 × (32 + 128 × 32)), up to 2 KiB of padding per batch when a batch has an odd count, and a
// few bytes of framing per message. u is now 80% of the traffic.
// Rounds: 2 flights for setup plus 2 per batch (batches run one after another), so one
// otTriples(n) call takes 2 + 2·⌈n / 4096⌉ flights; truncating d changed no message count.
//
// LIMITS. Semi-honest only: a malicious party could bias the other's triples (an inconsistent
// u or a wrong d goes unnoticed) or learn bits of s; malicious security needs KOS-style
// consistency checks and triple sacrifice. Both parties must request the same counts in the
// same order with the same tag; a failed call leaves the session unusable (callers should
// pool.abort, as runSumProduct does). Pure JS over WebCrypto (browsers need a secure context):
// about 26,000 triples/s after setup with both parties in one Node process on 2 cores
// (bench/preprocessing.ts; about 23,000/s for 100,000 triples including setup), plus about 0.5 s
// of base OTs per session; the working set peaks around 100 MiB per party with 4,096-triple
// batches. The hash fuses CBC unchaining into its own passes, IKNP transposes its PRG columns
// without copying them, with an unrolled 32×32 transpose (hash.ts, iknp.ts, bits.ts), and the
// Gilboa loops use 32-bit limbs, not BigInt. The code is not hardened against timing attacks on this machine
// (it branches on s and on base-OT choice bits, and BigInt arithmetic is variable-time), and
// JavaScript cannot guarantee that secrets are erased from memory. Cheaper variants exist: silent
// OT (Ferret, silent VOLE) would cut the 2.5 KB per triple sharply.
//
// BIT PRODUCTS (bitProducts(n), for the engine's dealer-free truncation). Party 0 gets a uniform
// bit α and a share z0, party 1 a uniform bit β and z1, with z0 + z1 = α·β (mod 2^64): Gilboa
// with a one-bit multiplier, so ONE random OT per value, on instance ot0 only (party 0 is the OT
// sender). Party 1 chooses with β_j and gets M_{β_j} = H(j, t_j); party 0 knows (M0_j, M1_j) and
// sends d_j = M0_j − M1_j + α_j (mod 2^64, 8 bytes, under `${tag}/ot0/bits/${batch}`), keeping
// z0 = −M0_j; party 1 keeps z1 = M_{β_j} + β_j·d_j, which is M0_j + α_j·β_j either way.
// d must be a full 64 bits: the product is wanted mod 2^64 and nothing multiplies it by 2^k.
// Batches of at most BIT_PRODUCT_BATCH values (2^18 OTs, 4 MiB of u), 2 flights each.
// WHAT EACH PARTY LEARNS: its own bit and share, nothing else. Party 0 sees only u (masked by
// PRG streams it cannot compute); party 1 sees d_j masked by H(j, t_j ⊕ s), the message it did
// not choose, pseudorandom without s, so d is uniform and independent of α. Each bit is uniform
// given the peer's whole view, and each share is then fixed by z0 + z1 = α·β.
// COST per value, both parties together: 1 OT = 16 B of u + 8 B of d = 24 bytes (a triple is
// 128 OTs and 2,568 bytes), plus at most 127 OTs of padding (2 KiB of u) per batch.
//
// AND TRIPLES (andTriples(n), for the engine's comparisons). n words of 64 boolean AND triples
// each, XOR-shared: party P holds a_P, b_P, c_P with c_0 ⊕ c_1 = (a_0 ⊕ a_1) & (b_0 ⊕ b_1)
// bitwise. Each party draws a_P, b_P and keeps c_P = (a_P & b_P) ⊕ (its XOR shares of the cross
// terms a_0 & b_1 and a_1 & b_0). Each bit of a cross term a_P·b_{1-P} is one random OT with P
// as sender on its own instance (party 0 on ot0, party 1 on ot1, both at once): P knows the
// one-bit messages m0, m1 (the low bits of the IKNP outputs) and sends d = m0 ⊕ m1 ⊕ a_P bit,
// keeping m0; the peer chooses with its b bit, gets m_b and keeps m_b ⊕ (b & d) = m0 ⊕ (a & b).
// d is packed 64 to a word (under `${tag}/ot<P>/and/${batch}`). Batches of at most
// AND_WORD_BATCH words (2^18 OTs per instance), 2 flights each, both directions at once.
// WHAT EACH PARTY LEARNS: its own a, b, c, nothing else. As the OT sender it sees only u (masked
// by PRG streams it cannot compute); as the receiver it sees d masked by the low bit of the
// message it did not choose, H(j, t_j ⊕ s), pseudorandom without s, so d is uniform and
// independent of a. a_P and b_P are uniform given the peer's view; c_P is then fixed.
// COST per AND word (64 AND triples), both parties together: 2 directions × (64 OTs × 16 B of
// u + 8 B of d) = 2,064 bytes (about 32 bytes per AND triple), plus at most 64 OTs (1 KiB of
// u) of padding per instance per batch with an odd word count.

import { ParleyError } from '../../shared/errors.js';
import { ringAdd, ringMul } from '../../shared/fixed.js';
import type { TripleShares } from '../../shared/triples.js';
import type { Pool } from '../pool/pool.js';
import { platformRandom, type RandomSource } from './context.js';
import { BATCH_PRODUCTS, gilboaReceive, gilboaSend } from './gilboa.js';
import { IknpReceiver, IknpSender } from './iknp.js';
import { recvRing } from './wire.js';

/** Most triples one call may ask for (the result alone is 24 bytes per triple). */
export const MAX_TRIPLES = 1 << 24;

export interface TripleOptions {
  /** Random bytes for shares, base-OT scalars and s (default: the platform CSPRNG). */
  rng?: RandomSource;
}

/** Values (bit products) per OT-extension batch: 2^18 OTs, 4 MiB of u and 2 MiB of d. */
export const BIT_PRODUCT_BATCH = 1 << 18;

/** AND-triple words per OT-extension batch: 64 OTs per word, so 2^18 OTs per instance. */
export const AND_WORD_BATCH = 1 << 12;

/** Packed boolean AND triples, 64 per word, XOR-shared: c0 ⊕ c1 = (a0 ⊕ a1) & (b0 ⊕ b1) bitwise. */
export interface AndTriples {
  a: BigUint64Array;
  b: BigUint64Array;
  c: BigUint64Array;
}

/** Shares of α·β for uniform bits: party 0 holds α and z0, party 1 β and z1 (all mod 2^64). */
export interface BitProducts {
  /** This party's uniform bits (α at party 0, β at party 1), one per word, 0n or 1n. */
  mine: BigUint64Array;
  /** This party's shares: z0 + z1 = α·β. */
  z: BigUint64Array;
}

export function checkCount(n: unknown, what = 'triples'): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ParleyError('ERR_BAD_REQUEST', `expected a positive whole number of ${what}, got ${String(n)}`);
  }
  if (n > MAX_TRIPLES) throw new ParleyError('ERR_TOO_LARGE', `at most ${MAX_TRIPLES} ${what} per call, got ${n}`);
}

function checkSetup(pool: Pool, party: unknown, tag: unknown): void {
  if (party !== 0 && party !== 1) throw new ParleyError('ERR_BAD_REQUEST', `expected party 0 or 1, got ${String(party)}`);
  if (pool.me !== party) throw new ParleyError('ERR_BAD_REQUEST', `party ${party} needs a pool whose index is ${party}, got ${pool.me}`);
  if (typeof tag !== 'string' || tag.length === 0) throw new ParleyError('ERR_BAD_REQUEST', 'expected a non-empty tag');
}

function randomWords(rng: RandomSource, n: number): BigUint64Array {
  return new BigUint64Array(rng(n * 8).slice().buffer);
}

/** n uniform bits: packed (bit j of byte j >> 3 at j & 7, the OT choice format) and one per word. */
function randomBits(rng: RandomSource, n: number): { packed: Uint8Array; words: BigUint64Array } {
  const packed = rng(Math.ceil(n / 8)).slice();
  const words = new BigUint64Array(n);
  for (let j = 0; j < n; j++) words[j] = BigInt((packed[j >>> 3]! >>> (j & 7)) & 1);
  return { packed, words };
}

/** OT sender's pure step for bit products: d_j = M0_j − M1_j + α_j and z0_j = −M0_j. */
export function bitProductSenderStep(alpha: BigUint64Array, m0: BigUint64Array, m1: BigUint64Array): { d: BigUint64Array; z: BigUint64Array } {
  const n = alpha.length;
  if (m0.length !== n || m1.length !== n) throw new ParleyError('ERR_PROTOCOL', `expected ${n} OT message pairs, got ${m0.length} and ${m1.length}`);
  const d = new BigUint64Array(n);
  const z = new BigUint64Array(n);
  for (let j = 0; j < n; j++) {
    d[j] = m0[j]! - m1[j]! + alpha[j]!; // the store wraps mod 2^64
    z[j] = -m0[j]!;
  }
  return { d, z };
}

/** OT receiver's pure step: z1_j = M_{β_j} + β_j·d_j (= M0_j + α_j·β_j). */
export function bitProductReceiverStep(beta: BigUint64Array, chosen: BigUint64Array, d: BigUint64Array): BigUint64Array {
  const n = beta.length;
  if (chosen.length !== n || d.length !== n) throw new ParleyError('ERR_PROTOCOL', `expected ${n} OT messages and corrections, got ${chosen.length} and ${d.length}`);
  const z = new BigUint64Array(n);
  for (let j = 0; j < n; j++) z[j] = beta[j] === 1n ? chosen[j]! + d[j]! : chosen[j]!;
  return z;
}

/** As OT sender with bits α: z0 batch by batch; sends `${ot.id}/bits/${batch}`. */
async function bitProductsSend(pool: Pool, peer: number, ot: IknpSender, alpha: BigUint64Array): Promise<BigUint64Array> {
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

/** As OT receiver choosing with bits β (also given packed): z1 batch by batch. */
async function bitProductsReceive(pool: Pool, peer: number, ot: IknpReceiver, beta: BigUint64Array, packed: Uint8Array): Promise<BigUint64Array> {
  const z = new BigUint64Array(beta.length);
  for (let off = 0; off < beta.length; off += BIT_PRODUCT_BATCH) {
    const bits = beta.subarray(off, off + BIT_PRODUCT_BATCH);
    const choices = packed.subarray(off / 8, (off + bits.length + 7) >>> 3); // off is a multiple of 8
    const { batch, messages } = await ot.extend(choices, bits.length);
    const d = await recvRing(pool, peer, `${ot.id}/bits/${batch}`, bits.length);
    z.set(bitProductReceiverStep(bits, messages, d), off);
  }
  return z;
}

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

/** A bit vector of 32-bit words as little-endian bytes (the OT choice format). */
function halvesToBytes(h: Uint32Array): Uint8Array {
  const out = new Uint8Array(4 * h.length);
  for (let i = 0; i < h.length; i++) {
    const v = h[i]!;
    out[4 * i] = v & 0xff;
    out[4 * i + 1] = (v >>> 8) & 0xff;
    out[4 * i + 2] = (v >>> 16) & 0xff;
    out[4 * i + 3] = v >>> 24;
  }
  return out;
}

/** OT sender's pure step for AND triples (bit vectors): d = m0 ⊕ m1 ⊕ a, share = m0. */
export function andSenderStep(a: Uint32Array, m0: Uint32Array, m1: Uint32Array): { d: Uint32Array; share: Uint32Array } {
  if (m0.length !== a.length || m1.length !== a.length) throw new ParleyError('ERR_PROTOCOL', `expected ${32 * a.length} OT message bits`);
  const d = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = m0[i]! ^ m1[i]! ^ a[i]!;
  return { d, share: m0.slice() };
}

/** OT receiver's pure step: share = m_b ⊕ (b & d) (= m0 ⊕ (a & b)). */
export function andReceiverStep(b: Uint32Array, chosen: Uint32Array, d: Uint32Array): Uint32Array {
  if (chosen.length !== b.length || d.length !== b.length) throw new ParleyError('ERR_PROTOCOL', `expected ${32 * b.length} OT messages and correction bits`);
  const out = new Uint32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = chosen[i]! ^ (b[i]! & d[i]!);
  return out;
}

/** As OT sender with the bits of words a: XOR shares of a & (peer's b); sends `${ot.id}/and/${batch}`. */
async function andSend(pool: Pool, peer: number, ot: IknpSender, a: BigUint64Array): Promise<Uint32Array> {
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

/** As OT receiver choosing with the bits of words b: XOR shares of (peer's a) & b. */
async function andReceive(pool: Pool, peer: number, ot: IknpReceiver, b: BigUint64Array): Promise<Uint32Array> {
  const out = new Uint32Array(2 * b.length);
  for (let off = 0; off < b.length; off += AND_WORD_BATCH) {
    const words = b.subarray(off, off + AND_WORD_BATCH);
    const bits = wordsToHalves(words);
    const { batch, messages } = await ot.extend(halvesToBytes(bits), 64 * words.length);
    const d = await recvRing(pool, peer, `${ot.id}/and/${batch}`, words.length);
    out.set(andReceiverStep(bits, lowBits(messages), wordsToHalves(d)), 2 * off);
  }
  return out;
}

/** Both OT-extension instances between the two parties, serving batches of triples in order. */
export class OtTripleSession {
  private busy = false;
  private failed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly peer: number,
    private readonly sender: IknpSender,
    private readonly receiver: IknpReceiver,
    private readonly opts: TripleOptions,
  ) {}

  /** Runs the base OTs of both instances (message ids under `${tag}/ot0` and `${tag}/ot1`). */
  static async open(pool: Pool, party: 0 | 1, tag: string, opts: TripleOptions = {}): Promise<OtTripleSession> {
    checkSetup(pool, party, tag);
    const peer = 1 - party;
    const [sender, receiver] = await Promise.all([
      IknpSender.setup(pool, peer, `${tag}/ot${party}`, party, opts.rng),
      IknpReceiver.setup(pool, peer, `${tag}/ot${peer}`, peer, opts.rng),
    ]);
    return new OtTripleSession(pool, peer, sender, receiver, opts);
  }

  /** n fresh triples; both parties must call with the same n, one call at a time. */
  triples(n: number): Promise<TripleShares> {
    return this.exclusive(n, 'triples', async (rng) => {
      const a = randomWords(rng, n);
      const b = randomWords(rng, n);
      const [asSender, asReceiver] = await Promise.all([
        gilboaSend(this.pool, this.peer, this.sender, a),
        gilboaReceive(this.pool, this.peer, this.receiver, b),
      ]);
      return { a, b, c: ringAdd(ringAdd(ringMul(a, b), asSender), asReceiver) };
    });
  }

  /**
   * n fresh bit products (one OT each, on instance ot0; see the header): party 0 gets α and z0,
   * party 1 β and z1 with z0 + z1 = α·β. Same rules as triples(): same n, same order, one call
   * at a time.
   */
  bitProducts(n: number): Promise<BitProducts> {
    return this.exclusive(n, 'bit products', async (rng) => {
      const { packed, words: mine } = randomBits(rng, n);
      const z = this.pool.me === 0
        ? await bitProductsSend(this.pool, this.peer, this.sender, mine)
        : await bitProductsReceive(this.pool, this.peer, this.receiver, mine, packed);
      packed.fill(0);
      return { mine, z };
    });
  }

  /**
   * n words of 64 fresh AND triples each (128 OTs per word, both instances at once; see the
   * header): c0 ⊕ c1 = (a0 ⊕ a1) & (b0 ⊕ b1) bitwise. Same rules as triples().
   */
  andTriples(n: number): Promise<AndTriples> {
    return this.exclusive(n, 'AND-triple words', async (rng) => {
      const a = randomWords(rng, n);
      const b = randomWords(rng, n);
      const [asSender, asReceiver] = await Promise.all([andSend(this.pool, this.peer, this.sender, a), andReceive(this.pool, this.peer, this.receiver, b)]);
      const c = halvesToWords(asSender);
      const r = halvesToWords(asReceiver);
      for (let i = 0; i < n; i++) c[i] = (a[i]! & b[i]!) ^ c[i]! ^ r[i]!;
      asSender.fill(0);
      asReceiver.fill(0);
      r.fill(0n);
      return { a, b, c };
    });
  }

  /** Runs one call: refuses overlap and use after a failure, and fails the session on error. */
  private async exclusive<T>(n: number, what: string, run: (rng: RandomSource) => Promise<T>): Promise<T> {
    checkCount(n, what);
    if (this.failed) throw new ParleyError('ERR_CLOSED', 'this triple session stopped after an error');
    if (this.busy) throw new ParleyError('ERR_BAD_REQUEST', 'a triple session serves one call at a time');
    this.busy = true;
    try {
      return await run(this.opts.rng ?? platformRandom);
    } catch (e) {
      this.failed = true;
      throw e;
    } finally {
      this.busy = false;
    }
  }
}

/** n Beaver triples between parties 0 and 1 with fresh base OTs; `tag` must be unique per run. */
export async function otTriples(pool: Pool, party: 0 | 1, n: number, tag: string, opts: TripleOptions = {}): Promise<TripleShares> {
  checkCount(n);
  const session = await OtTripleSession.open(pool, party, tag, opts);
  return session.triples(n);
}

const emptyTriples = (): TripleShares => ({ a: new BigUint64Array(0), b: new BigUint64Array(0), c: new BigUint64Array(0) });

function concat(x: BigUint64Array, y: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(x.length + y.length);
  out.set(x);
  out.set(y, x.length);
  return out;
}

/**
 * Triples on demand: refills in batches of at least `batch` (default BATCH_PRODUCTS) over one
 * session (base OTs once, then fresh extension batches) and hands each triple out once, as a
 * copy, wiping the stock's. Both parties must call take() with the same counts in the same order.
 */
export class TripleSource {
  readonly stats = { made: 0, consumed: 0 };
  private session: Promise<OtTripleSession> | null = null;
  private stock = emptyTriples();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly party: 0 | 1,
    private readonly tag: string,
    private readonly opts: TripleOptions & { batch?: number } = {},
  ) {
    checkSetup(pool, party, tag);
    if (opts.batch !== undefined) checkCount(opts.batch);
  }

  /** Triples in stock, made but not yet taken. */
  get available(): number {
    return this.stock.a.length;
  }

  /** The next n unused triples (calls are served in order). */
  take(n: number): Promise<TripleShares> {
    try {
      checkCount(n);
    } catch (e) {
      return Promise.reject(e);
    }
    const run = this.queue.then(() => this.takeNow(n));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async takeNow(n: number): Promise<TripleShares> {
    if (this.available < n) await this.refill(Math.max(this.opts.batch ?? BATCH_PRODUCTS, n - this.available));
    const { a, b, c } = this.stock;
    const out = { a: a.slice(0, n), b: b.slice(0, n), c: c.slice(0, n) };
    for (const v of [a, b, c]) v.fill(0n, 0, n); // spent: wipe the stock's copy
    this.stock = { a: a.slice(n), b: b.slice(n), c: c.slice(n) };
    this.stats.consumed += n;
    return out;
  }

  private async refill(count: number): Promise<void> {
    this.session ??= OtTripleSession.open(this.pool, this.party, this.tag, this.opts);
    const fresh = await (await this.session).triples(count);
    this.stock = { a: concat(this.stock.a, fresh.a), b: concat(this.stock.b, fresh.b), c: concat(this.stock.c, fresh.c) };
    this.stats.made += count;
  }
}
