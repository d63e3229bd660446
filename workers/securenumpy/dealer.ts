// Dealer mode (opt-in): a third party that only supplies correlated randomness. It sends each
// party a seed once; party 0 expands all its shares from its seed, party 1 expands its masks from
// its own seed and receives one correction per request (c1 = c − c0 and the like). The dealer
// learns the shapes the parties ask for and nothing else; it must not collude with a party.
//
// Request n (in the order both parties consume correlations) reads PRG streams 4n … 4n+3 of each
// seed, so no stream is ever read twice. Messages: dealer → party p 'snp/dealer/seed';
// party 1 → dealer 'snp/dreq/<n>' = [kind, ℓ, dims…]; dealer → party 1 'snp/dres/<n>' = correction.
// ℓ is the session's ring (64 or 128): ring elements (triples, matrix triples, the z of bit
// products) take ℓ/64 words each, AND words one word in both rings. The first request fixes ℓ;
// a request in another ring is refused (ERR_PROTOCOL).

import { ParleyError } from '../../shared/errors.js';
import { Prg } from '../../shared/prg.js';
import { randomBytes, SEED_BYTES } from '../../shared/random.js';
import { RING64, type Ring, ringOf } from '../../shared/rings.js';
import { recvRing } from '../ot/wire.js';
import type { Pool } from '../pool/pool.js';
import type { AndTriples, BitProducts, CorrelationMaker, MatrixTriple, TripleShares } from './correlations.js';

const KIND = { triples: 0, matrix: 1, bits: 2, end: 3, and: 4 } as const;
const SEED_ID = 'snp/dealer/seed';

async function recvSeed(pool: Pool, dealer: number): Promise<Prg> {
  const seed = await pool.recv(dealer, SEED_ID);
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES)
    throw new ParleyError('ERR_PROTOCOL', 'the dealer sent a malformed seed');
  return new Prg(seed);
}

/** A party's side of dealer mode. */
export class DealerClient implements CorrelationMaker {
  readonly mode = 'dealer';
  private seq = 0;
  private readonly prg: Promise<Prg>;

  constructor(
    private readonly pool: Pool,
    private readonly party: 0 | 1,
    private readonly dealer: number,
    private readonly ring: Ring = RING64,
  ) {
    this.prg = recvSeed(pool, dealer);
    this.prg.catch(() => undefined);
  }

  private async request(
    kind: number,
    dims: number[],
    mine: number[],
    correctionWords: number,
  ): Promise<BigUint64Array[]> {
    const n = this.seq++;
    const prg = await this.prg;
    const own = mine.map((words, c) => prg.words(4 * n + c, words));
    if (this.party === 1) {
      const req = Float64Array.from([kind, this.ring.bits, ...dims]);
      void this.pool.send(this.dealer, req, `snp/dreq/${n}`).catch(() => undefined);
      own.push(recvRing(this.pool, this.dealer, `snp/dres/${n}`, correctionWords));
    }
    return Promise.all(own);
  }

  async triples(n: number): Promise<TripleShares> {
    const w = n * this.ring.words;
    const [a, b, c] = await this.request(KIND.triples, [n], this.party === 0 ? [w, w, w] : [w, w], w);
    return { a: a!, b: b!, c: c! };
  }

  async matrixTriple(m: number, k: number, n: number): Promise<MatrixTriple> {
    const W = this.ring.words;
    const [A, B, C] = await this.request(
      KIND.matrix,
      [m, k, n],
      this.party === 0 ? [W * m * k, W * k * n, W * m * n] : [W * m * k, W * k * n],
      W * m * n,
    );
    return { A: A!, B: B!, C: C! };
  }

  async bitProducts(n: number): Promise<BitProducts> {
    const W = this.ring.words;
    const [alpha, z] = await this.request(KIND.bits, [n], this.party === 0 ? [W * n, W * n] : [W * n], W * n);
    const mine = new BigUint64Array(n);
    for (let i = 0; i < n; i++) mine[i] = alpha![W * i]! & 1n; // bit 0 of the element's low word
    return { mine, z: z! };
  }

  /** Packed AND triples: party 0 expands a0, b0, c0; party 1 expands a1, b1 and gets c1. */
  async andTriples(n: number): Promise<AndTriples> {
    const [a, b, c] = await this.request(KIND.and, [n], this.party === 0 ? [n, n, n] : [n, n], n);
    return { a: a!, b: b!, c: c! };
  }

  close(): void {
    if (this.party === 1)
      void this.pool
        .send(this.dealer, Float64Array.from([KIND.end, this.ring.bits]), `snp/dreq/${this.seq++}`)
        .catch(() => undefined);
  }
}

/**
 * Runs the dealer for parties 0 and 1 until party 1 says it is done or the pool closes;
 * `onServed` (optional) gets the number of requests served so far after each one.
 */
export async function serveDealer(pool: Pool, onServed?: (requests: number) => void): Promise<{ requests: number }> {
  const seeds = [randomBytes(SEED_BYTES), randomBytes(SEED_BYTES)];
  await Promise.all([pool.send(0, seeds[0], SEED_ID), pool.send(1, seeds[1], SEED_ID)]);
  const [p0, p1] = seeds.map((s) => new Prg(s!)) as [Prg, Prg];
  let ring: Ring | null = null;
  for (let n = 0; ; n++) {
    const req = await pool.recv(1, `snp/dreq/${n}`);
    if (!(req instanceof Float64Array) || req.length < 2)
      throw new ParleyError('ERR_PROTOCOL', 'malformed dealer request');
    const [kind, bits, ...dims] = Array.from(req);
    if (bits !== 64 && bits !== 128) throw new ParleyError('ERR_PROTOCOL', `dealer request in a ${bits}-bit ring`);
    if (ring && ring.bits !== bits)
      throw new ParleyError(
        'ERR_PROTOCOL',
        `dealer request in the ${bits}-bit ring; this dealer serves the ${ring.bits}-bit ring`,
      );
    ring ??= ringOf(bits);
    const { add, mul, ringMatmul, sub, words: W } = ring;
    if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0 && d <= 2 ** 26))
      throw new ParleyError('ERR_PROTOCOL', 'malformed dealer request');
    const s = 4 * n;
    let corr: BigUint64Array;
    if (kind === KIND.end) return { requests: n };
    if (kind === KIND.triples && dims.length === 1) {
      const w = W * dims[0]!;
      const [a0, b0, c0, a1, b1] = await Promise.all([
        p0.words(s, w),
        p0.words(s + 1, w),
        p0.words(s + 2, w),
        p1.words(s, w),
        p1.words(s + 1, w),
      ]);
      corr = sub(mul(add(a0!, a1!), add(b0!, b1!)), c0!);
    } else if (kind === KIND.matrix && dims.length === 3) {
      const [m, k, w] = dims as [number, number, number];
      if (m * k * w > 2 ** 31) throw new ParleyError('ERR_TOO_LARGE', 'matrix triple too large');
      const [A0, B0, C0, A1, B1] = await Promise.all([
        p0.words(s, W * m * k),
        p0.words(s + 1, W * k * w),
        p0.words(s + 2, W * m * w),
        p1.words(s, W * m * k),
        p1.words(s + 1, W * k * w),
      ]);
      corr = sub(ringMatmul(add(A0!, A1!), add(B0!, B1!), m, k, w), C0!);
    } else if (kind === KIND.bits && dims.length === 1) {
      // Bit products: α = bit 0 of each element's low word in party 0's stream s, β in party 1's;
      // party 0's share z0 is its stream s + 1, and party 1 gets z1 = α·β − z0.
      const w = W * dims[0]!;
      const [a0, z0, b1] = await Promise.all([p0.words(s, w), p0.words(s + 1, w), p1.words(s, w)]);
      corr = new BigUint64Array(w);
      if (W === 1) for (let i = 0; i < w; i++) corr[i] = (a0![i]! & b1![i]! & 1n) - z0![i]!;
      else {
        for (let i = 0; i < w; i += W) corr[i] = a0![i]! & b1![i]! & 1n;
        corr = sub(corr, z0!);
      }
    } else if (kind === KIND.and && dims.length === 1) {
      // Packed AND triples (64 per word, XOR-shared): c1 = ((a0 ⊕ a1) & (b0 ⊕ b1)) ⊕ c0.
      const w = dims[0]!;
      const [a0, b0, c0, a1, b1] = await Promise.all([
        p0.words(s, w),
        p0.words(s + 1, w),
        p0.words(s + 2, w),
        p1.words(s, w),
        p1.words(s + 1, w),
      ]);
      corr = new BigUint64Array(w);
      for (let i = 0; i < w; i++) corr[i] = ((a0![i]! ^ a1![i]!) & (b0![i]! ^ b1![i]!)) ^ c0![i]!;
    } else throw new ParleyError('ERR_PROTOCOL', `unknown dealer request kind ${kind}`);
    await pool.send(1, corr, `snp/dres/${n}`);
    onServed?.(n + 1);
  }
}
