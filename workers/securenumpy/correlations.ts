// The contract of correlated randomness: what the online phase consumes (scalar Beaver triples,
// matrix triples for matrix products, bit products for truncation at any shift, and packed boolean
// AND triples, 64 per word, for comparisons) and the CorrelationMaker interface of whoever makes
// it. Implementations import these types, never the reverse: dealer-free generation between the
// parties (dealer-free.ts over ../ot/), and the participant dealer (dealer.ts).

/** Beaver triples, this party's shares: (a0 + a1)(b0 + b1) = c0 + c1 element-wise mod 2^64. */
export interface TripleShares {
  a: BigUint64Array;
  b: BigUint64Array;
  c: BigUint64Array;
}

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
