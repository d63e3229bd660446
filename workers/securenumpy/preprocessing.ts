// The engine's supply of correlated randomness: operations reserve what they need in program
// order (so both parties consume identical streams), stocks made ahead are used first, and
// every triple, pair and matrix triple is handed out exactly once. Counts are kept for stats.

import type { TripleShares } from '../../shared/triples.js';
import type { CorrelationMaker, MatrixTriple, TruncPairs } from './correlations.js';
import { Stock } from './stock.js';

export interface Needs {
  /** Scalar triples for products. */
  triples?: number;
  /** Fixed-point truncations (pairs from a dealer, or one triple each dealer-free). */
  truncations?: number;
  /** Matrix triples by (m, k, n). */
  matrices?: readonly (readonly [number, number, number])[];
}

export type TruncMaterial = { kind: 'pairs'; pairs: TruncPairs } | { kind: 'wrap'; triples: TripleShares };

export interface Material {
  triples: TripleShares;
  trunc: TruncMaterial;
  matrices: MatrixTriple[];
}

export interface PreprocessingStats {
  triplesMade: number;
  triplesConsumed: number;
  truncPairsMade: number;
  truncPairsConsumed: number;
  matrixTriplesMade: number;
  matrixTriplesConsumed: number;
}

const dimsKey = (d: readonly number[]) => d.join('x');

export class Preprocessing {
  readonly stats: PreprocessingStats = { triplesMade: 0, triplesConsumed: 0, truncPairsMade: 0, truncPairsConsumed: 0, matrixTriplesMade: 0, matrixTriplesConsumed: 0 };
  private readonly tripleStock = new Stock(3);
  private readonly pairStock = new Stock(3);
  private readonly matrixStock = new Map<string, MatrixTriple[]>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly maker: CorrelationMaker,
    private readonly fracBits: number,
    /** Smallest refill of scalar triples or pairs. */
    private readonly batch: number,
  ) {}

  /** The material for one operation; `needs` may still depend on shapes being learned. */
  reserve(needs: Needs | Promise<Needs>): Promise<Material> {
    return this.enqueue(async () => this.takeNow(await needs));
  }

  /** Makes material ahead of time (for example before timing an online phase). */
  stock(plan: Needs): Promise<void> {
    return this.enqueue(async () => {
      const wrap = !this.maker.truncationPairs;
      const triples = (plan.triples ?? 0) + (wrap ? plan.truncations ?? 0 : 0);
      if (triples > 0) await this.refillTriples(triples);
      if (!wrap && plan.truncations) await this.refillPairs(plan.truncations);
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
    const pairsAvailable = t > 0 && this.maker.truncationPairs;
    const tripleCount = n + (pairsAvailable ? 0 : t);
    if (this.tripleStock.available < tripleCount) await this.refillTriples(Math.max(this.batch, tripleCount - this.tripleStock.available));
    if (pairsAvailable && this.pairStock.available < t) await this.refillPairs(Math.max(this.batch, t - this.pairStock.available));
    const [a, b, c] = this.tripleStock.take(n) as [BigUint64Array, BigUint64Array, BigUint64Array];
    let trunc: TruncMaterial;
    if (pairsAvailable) {
      const [r, rt, msb] = this.pairStock.take(t) as [BigUint64Array, BigUint64Array, BigUint64Array];
      trunc = { kind: 'pairs', pairs: { r, rt, msb } };
      this.stats.truncPairsConsumed += t;
    } else {
      const [wa, wb, wc] = this.tripleStock.take(t) as [BigUint64Array, BigUint64Array, BigUint64Array];
      trunc = { kind: 'wrap', triples: { a: wa, b: wb, c: wc } };
    }
    this.stats.triplesConsumed += tripleCount;
    const matrices: MatrixTriple[] = [];
    for (const d of needs.matrices ?? []) {
      const queued = this.matrixStock.get(dimsKey(d));
      matrices.push(queued?.shift() ?? (await this.makeMatrix(d)));
      this.stats.matrixTriplesConsumed++;
    }
    return { triples: { a, b, c }, trunc, matrices };
  }

  private async refillTriples(n: number): Promise<void> {
    const t = await this.maker.triples(n);
    this.tripleStock.append([t.a, t.b, t.c]);
    this.stats.triplesMade += n;
  }

  private async refillPairs(n: number): Promise<void> {
    const p = await this.maker.truncPairs(n, this.fracBits);
    this.pairStock.append([p.r, p.rt, p.msb]);
    this.stats.truncPairsMade += n;
  }

  private async makeMatrix(d: readonly [number, number, number]): Promise<MatrixTriple> {
    const mt = await this.maker.matrixTriple(d[0], d[1], d[2]);
    this.stats.matrixTriplesMade++;
    return mt;
  }

  private putMatrix(d: readonly number[], mt: MatrixTriple): void {
    const key = dimsKey(d);
    const q = this.matrixStock.get(key) ?? [];
    q.push(mt);
    this.matrixStock.set(key, q);
  }
}
