// The tweakable correlation-robust hash IKNP needs to turn its rows into OT messages:
// H(i, x) = π(π(x) ⊕ i) ⊕ π(x) with π a fixed-key AES permutation (the TCCR construction of
// Guo, Katz, Wang and Yu, "Efficient and Secure Multiparty Computation from Fixed-Key Block
// Ciphers", S&P 2020), truncated to 64 bits, one ring element per row. The tweak i carries the
// OT's index and the instance's domain, so no (tweak, input) pair repeats within a session.

import type { FixedKeyAes } from './aes.js';

const TWO_32 = 2 ** 32;

function bytesOf(w: Uint32Array): Uint8Array {
  return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
}

function wordsOf(b: Uint8Array): Uint32Array {
  return new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
}

/** The first `count` 128-bit rows, XOR-ed with `mask` (4 words) in a copy if one is given. */
function maskedRows(rows: Uint32Array, count: number, mask?: Uint32Array): Uint32Array {
  if (!mask) return rows.subarray(0, count * 4); // permute() only reads its input
  const x = rows.slice(0, count * 4);
  for (let j = 0; j < x.length; j += 4) {
    x[j] = x[j]! ^ mask[0]!;
    x[j + 1] = x[j + 1]! ^ mask[1]!;
    x[j + 2] = x[j + 2]! ^ mask[2]!;
    x[j + 3] = x[j + 3]! ^ mask[3]!;
  }
  return x;
}

/** XORs the tweak (index, domain) into each row: words = [index low, index high, domain, 0]. */
function addTweaks(y: Uint32Array, firstIndex: number, domain: number): void {
  for (let j = 0, w = 0; w < y.length; j++, w += 4) {
    const index = firstIndex + j;
    y[w] = y[w]! ^ (index >>> 0);
    y[w + 1] = y[w + 1]! ^ Math.floor(index / TWO_32);
    y[w + 2] = y[w + 2]! ^ domain;
  }
}

/**
 * H(firstIndex + j, row_j ⊕ mask) for the first `count` rows of `rows` (4 words per row), as
 * `count` ring elements (the low 64 bits of each 128-bit output).
 */
export async function hashRows(prp: FixedKeyAes, rows: Uint32Array, count: number, firstIndex: number, domain: number, mask?: Uint32Array): Promise<BigUint64Array> {
  const p1 = wordsOf(await prp.permute(bytesOf(maskedRows(rows, count, mask))));
  const y = p1.slice();
  addTweaks(y, firstIndex, domain);
  const p2 = wordsOf(await prp.permute(bytesOf(y)));
  const out = new BigUint64Array(count);
  const o = new Uint32Array(out.buffer);
  for (let j = 0; j < count; j++) {
    o[2 * j] = p2[4 * j]! ^ p1[4 * j]!;
    o[2 * j + 1] = p2[4 * j + 1]! ^ p1[4 * j + 1]!;
  }
  return out;
}
