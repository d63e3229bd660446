// Correlated OT (COT), the one interface between the OT generators (IKNP for the bootstrap and
// the baseline, iknp.ts; Ferret's silent OT, silent/ferret.ts) and what is built on them (random
// OTs, rot.ts). A COT instance has a global Δ (128 bits, bit 0 set) known to its sender; each
// COT j gives the sender a block q_j with bit 0 clear and the receiver t_j = q_j ⊕ r_j·Δ, so bit
// 0 of t_j is the receiver's random choice r_j. Blocks are 4 little-endian 32-bit words in one
// Uint32Array. Both parties must take the same counts in the same order; no block is ever
// handed out twice.

/** The sender's side of a COT instance. */
export interface CotSender {
  /** The instance's global correlation Δ (4 words, bit 0 set). */
  readonly delta: Uint32Array;
  /** Public per-instance seed both parties hold (keys for hashes and codes). */
  readonly seed: Uint8Array;
  /** The next m COTs: 4·m words, q_j at 4j. */
  take(m: number): Promise<Uint32Array>;
}

/** The receiver's side of a COT instance. */
export interface CotReceiver {
  readonly seed: Uint8Array;
  /** The next m COTs: 4·m words, t_j at 4j, r_j = bit 0 of t_j. */
  take(m: number): Promise<Uint32Array>;
}
