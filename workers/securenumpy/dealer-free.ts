// Dealer-free correlations (the default): scalar triples from OT extension between the two
// parties (../ot/ot-triples.ts, IKNP + Gilboa), matrix triples built from them, and
// for truncation bit products (one OT each instead of a 128-OT triple), and for comparisons
// packed AND triples (64 per word, 128 OTs per word; OtGenerator.andTriples).
//
// A matrix triple (A m×k, B k×n, C = A·B) is made from m·k·n scalar triples: each party draws
// its shares of A and B, and the products A[i,l]·B[l,j] are computed with Beaver's method (one
// opening of 2·m·k·n masked words) and summed over l. Its preprocessing therefore costs
// O(m·k·n) triples and traffic; the online matrix product that consumes it is one round of
// O(m·k + k·n). (Only homomorphic encryption, e.g. BFV, or silent OT would make dealer-free
// matrix triples O(m·k + k·n) in preprocessing too.)

import { ParleyError } from '../../shared/errors.js';
import { randomRing } from '../../shared/random.js';
import { add, mul } from '../../shared/ring.js';
import { OtGenerator } from '../ot/ot-triples.js';
import { recvRing } from '../ot/wire.js';
import type { Pool } from '../pool/pool.js';
import type { AndTriples, BitProducts, CorrelationMaker, MatrixTriple, TripleShares } from './correlations.js';

/** Triples are made in chunks of this many, so progress can be reported. */
const TRIPLE_CHUNK = 16_384;
/** Bit products per chunk (one OT-extension batch each). */
const BIT_PRODUCT_CHUNK = 1 << 18;
/** AND-triple words per chunk (64 OTs per word and direction: 2^18 OTs per instance per chunk). */
const AND_WORD_CHUNK = 1 << 12;

export class DealerFreeMaker implements CorrelationMaker {
  readonly mode = 'dealer-free';
  private ot: Promise<OtGenerator> | null = null;
  private matrices = 0;

  constructor(
    private readonly pool: Pool,
    private readonly party: 0 | 1,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {}

  async triples(n: number): Promise<TripleShares> {
    const [a, b, c] = await this.inChunks(n, TRIPLE_CHUNK, 3, async (ot, m) => {
      const t = await ot.triples(m);
      return [t.a, t.b, t.c];
    });
    return { a: a!, b: b!, c: c! };
  }

  async bitProducts(n: number): Promise<BitProducts> {
    const [mine, z] = await this.inChunks(n, BIT_PRODUCT_CHUNK, 2, async (ot, m) => {
      const p = await ot.bitProducts(m);
      return [p.mine, p.z];
    });
    return { mine: mine!, z: z! };
  }

  async andTriples(n: number): Promise<AndTriples> {
    const [a, b, c] = await this.inChunks(n, AND_WORD_CHUNK, 3, async (ot, m) => {
      const t = await ot.andTriples(m);
      return [t.a, t.b, t.c];
    });
    return { a: a!, b: b!, c: c! };
  }

  /** n values of `parts` components, made `chunk` at a time by the OT generator, with progress. */
  private async inChunks(
    n: number,
    chunk: number,
    parts: number,
    make: (s: OtGenerator, m: number) => Promise<BigUint64Array[]>,
  ): Promise<BigUint64Array[]> {
    this.ot ??= OtGenerator.open(this.pool, this.party, 'snp/ot');
    const ot = await this.ot;
    const out = Array.from({ length: parts }, () => new BigUint64Array(n));
    for (let done = 0; done < n; ) {
      const m = Math.min(chunk, n - done);
      const made = await make(ot, m);
      made.forEach((v, i) => out[i]!.set(v, done));
      done += m;
      this.onProgress?.(done, n);
    }
    return out;
  }

  async matrixTriple(m: number, k: number, n: number): Promise<MatrixTriple> {
    const id = `snp/mt/${this.matrices++}`;
    const size = m * k * n;
    if (size > 2 ** 27)
      throw new ParleyError(
        'ERR_TOO_LARGE',
        `a dealer-free ${m}×${k}×${n} matrix triple needs ${size} scalar triples; use dealer mode or smaller blocks`,
      );
    const A = randomRing(m * k);
    const B = randomRing(k * n);
    const C = new BigUint64Array(m * n);
    if (size === 0) return { A, B, C };
    const t = await this.triples(size);
    // X[i,l,j] = A[i,l] and Y[i,l,j] = B[l,j]; open D = X − a, E = Y − b.
    const D = new BigUint64Array(size);
    const E = new BigUint64Array(size);
    for (let i = 0, p = 0; i < m; i++) {
      for (let l = 0; l < k; l++) {
        for (let j = 0; j < n; j++, p++) {
          D[p] = A[i * k + l]! - t.a[p]!;
          E[p] = B[l * n + j]! - t.b[p]!;
        }
      }
    }
    const peer = 1 - this.party;
    const msg = new BigUint64Array(2 * size);
    msg.set(D);
    msg.set(E, size);
    void this.pool.send(peer, msg, id).catch(() => undefined);
    const theirs = await recvRing(this.pool, peer, id, 2 * size);
    const d = add(D, theirs.subarray(0, size));
    const e = add(E, theirs.subarray(size));
    // z = c + d·b + e·a (+ d·e at party 0), summed over l.
    const z = add(t.c, add(mul(d, t.b), mul(e, t.a)));
    const full = this.party === 0 ? add(z, mul(d, e)) : z;
    for (let i = 0, p = 0; i < m; i++) {
      for (let l = 0; l < k; l++) {
        for (let j = 0; j < n; j++, p++) C[i * n + j] = C[i * n + j]! + full[p]!;
      }
    }
    for (const v of [t.a, t.b, t.c]) v.fill(0n);
    return { A, B, C };
  }

  close(): void {}
}
