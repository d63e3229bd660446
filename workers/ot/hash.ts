// The tweakable correlation-robust hash that turns correlated OTs into random OT messages:
// H(i, x) = π(π(x) ⊕ i) ⊕ π(x) with π a fixed-key AES permutation (the TCCR construction of
// Guo, Katz, Wang and Yu, "Efficient and Secure Multiparty Computation from Fixed-Key Block
// Ciphers", S&P 2020), truncated to 64 bits (one ring element per row, hashRows) or kept at
// 128 bits (hashBlocks, for the silent-OT tree sums). The tweak i carries the OT's index and the
// instance's domain, so no (tweak, input) pair repeats within a session.

import type { FixedKeyAes } from './aes.js';

const TWO_32 = 2 ** 32;

function bytesOf(w: Uint32Array): Uint8Array {
  return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
}

/**
 * H(firstIndex + j, row_j ⊕ mask) for the first `count` rows of `rows` (4 words per row), as
 * `count` ring elements (the low 64 bits of each 128-bit output).
 */
export async function hashRows(
  prp: FixedKeyAes,
  rows: Uint32Array,
  count: number,
  firstIndex: number,
  domain: number,
  mask?: Uint32Array,
): Promise<BigUint64Array> {
  const out = new BigUint64Array(count);
  if (count > 0) await tccr(prp, rows, count, firstIndex, domain, mask, new Uint32Array(out.buffer), 2);
  return out;
}

/** H(firstIndex + j, row_j ⊕ mask) for the first `count` rows, all 128 bits (4 words per row). */
export async function hashBlocks(
  prp: FixedKeyAes,
  rows: Uint32Array,
  count: number,
  firstIndex: number,
  domain: number,
  mask?: Uint32Array,
): Promise<Uint32Array> {
  const out = new Uint32Array(4 * count);
  if (count > 0) await tccr(prp, rows, count, firstIndex, domain, mask, out, 4);
  return out;
}

/**
 * Writes the low `W` words (2 or 4) of H(firstIndex + j, row_j ⊕ mask) to `o` at W·j.
 * Both permutations run through FixedKeyAes.permuteChained, whose buffers start with a zero
 * block, so π(X_j) = P_j ⊕ (word block j of the buffer); undoing the chaining is fused with
 * the tweak (first pass) and the output (second pass).
 */
async function tccr(
  prp: FixedKeyAes,
  rows: Uint32Array,
  count: number,
  firstIndex: number,
  domain: number,
  mask: Uint32Array | undefined,
  o: Uint32Array,
  W: 2 | 4,
): Promise<void> {
  const n4 = count * 4;
  // x_j = row_j ⊕ mask, after a zero block and with a spare block at the end.
  const x = new Uint32Array(n4 + 8);
  const y = new Uint32Array(n4 + 8);
  if (!mask) x.set(rows.subarray(0, n4), 4);
  else {
    const m0 = mask[0]!;
    const m1 = mask[1]!;
    const m2 = mask[2]!;
    const m3 = mask[3]!;
    for (let w = 0; w < n4; w += 4) {
      x[w + 4] = rows[w]! ^ m0;
      x[w + 5] = rows[w + 1]! ^ m1;
      x[w + 6] = rows[w + 2]! ^ m2;
      x[w + 7] = rows[w + 3]! ^ m3;
    }
  }
  const c1 = new Uint32Array((await prp.permuteChained(bytesOf(x))).buffer);
  // π(x_j) = c1_j ⊕ x_{j-1}; y_j = π(x_j) ⊕ tweak_j with tweak = [index low, index high, domain, 0].
  // o keeps π(x_j) (its low W words) until the second pass adds π(y_j).
  // The index's high word changes at most a few times per call: split the loop at those points.
  for (let j = 0; j < count; ) {
    const index = firstIndex + j;
    const hi = Math.floor(index / TWO_32);
    const run = Math.min(count - j, hi * TWO_32 + TWO_32 - index); // rows before hi changes
    let lo = index >>> 0;
    for (let w = 4 * j, end = 4 * (j + run); w < end; w += 4, lo = (lo + 1) >>> 0) {
      const p0 = c1[w]! ^ x[w]!;
      const p1 = c1[w + 1]! ^ x[w + 1]!;
      const p2 = c1[w + 2]! ^ x[w + 2]!;
      const p3 = c1[w + 3]! ^ x[w + 3]!;
      const ow = W === 2 ? w >>> 1 : w;
      o[ow] = p0;
      o[ow + 1] = p1;
      if (W === 4) {
        o[ow + 2] = p2;
        o[ow + 3] = p3;
      }
      y[w + 4] = p0 ^ lo;
      y[w + 5] = p1 ^ hi;
      y[w + 6] = p2 ^ domain;
      y[w + 7] = p3;
    }
    j += run;
  }
  const c2 = new Uint32Array((await prp.permuteChained(bytesOf(y))).buffer);
  // H = π(y_j) ⊕ π(x_j), low W words: π(y_j) = c2_j ⊕ y_{j-1}.
  for (let j = 0, w = 0; j < W * count; j += W, w += 4) {
    for (let i = 0; i < W; i++) o[j + i] = o[j + i]! ^ c2[w + i]! ^ y[w + i]!;
  }
}
