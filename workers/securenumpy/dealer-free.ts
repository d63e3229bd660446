// Dealer-free correlations (the default): scalar triples from OT between the two parties
// (../ot/ot-triples.ts: silent OT, or IKNP as the baseline, + Gilboa), matrix triples built from them, and
// for truncation bit products (one OT each instead of a 128-OT triple), and for comparisons
// packed AND triples (64 per word, 128 OTs per word; OtGenerator.andTriples), and for the private
// join OT products (one random OT each way; OtGenerator.otProducts). The OT work runs
// in lanes (../ot/lanes/): W generators side by side, each in its own Web Worker in the browser
// (W from navigator.hardwareConcurrency − 1, at most 8, agreed with the peer), in this thread in Node.
//
// A matrix triple (A m×k, B k×n, C = A·B) is made from m·k·n scalar triples: each party draws
// its shares of A and B, and the products A[i,l]·B[l,j] are computed with Beaver's method (one
// opening of 2·m·k·n masked words) and summed over l. Its preprocessing therefore costs
// O(m·k·n) triples and traffic; the online matrix product that consumes it is one round of
// O(m·k + k·n). (Silent OT made each scalar triple cheaper, not fewer; only homomorphic
// encryption, e.g. BFV, would make dealer-free matrix triples O(m·k + k·n) in preprocessing too.)
// Everything is made in the session's ring (`ring`, agreed by the lanes with the peer): in
// Z_2^128 triples cost about 3.9× the bytes of Z_2^64 (../ot/gilboa-wide.ts), bit products 16 B of
// correction instead of 8, and AND triples are unchanged (boolean).

import { ParleyError } from '../../shared/errors.js';
import { randomRing } from '../../shared/random.js';
import { RING64, type Ring } from '../../shared/rings.js';
import { hasWorkers, workerLanes } from '../ot/lanes/lane-worker.js';
import { defaultWish, type LaneKind, type LaneOpener, Lanes, openThreadLane } from '../ot/lanes/lanes.js';
import type { OtExtension } from '../ot/ot-triples.js';
import { recvRing } from '../ot/wire.js';
import type { Pool } from '../pool/pool.js';
import type {
  AndTriples,
  BitProducts,
  CorrelationMaker,
  MatrixTriple,
  OtProducts,
  TripleShares,
} from './correlations.js';

/** Per lane and call, correlations are made in chunks of this many, so progress can be reported. */
const CHUNK: Record<LaneKind, number> = {
  triples: 16_384,
  /** One OT-extension batch each. */
  bitProducts: 1 << 18,
  /** 64 OTs per word and direction: 2^18 OTs per instance per chunk. */
  andTriples: 1 << 12,
  /** One OT-extension batch on each instance. */
  otProducts: 1 << 18,
};

export interface DealerFreeOptions {
  /** Called after each chunk with the correlations made so far in the current call. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Preprocessing lanes this party wishes for; both parties run the smaller wish (default:
   * navigator.hardwareConcurrency − 1, from 1 to 8, where lanes get workers; else 1).
   */
  lanes?: number;
  /** Where correlated OTs come from (default 'silent'; 'iknp' is the measured baseline). */
  extension?: OtExtension;
  /** How a lane starts (default: its own Web Worker where the platform has them, else this thread). */
  openLane?: LaneOpener;
  /** The session's ring (default Z_2^64): triples, matrix triples and bit products' z live in it. */
  ring?: Ring;
}

/** Σ_l full[i, l, j] over l into C (m×n), ring elements of W words (W = 2: 64-bit halves with carry). */
function sumOverL(full: BigUint64Array, m: number, k: number, n: number, W: number): BigUint64Array {
  const C = new BigUint64Array(m * n * W);
  if (W === 1) {
    for (let i = 0, p = 0; i < m; i++)
      for (let l = 0; l < k; l++) for (let j = 0; j < n; j++, p++) C[i * n + j] = C[i * n + j]! + full[p]!;
    return C;
  }
  for (let i = 0, p = 0; i < m; i++) {
    for (let l = 0; l < k; l++) {
      for (let j = 0; j < n; j++, p += 2) {
        const q = 2 * (i * n + j);
        const lo = C[q]! + full[p]!; // wraps mod 2^64 in the store
        C[q] = lo;
        C[q + 1] = C[q + 1]! + full[p + 1]! + (C[q]! < full[p]! ? 1n : 0n);
      }
    }
  }
  return C;
}

export class DealerFreeMaker implements CorrelationMaker {
  readonly mode = 'dealer-free';
  private lanes: Promise<Lanes> | null = null;
  private matrices = 0;

  constructor(
    private readonly pool: Pool,
    private readonly party: 0 | 1,
    private readonly opts: DealerFreeOptions = {},
  ) {
    this.ring = opts.ring ?? RING64;
  }

  private readonly ring: Ring;

  async triples(n: number): Promise<TripleShares> {
    const [a, b, c] = await this.make('triples', n);
    return { a: a!, b: b!, c: c! };
  }

  async bitProducts(n: number): Promise<BitProducts> {
    const [mine, z] = await this.make('bitProducts', n);
    return { mine: mine!, z: z! };
  }

  async andTriples(n: number): Promise<AndTriples> {
    const [a, b, c] = await this.make('andTriples', n);
    return { a: a!, b: b!, c: c! };
  }

  async otProducts(n: number): Promise<OtProducts> {
    const [r, s, beta, t] = await this.make('otProducts', n);
    return { r: r!, s: s!, beta: beta!, t: t! };
  }

  /** The lanes, opened on first use (agreeing on their count with the peer). */
  private lanesOpen(): Promise<Lanes> {
    if (!this.lanes) {
      const openLane = this.opts.openLane ?? (hasWorkers() ? workerLanes() : openThreadLane);
      const wish = this.opts.lanes ?? (openLane === openThreadLane ? 1 : defaultWish());
      const extension = this.opts.extension ?? 'silent';
      this.lanes = Lanes.open(this.pool, this.party, 'snp/ot', { wish, openLane, extension, ring: this.ring.bits });
    }
    return this.lanes;
  }

  /** n correlations of `kind` from the lanes, chunk by chunk, with progress. */
  private async make(kind: LaneKind, n: number): Promise<BigUint64Array[]> {
    return (await this.lanesOpen()).make(kind, n, CHUNK[kind], this.opts.onProgress);
  }

  async matrixTriple(m: number, k: number, n: number): Promise<MatrixTriple> {
    const id = `snp/mt/${this.matrices++}`;
    const size = m * k * n;
    const W = this.ring.words;
    // 2^27 words per opened operand (2 GiB of [D | E] per party) in either ring: 2^26 triples in Z_2^128.
    if (size * W > 2 ** 27)
      throw new ParleyError(
        'ERR_TOO_LARGE',
        `a dealer-free ${m}×${k}×${n} matrix triple needs ${size} scalar triples (at most ${2 ** 27 / W} in the ${this.ring.bits}-bit ring); use dealer mode or smaller blocks`,
      );
    const A = randomRing(m * k * W);
    const B = randomRing(k * n * W);
    if (size === 0) return { A, B, C: new BigUint64Array(m * n * W) };
    const t = await this.triples(size);
    // X[i,l,j] = A[i,l] and Y[i,l,j] = B[l,j]; open [D | E] = [X − a | Y − b].
    const X = new BigUint64Array(size * W);
    const Y = new BigUint64Array(size * W);
    for (let i = 0, p = 0; i < m; i++) {
      for (let l = 0; l < k; l++) {
        for (let j = 0; j < n; j++, p++) {
          for (let w = 0; w < W; w++) {
            X[p * W + w] = A[(i * k + l) * W + w]!;
            Y[p * W + w] = B[(l * n + j) * W + w]!;
          }
        }
      }
    }
    const msg = this.ring.beaverMask(X, Y, t.a, t.b);
    X.fill(0n);
    Y.fill(0n);
    const peer = 1 - this.party;
    void this.pool.send(peer, msg, id).catch(() => undefined);
    const theirs = await recvRing(this.pool, peer, id, 2 * size * W);
    // z = c + d·b + e·a (+ d·e at party 0), summed over l.
    const full = this.ring.beaverCombine(this.party, this.ring.add(msg, theirs), t.a, t.b, t.c);
    const C = sumOverL(full, m, k, n, W);
    for (const v of [t.a, t.b, t.c]) v.fill(0n);
    return { A, B, C };
  }

  /** Stops the lanes (and their workers), now or as soon as they are open. */
  close(): void {
    this.lanes?.then(
      (l) => l.close(),
      () => undefined,
    );
  }
}
