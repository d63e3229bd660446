// Candidate (b) of `npm run bench:ring`: paired 64-bit words with BigInt arithmetic stored into
// BigUint64Array, which V8 lowers to native 64-bit operations (see shared/ring.ts). BigInt
// comparisons are not lowered, so carries are read from the 32-bit words; the 64×64→128 product
// of the low words has no lowered form either (a BigInt shift of an untruncated product is
// not lowered: 100+ ms per million), so mul takes it from 32-bit limbs with the float trick
// and adds the cross terms aL·bH + aH·bL with lowered BigInt.

import { ringMatmul } from '../../shared/ring.js';

const CARRY = [0n, 1n];
const INV32 = 1 / 4294967296;

function u32(x: BigUint64Array): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
}

export function wordsAdd(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(a.length);
  const A = u32(a);
  const O = u32(out);
  for (let i = 0; i < a.length; i += 2) {
    out[i] = a[i]! + b[i]!;
    const oh = O[2 * i + 1]!;
    const ah = A[2 * i + 1]!;
    const c = oh < ah || (oh === ah && O[2 * i]! < A[2 * i]!) ? 1 : 0;
    out[i + 1] = a[i + 1]! + b[i + 1]! + CARRY[c]!;
  }
  return out;
}

export function wordsMul(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(a.length);
  const A = u32(a);
  const B = u32(b);
  const O = new Int32Array(out.buffer);
  for (let i = 0; i < a.length; i += 2) {
    const w = 2 * i;
    const a0 = A[w]!,
      a1 = A[w + 1]!,
      b0 = B[w]!,
      b1 = B[w + 1]!;
    // aL·bL in full: four 32-bit words, each carry from a float sum within 2^12 of exact.
    const l0 = Math.imul(a0, b0);
    const c0 = Math.round((a0 * b0 - (l0 >>> 0)) * INV32);
    const l1 = (Math.imul(a0, b1) + Math.imul(a1, b0) + c0) | 0;
    const c1 = Math.round((a0 * b1 + a1 * b0 + c0 - (l1 >>> 0)) * INV32);
    const l2 = (Math.imul(a1, b1) + c1) | 0;
    const c2 = Math.round((a1 * b1 + c1 - (l2 >>> 0)) * INV32);
    O[w] = l0;
    O[w + 1] = l1;
    O[w + 2] = l2;
    O[w + 3] = c2;
    out[i + 1] = out[i + 1]! + a[i]! * b[i + 1]! + a[i + 1]! * b[i]!;
  }
  return out;
}

/**
 * Not a full product: the three 64-bit matrix products a paired-word matmul cannot avoid
 * (lo·lo mod 2^64 and the cross terms lo·hi + hi·lo as one product with k doubled), without the
 * high word of lo·lo. Its time is a floor for any matmul built on shared/ring.ts's ringMatmul.
 */
export function wordsMatmulFloor(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): void {
  const aLo = new BigUint64Array(m * k);
  const aBoth = new BigUint64Array(2 * m * k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      aLo[i * k + p] = a[2 * (i * k + p)]!;
      aBoth[i * 2 * k + p] = a[2 * (i * k + p)]!;
      aBoth[i * 2 * k + k + p] = a[2 * (i * k + p) + 1]!;
    }
  }
  const bLo = new BigUint64Array(k * n);
  const bBoth = new BigUint64Array(2 * k * n);
  for (let p = 0; p < k * n; p++) {
    bLo[p] = b[2 * p]!;
    bBoth[p] = b[2 * p + 1]!;
    bBoth[k * n + p] = b[2 * p]!;
  }
  ringMatmul(aLo, bLo, m, k, n);
  ringMatmul(aBoth, bBoth, m, 2 * k, n);
}
