// What the online phase consumes, and the contract of whoever makes it: scalar Beaver triples,
// matrix triples for matrix products, and for truncation either pairs (dealer) or bit products
// (dealer-free). Two makers exist: dealer-free generation between the parties (dealer-free.ts)
// and a dealer (dealer.ts).

import type { TripleShares } from '../../shared/triples.js';
import type { BitProducts } from '../preprocessing/ot-triples.js';

export type { BitProducts };

export interface MatrixTriple {
  /** m×k, k×n and m×n shares with C = A·B, row-major. */
  A: BigUint64Array;
  B: BigUint64Array;
  C: BigUint64Array;
}

/** Shares of a uniform r, of ⌊r / 2^f⌋ and of r's top bit, all in Z_2^64. */
export interface TruncPairs {
  r: BigUint64Array;
  rt: BigUint64Array;
  msb: BigUint64Array;
}

export interface CorrelationMaker {
  readonly mode: 'dealer-free' | 'dealer';
  /** Whether truncation uses truncPairs (dealer); otherwise it uses bitProducts (dealer-free). */
  readonly truncationPairs: boolean;
  /** n scalar triples. Calls come one at a time, in the same order at both parties. */
  triples(n: number): Promise<TripleShares>;
  matrixTriple(m: number, k: number, n: number): Promise<MatrixTriple>;
  /** n truncation pairs for f fractional bits (only when truncationPairs). */
  truncPairs(n: number, f: number): Promise<TruncPairs>;
  /** n bit products, one per truncation (only when not truncationPairs). Same order rules. */
  bitProducts?(n: number): Promise<BitProducts>;
  close(): void;
}
