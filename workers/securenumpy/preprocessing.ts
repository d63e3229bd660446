// The engine's supply of correlated randomness: operations reserve what they need in program
// order (so both parties consume identical streams), stocks made ahead are used first, and
// every triple, truncation correlation, matrix triple and AND-triple word is handed out exactly
// once. Counts are kept for stats.

import { ParleyError } from '../../shared/errors.js';
import { RING64, type Ring } from '../../shared/rings.js';
import type {
  AndTriples,
  BitProducts,
  CorrelationMaker,
  MatrixTriple,
  OtProducts,
  TripleShares,
} from './correlations.js';
import { Stock } from './stock.js';

export interface Needs {
  /** Scalar triples for products. */
  triples?: number;
  /** Truncations (one bit product each, from OT or from the dealer). */
  truncations?: number;
  /** Matrix triples by (m, k, n). */
  matrices?: readonly (readonly [number, number, number])[];
  /** Words of packed boolean AND triples (64 per word), for comparisons. */
  andWords?: number;
  /** OT products (dealer-free only), for the private join's bit × ring products. */
  otProducts?: number;
}

/** One bit product per truncated value. */
export type TruncMaterial = { kind: 'bits'; bits: BitProducts };

export interface Material {
  triples: TripleShares;
  trunc: TruncMaterial;
  matrices: MatrixTriple[];
  /** Packed AND triples, `andWords` words. */
  and: AndTriples;
  /** OT products, `otProducts` of them. */
  ot: OtProducts;
}

export interface PreprocessingStats {
  triplesMade: number;
  triplesConsumed: number;
  /** Truncation correlations (bit products). */
  truncationsMade: number;
  truncationsConsumed: number;
  matrixTriplesMade: number;
  matrixTriplesConsumed: number;
  /** Words of packed AND triples (64 AND triples each). */
  andWordsMade: number;
  andWordsConsumed: number;
  /** OT products (random OTs each way, dealer-free; the private join). */
  otProductsMade: number;
  otProductsConsumed: number;
}

const dimsKey = (d: readonly number[]) => d.join('x');

export class Preprocessing {
  readonly stats: PreprocessingStats = {
    triplesMade: 0,
    triplesConsumed: 0,
    truncationsMade: 0,
    truncationsConsumed: 0,
    matrixTriplesMade: 0,
    matrixTriplesConsumed: 0,
    andWordsMade: 0,
    andWordsConsumed: 0,
    otProductsMade: 0,
    otProductsConsumed: 0,
  };
  /** Triples (a, b, c), ring elements. */
  private readonly tripleStock: Stock;
  /** Bit products (mine: a bit per word, z: a ring element), one per truncation. */
  private readonly truncStock: Stock;
  /** Packed AND triples (a, b, c words). */
  private readonly andStock = new Stock([1, 1, 1]);
  /** OT products (r, s, beta, t). */
  private readonly otStock: Stock;
  private readonly matrixStock = new Map<string, MatrixTriple[]>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly maker: CorrelationMaker,
    /** Smallest refill of scalar triples or truncation correlations. */
    private readonly batch: number,
    /** The session's ring: triples and bit products' z take ring.words words per item. */
    ring: Ring = RING64,
  ) {
    const W = ring.words;
    this.tripleStock = new Stock([W, W, W]);
    this.truncStock = new Stock([1, W]);
    this.otStock = new Stock([W, W, 1, W]);
  }

  /** The material for one operation; `needs` may still depend on shapes being learned. */
  reserve(needs: Needs | Promise<Needs>): Promise<Material> {
    return this.enqueue(async () => this.takeNow(await needs));
  }

  /** Makes material ahead of time (for example before timing an online phase). */
  stock(plan: Needs): Promise<void> {
    return this.enqueue(async () => {
      if (plan.triples) await this.refillTriples(plan.triples);
      if (plan.truncations) await this.refillTruncations(plan.truncations);
      if (plan.andWords) await this.refillAnd(plan.andWords);
      if (plan.otProducts) await this.refillOt(plan.otProducts);
      for (const d of plan.matrices ?? []) this.putMatrix(d, await this.makeMatrix(d));
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async takeNow(needs: Needs): Promise<Material> {
    const n = needs.triples ?? 0;
    const t = needs.truncations ?? 0;
    const w = needs.andWords ?? 0;
    if (this.tripleStock.available < n) await this.refillTriples(Math.max(this.batch, n - this.tripleStock.available));
    if (this.truncStock.available < t)
      await this.refillTruncations(Math.max(this.batch, t - this.truncStock.available));
    if (this.andStock.available < w) await this.refillAnd(Math.max(this.batch, w - this.andStock.available));
    const [a, b, c] = this.tripleStock.take(n) as [BigUint64Array, BigUint64Array, BigUint64Array];
    const trunc = this.truncMaterial(this.truncStock.take(t));
    this.stats.triplesConsumed += n;
    this.stats.truncationsConsumed += t;
    const [aa, ab, ac] = this.andStock.take(w) as [BigUint64Array, BigUint64Array, BigUint64Array];
    this.stats.andWordsConsumed += w;
    const o = needs.otProducts ?? 0;
    if (this.otStock.available < o) await this.refillOt(o - this.otStock.available);
    const [r, s, beta, t2] = this.otStock.take(o) as [BigUint64Array, BigUint64Array, BigUint64Array, BigUint64Array];
    this.stats.otProductsConsumed += o;
    const matrices: MatrixTriple[] = [];
    for (const d of needs.matrices ?? []) {
      const queued = this.matrixStock.get(dimsKey(d));
      matrices.push(queued?.shift() ?? (await this.makeMatrix(d)));
      this.stats.matrixTriplesConsumed++;
    }
    return { triples: { a, b, c }, trunc, matrices, and: { a: aa, b: ab, c: ac }, ot: { r, s, beta, t: t2 } };
  }

  private truncMaterial(parts: BigUint64Array[]): TruncMaterial {
    return { kind: 'bits', bits: { mine: parts[0]!, z: parts[1]! } };
  }

  private async refillTriples(n: number): Promise<void> {
    const t = await this.maker.triples(n);
    this.tripleStock.append([t.a, t.b, t.c]);
    this.stats.triplesMade += n;
  }

  private async refillTruncations(n: number): Promise<void> {
    this.truncStock.append(await this.makeTruncations(n));
    this.stats.truncationsMade += n;
  }

  private async refillAnd(n: number): Promise<void> {
    const t = await this.maker.andTriples(n);
    this.andStock.append([t.a, t.b, t.c]);
    this.stats.andWordsMade += n;
  }

  private async refillOt(n: number): Promise<void> {
    if (!this.maker.otProducts)
      throw new ParleyError('ERR_INTERNAL', `OT products are made dealer-free only, not in ${this.maker.mode} mode`);
    const p = await this.maker.otProducts(n);
    this.otStock.append([p.r, p.s, p.beta, p.t]);
    this.stats.otProductsMade += n;
  }

  private async makeTruncations(n: number): Promise<BigUint64Array[]> {
    const b = await this.maker.bitProducts(n);
    return [b.mine, b.z];
  }

  private async makeMatrix(d: readonly [number, number, number]): Promise<MatrixTriple> {
    const mt = await this.maker.matrixTriple(d[0], d[1], d[2]);
    this.stats.matrixTriplesMade++;
    if (this.maker.mode === 'dealer-free') {
      // Dealer-free matrix triples are built from m·k·n scalar triples, made and spent inside.
      this.stats.triplesMade += d[0] * d[1] * d[2];
      this.stats.triplesConsumed += d[0] * d[1] * d[2];
    }
    return mt;
  }

  private putMatrix(d: readonly number[], mt: MatrixTriple): void {
    const key = dimsKey(d);
    const q = this.matrixStock.get(key) ?? [];
    q.push(mt);
    this.matrixStock.set(key, q);
  }
}
