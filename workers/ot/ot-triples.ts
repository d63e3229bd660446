// Dealer-free Beaver triples for two parties in Z_2^64 (semi-honest), so that privacy needs no
// third party: correlated OTs from silent OT (Ferret, silent/ferret.ts) bootstrapped by IKNP
// (iknp.ts) from Chou–Orlandi base OTs (base-ot.ts), random OTs on top (rot.ts), and Gilboa's
// OT-based products (gilboa.ts). In the wide ring (`ring: 128`) everything below holds with 64
// replaced by 128: 128 random OTs per cross product with 128-bit messages, d_k mod 2^(128−k),
// Σ_k (128 − k) = 8,256 bits = 1,032 bytes per triple and direction (gilboa-wide.ts), so about
// 2 × 1,032 + 256 COTs ≈ 2,111 bytes per triple on silent OT (6,160 on IKNP).
//
// PROTOCOL. Party P draws a_P, b_P uniformly (platform CSPRNG) and needs c_P with
// c_0 + c_1 = (a_0 + a_1)(b_0 + b_1) = a_0·b_0 + a_1·b_1 + a_0·b_1 + a_1·b_0 (mod 2^64).
// It computes a_P·b_P itself; each cross term a_P·b_{1-P} is shared by Gilboa with P as OT sender
// (x = a_P) and the peer as OT receiver choosing with the 64 bits of y = b_{1-P}. So a session
// runs two OT instances, "ot0" (party 0 sends) and "ot1" (party 1 sends):
//   1. setup, once per session and instance: 128 base OTs in the reverse direction (2 flights,
//      both instances at once), then COTs: IKNP for an instance's first 2^17, silent OT after
//      (silent/silent-cot.ts; its bootstrap iteration and each chunk are messages of their own).
//   2. per batch of at most 4,096 triples and per instance, m = 64 random OTs per triple (rot.ts);
//      the receiver's y = b_{1-P} is made of its 64 random choices, so the OTs need no message;
//      OT sender → receiver: for OT j carrying bit k of y, d_j = m0_j − m1_j + a mod 2^(64−k),
//      truncated because it only ever counts multiplied by 2^k, packed tightly (Σ_k (64 − k) =
//      2,080 bits = 260 bytes per triple; gilboa.ts). The receiver keeps Σ_k 2^k·[m_{y_k} +
//      y_k·d_j], the sender −Σ_k 2^k·m0_j: 1 flight.
//   c_P = a_P·b_P + (share as sender of a_P·b_{1-P}) + (share as receiver of a_{1-P}·b_P).
// otTriples() opens a fresh session (fresh base OTs, fresh Δ, fresh hash keys) per call. A session
// may serve several batches (TripleSource does); no COT is ever handed out twice.
//
// SECURITY. Semi-honest (passive) adversary corrupting one party, κ = 128. Assumptions: CDH/DDH
// in ristretto255 and SHA-256 as a random oracle for the base OTs; AES-128-CTR as IKNP's PRG;
// regular-noise LPN for silent OT and ChaCha8 as its tree PRG (silent/ferret.ts says which
// parameters and why); fixed-key AES-128 as a random permutation for the correlation-robust hash H
// (hash.ts, Guo–Katz–Wang–Yu 2020), under keys derived per instance from its base-OT transcript.
// WHAT EACH PARTY LEARNS: its own a_P, b_P, c_P and nothing else. Its view of the peer is the base
// OTs' group elements, the COT messages (silent/ferret.ts, iknp.ts: each masked) and d (each
// masked by the message it did not choose,
// H(t_j ⊕ Δ), pseudorandom without Δ, and so its low 64 − k bits). Given that view the peer's
// a, b, c stay uniformly random subject only to c_0 + c_1 = (a_0 + a_1)(b_0 + b_1). The counts
// n are public.
//
// COMMUNICATION per triple, both parties together: 2 × 260 B of d plus the COTs: about 24 B on
// silent OT (544 B in all) or 2 × 64 × 16 B on IKNP (2,568 B in all, the otExtension 'iknp'
// baseline), plus the setup (about 2.5 MB on silent OT) per session.
// Rounds: 2 flights for the base OTs plus 1 per batch (batches run one after another; IKNP adds
// its own flight of u), plus
// silent OT's own messages (one per iteration and one per chunk of 2^19 COTs, streamed).
//
// LIMITS. Semi-honest only: a malicious party could bias the other's triples or learn bits of Δ
// unnoticed; malicious security needs consistency checks and triple sacrifice. Both parties must
// request the same counts in the same order with the same tag, and choose the same extension; a
// failed call leaves the session unusable (callers should pool.abort, as the program runner
// does). Throughput is measured by bench/preprocessing.ts and bench:engine. The code is not
// hardened against timing attacks (it branches on secret bits, and BigInt arithmetic is
// variable-time), and JavaScript cannot guarantee that secrets are erased from memory.
//
// BIT PRODUCTS and AND TRIPLES (bitProducts, andTriples) run over the same session; their
// protocols, security and costs are documented with their steps in ot-bit-products.ts and
// ot-and-triples.ts. OT PRODUCTS (otProducts, for the private join's bit × ring products) are
// the random OTs themselves, one per item on each instance, with no message of their own.

import { ParleyError } from '../../shared/errors.js';
import { type Ring, ringOf } from '../../shared/rings.js';
import type { AndTriples, BitProducts, OtProducts, TripleShares } from '../securenumpy/correlations.js';
import type { OtChannel } from './channel.js';
import { platformRandom, type RandomSource, randomWords } from './context.js';
import type { CotReceiver, CotSender } from './cot.js';
import { BATCH_PRODUCTS, gilboaReceive, gilboaSend } from './gilboa.js';
import { wideGilboaReceive, wideGilboaSend } from './gilboa-wide.js';
import { IknpReceiver, IknpSender } from './iknp.js';
import { makeAndTriples } from './ot-and-triples.js';
import { makeBitProducts } from './ot-bit-products.js';
import { RotReceiver, RotSender } from './rot.js';
import { FerretReceiver, FerretSender } from './silent/ferret.js';
import { SilentCotReceiver, SilentCotSender } from './silent/silent-cot.js';

export { AND_WORD_BATCH, andReceiverStep, andSenderStep, halvesToWords, wordsToHalves } from './ot-and-triples.js';
export { BIT_PRODUCT_BATCH, bitProductReceiverStep, bitProductSenderStep } from './ot-bit-products.js';

/** Most triples one call may ask for (the result alone is 24 bytes per triple, 48 in Z_2^128). */
const MAX_TRIPLES = 1 << 24;
/** OT products per extension batch (2^18 OTs on each instance). */
const OT_PRODUCT_BATCH = 1 << 18;

/** Where the correlated OTs come from: silent OT (Ferret, the default) or IKNP (the baseline). */
export type OtExtension = 'silent' | 'iknp';

export interface TripleOptions {
  /** Random bytes for shares, base-OT scalars and s (default: the platform CSPRNG). */
  rng?: RandomSource;
  /** The COT generator (default 'silent'). */
  extension?: OtExtension;
  /** The ring of triples and bit products, in bits (default 64); AND triples do not depend on it. */
  ring?: 64 | 128;
}

function checkCount(n: unknown, what = 'triples'): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ParleyError('ERR_BAD_REQUEST', `expected a positive whole number of ${what}, got ${String(n)}`);
  }
  if (n > MAX_TRIPLES) throw new ParleyError('ERR_TOO_LARGE', `at most ${MAX_TRIPLES} ${what} per call, got ${n}`);
}

function checkSetup(pool: OtChannel, party: unknown, tag: unknown): void {
  if (party !== 0 && party !== 1)
    throw new ParleyError('ERR_BAD_REQUEST', `expected party 0 or 1, got ${String(party)}`);
  if (pool.me !== party)
    throw new ParleyError('ERR_BAD_REQUEST', `party ${party} needs a pool whose index is ${party}, got ${pool.me}`);
  if (typeof tag !== 'string' || tag.length === 0) throw new ParleyError('ERR_BAD_REQUEST', 'expected a non-empty tag');
}

/** Both OT-extension instances between the two parties, serving batches of triples in order. */
export class OtGenerator {
  private busy = false;
  private failed = false;

  private constructor(
    private readonly pool: OtChannel,
    private readonly peer: number,
    private readonly sender: RotSender,
    private readonly receiver: RotReceiver,
    private readonly opts: TripleOptions,
    /** The ring of triples and bit products. */
    readonly ring: Ring,
  ) {}

  /**
   * Runs the base OTs of both instances (message ids under `${tag}/ot0` and `${tag}/ot1`; party P
   * is the OT sender of instance P) and puts silent OT (or, as asked, plain IKNP) on top. Both
   * parties must pass the same ring (the lanes, lanes.ts, check it with the peer).
   */
  static async open(pool: OtChannel, party: 0 | 1, tag: string, opts: TripleOptions = {}): Promise<OtGenerator> {
    checkSetup(pool, party, tag);
    if (opts.extension !== undefined && opts.extension !== 'silent' && opts.extension !== 'iknp')
      throw new ParleyError('ERR_BAD_REQUEST', `unknown OT extension ${String(opts.extension)}`);
    const ring = ringOf(opts.ring ?? 64);
    const peer = 1 - party;
    const rng = opts.rng ?? platformRandom;
    const mine = `${tag}/ot${party}`;
    const theirs = `${tag}/ot${peer}`;
    const [iknpSender, iknpReceiver] = await Promise.all([
      IknpSender.setup(pool, peer, mine, party, rng),
      IknpReceiver.setup(pool, peer, theirs, peer, rng),
    ]);
    let [cotSender, cotReceiver]: [CotSender, CotReceiver] = [iknpSender, iknpReceiver];
    if (opts.extension !== 'iknp') {
      const [fs, fr] = await Promise.all([
        FerretSender.open(pool, peer, `${mine}/f`, iknpSender, rng),
        FerretReceiver.open(pool, peer, `${theirs}/f`, iknpReceiver, rng),
      ]);
      [cotSender, cotReceiver] = [new SilentCotSender(iknpSender, fs), new SilentCotReceiver(iknpReceiver, fr)];
    }
    const [sender, receiver] = await Promise.all([
      RotSender.over(pool, peer, mine, cotSender),
      RotReceiver.over(pool, peer, theirs, cotReceiver),
    ]);
    return new OtGenerator(pool, peer, sender, receiver, opts, ring);
  }

  /** n fresh triples in the ring; both parties must call with the same n, one call at a time. */
  triples(n: number): Promise<TripleShares> {
    return this.exclusive(n, 'triples', async (rng) => {
      const r = this.ring;
      const a = randomWords(rng, n * r.words);
      const [send, receive] = r.words === 1 ? [gilboaSend, gilboaReceive] : [wideGilboaSend, wideGilboaReceive];
      const [asSender, asReceiver] = await Promise.all([
        send(this.pool, this.peer, this.sender, a),
        receive(this.pool, this.peer, this.receiver, n),
      ]);
      const b = asReceiver.y; // the random OTs' choices: uniform, known only here
      return { a, b, c: r.add(r.add(r.mul(a, b), asSender), asReceiver.share) };
    });
  }

  /**
   * n fresh bit products (one OT each, on instance ot0; see ot-bit-products.ts): party 0 gets α
   * and z0, party 1 β and z1 with z0 + z1 = α·β. Same rules as triples(): same n, same order, one
   * call at a time.
   */
  bitProducts(n: number): Promise<BitProducts> {
    return this.exclusive(n, 'bit products', (rng) =>
      makeBitProducts(this.pool, this.peer, this.sender, this.receiver, rng, n, this.ring),
    );
  }

  /**
   * n words of 64 fresh AND triples each (128 OTs per word, both instances at once; see
   * ot-and-triples.ts): c0 ⊕ c1 = (a0 ⊕ a1) & (b0 ⊕ b1) bitwise. Same rules as triples().
   */
  andTriples(n: number): Promise<AndTriples> {
    return this.exclusive(n, 'AND-triple words', (rng) =>
      makeAndTriples(this.pool, this.peer, this.sender, this.receiver, rng, n),
    );
  }

  /**
   * n fresh OT products (correlations.ts): one random OT with ring-wide messages per item on each
   * instance. As sender (m0, m1): r = m1 − m0, s = −m0; as receiver (β, m_β): t = m_β; so
   * s + t = β·r. No message beyond the COTs: the receiver's other message is pseudorandom
   * without Δ, so r is uniform to it, and β is hidden from the sender (rot.ts). Same rules as
   * triples().
   */
  otProducts(n: number): Promise<OtProducts> {
    return this.exclusive(n, 'OT products', async () => {
      const ring = this.ring;
      const out: OtProducts = {
        r: new BigUint64Array(n * ring.words),
        s: new BigUint64Array(n * ring.words),
        beta: new BigUint64Array(n),
        t: new BigUint64Array(n * ring.words),
      };
      for (let off = 0; off < n; off += OT_PRODUCT_BATCH) {
        const len = Math.min(OT_PRODUCT_BATCH, n - off);
        const [snd, rcv] = await Promise.all([
          this.sender.extend(len, ring.bits),
          this.receiver.extend(len, ring.bits),
        ]);
        out.r.set(ring.sub(snd.m1, snd.m0), off * ring.words);
        out.s.set(ring.neg(snd.m0), off * ring.words);
        for (let j = 0; j < len; j++) out.beta[off + j] = BigInt((rcv.choices[j >>> 5]! >>> (j & 31)) & 1);
        out.t.set(rcv.messages, off * ring.words);
        snd.m0.fill(0n);
        snd.m1.fill(0n);
      }
      return out;
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
export async function otTriples(
  pool: OtChannel,
  party: 0 | 1,
  n: number,
  tag: string,
  opts: TripleOptions = {},
): Promise<TripleShares> {
  checkCount(n);
  const session = await OtGenerator.open(pool, party, tag, opts);
  return session.triples(n);
}

const emptyTriples = (): TripleShares => ({
  a: new BigUint64Array(0),
  b: new BigUint64Array(0),
  c: new BigUint64Array(0),
});

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
 * Z_2^64 only (the engine's stock, securenumpy/preprocessing.ts, serves both rings).
 */
export class TripleSource {
  readonly stats = { made: 0, consumed: 0 };
  private session: Promise<OtGenerator> | null = null;
  private stock = emptyTriples();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: OtChannel,
    private readonly party: 0 | 1,
    private readonly tag: string,
    private readonly opts: Omit<TripleOptions, 'ring'> & { batch?: number } = {},
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
    this.session ??= OtGenerator.open(this.pool, this.party, this.tag, this.opts);
    const fresh = await (await this.session).triples(count);
    this.stock = {
      a: concat(this.stock.a, fresh.a),
      b: concat(this.stock.b, fresh.b),
      c: concat(this.stock.c, fresh.c),
    };
    this.stats.made += count;
  }
}
