// The correlation-robust hash that turns correlated OTs into random OT messages (rot.ts) and
// masks silent OT's tree sums (silent/ferret.ts): H(x) = π(σ(x)) ⊕ σ(x), with π a fixed-key
// AES-128 permutation (aes.ts, one key per OT instance, derived from its public seed) and σ the
// linear orthomorphism σ(x_L ‖ x_R) = (x_L ⊕ x_R ‖ x_L) on the 64-bit halves: the circular
// correlation-robust hash of Guo, Katz, Wang and Yu ("Efficient and Secure Multiparty Computation
// from Fixed-Key Block Ciphers", S&P 2020, §7.3), proven in the ideal-permutation model.
// One AES call per hash, where the tweakable TCCR of the same paper costs two.
//
// WHY CCR SUFFICES HERE. In a COT the receiver knows t_j and must not learn H(t_j ⊕ Δ); the t_j
// are honestly generated pseudorandom blocks (semi-honest parties), distinct except with
// probability about q²/2^128, and Δ is uniform and secret, which is exactly the correlation-
// robustness game (GKWY20 Def. 3, with CCR ⇒ CR). A tweak only matters when a malicious party can
// choose or repeat inputs, which the semi-honest model excludes; distinct instances use distinct
// AES keys, so their hashes are independent permutations' outputs.

import type { FixedKeyAes } from './aes.js';

function bytesOf(w: Uint32Array): Uint8Array {
  return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
}

/** H(row_j ⊕ mask) for the first `count` rows (4 words each), the low 64 bits: a ring element each. */
export async function hashRows(
  prp: FixedKeyAes,
  rows: Uint32Array,
  count: number,
  mask?: Uint32Array,
): Promise<BigUint64Array> {
  const out = new BigUint64Array(count);
  if (count > 0) await ccr(prp, rows, count, mask, new Uint32Array(out.buffer), 2);
  return out;
}

/** H(row_j ⊕ mask) for the first `count` rows, all 128 bits (4 words per row). */
export async function hashBlocks(
  prp: FixedKeyAes,
  rows: Uint32Array,
  count: number,
  mask?: Uint32Array,
): Promise<Uint32Array> {
  const out = new Uint32Array(4 * count);
  if (count > 0) await ccr(prp, rows, count, mask, out, 4);
  return out;
}

/**
 * Writes the low `W` words (2 or 4) of H(row_j ⊕ mask) to `o` at W·j. The permutation runs
 * through FixedKeyAes.permuteChained, whose buffer starts with a zero block, so
 * π(X_j) = P_j ⊕ (block j of the buffer); undoing the chaining is fused with the output pass.
 */
async function ccr(
  prp: FixedKeyAes,
  rows: Uint32Array,
  count: number,
  mask: Uint32Array | undefined,
  o: Uint32Array,
  W: 2 | 4,
): Promise<void> {
  const n4 = count * 4;
  // x_j = σ(row_j ⊕ mask), after a zero block and with a spare block at the end.
  const x = new Uint32Array(n4 + 8);
  const m0 = mask ? mask[0]! : 0;
  const m1 = mask ? mask[1]! : 0;
  const m2 = mask ? mask[2]! : 0;
  const m3 = mask ? mask[3]! : 0;
  for (let w = 0; w < n4; w += 4) {
    const a0 = rows[w]! ^ m0;
    const a1 = rows[w + 1]! ^ m1;
    x[w + 4] = a0 ^ rows[w + 2]! ^ m2;
    x[w + 5] = a1 ^ rows[w + 3]! ^ m3;
    x[w + 6] = a0;
    x[w + 7] = a1;
  }
  const c = new Uint32Array((await prp.permuteChained(bytesOf(x))).buffer);
  // H = π(x_j) ⊕ x_j = c_j ⊕ x_{j-1} ⊕ x_j (x_{-1} = the zero block).
  for (let j = 0, w = 0; j < W * count; j += W, w += 4) {
    for (let i = 0; i < W; i++) o[j + i] = c[w + i]! ^ x[w + i]! ^ x[w + 4 + i]!;
  }
}
