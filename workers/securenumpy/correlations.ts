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

/**
 * Random bit × ring-element products, one random OT in each direction per item (OtGenerator
 * .otProducts): as OT sender a party holds a uniform ring element r and a share s, as receiver a
 * uniform bit β and a share t, such that s_P + t_{1−P} = β_{1−P}·r_P (mod 2^ℓ) for P = 0, 1.
 */
export interface OtProducts {
  /** As sender: a uniform ring element per item (ring.words words). */
  r: BigUint64Array;
  /** As sender: this party's share of β_peer·r. */
  s: BigUint64Array;
  /** As receiver: a uniform bit per item, one per word. */
  beta: BigUint64Array;
  /** As receiver: this party's share of β·r_peer. */
  t: BigUint64Array;
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
  /** n OT products (dealer-free only: the dealer does not deal them). */
  otProducts?(n: number): Promise<OtProducts>;
  close(): void;
}
