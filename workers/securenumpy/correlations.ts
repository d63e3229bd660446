// What the online phase consumes, and the contract of whoever makes it: scalar Beaver triples,
// matrix triples for matrix products, bit products for truncation (any shift), and packed
// boolean AND triples (64 per word) for comparisons. Two makers exist: dealer-free generation between the parties (dealer-free.ts)
// and a dealer (dealer.ts).

import type { TripleShares } from '../../shared/triples.js';
import type { AndTriples, BitProducts } from '../preprocessing/ot-triples.js';

export type { AndTriples, BitProducts };

export interface MatrixTriple {
  /** m×k, k×n and m×n shares with C = A·B, row-major. */
  A: BigUint64Array;
  B: BigUint64Array;
  C: BigUint64Array;
}

export interface CorrelationMaker {
  readonly mode: 'dealer-free' | 'dealer';
  /** n scalar triples. Calls come one at a time, in the same order at both parties. */
  triples(n: number): Promise<TripleShares>;
  matrixTriple(m: number, k: number, n: number): Promise<MatrixTriple>;
  /** n bit products (random bits α at party 0, β at party 1, shares of α·β), one per truncation. */
  bitProducts(n: number): Promise<BitProducts>;
  /** n words of 64 XOR-shared AND triples each: c0 ⊕ c1 = (a0 ⊕ a1) & (b0 ⊕ b1) bitwise. */
  andTriples(words: number): Promise<AndTriples>;
  close(): void;
}
