// Candidate (c) of `npm run bench:ring`: the Z_2^128 product on four 32-bit limbs with Math.imul
// for the low word of each limb product and a float64 sum for its carry (the sums below stay
// under 2^66, so the float is within 2^14 of exact and Math.round finds the carry), the design
// shared/ring.ts's ringMatmulPortable uses for 64 bits. Element-wise add, sub and neg on limbs
// are in shared/ring128.ts (chosen by measurement).

const INV32 = 1 / 4294967296;

export function limbsMul(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const A = new Uint32Array(a.buffer, a.byteOffset, 2 * a.length);
  const B = new Uint32Array(b.buffer, b.byteOffset, 2 * b.length);
  const out = new BigUint64Array(a.length);
  const O = new Int32Array(out.buffer);
  for (let w = 0; w < O.length; w += 4) {
    const a0 = A[w]!,
      a1 = A[w + 1]!,
      a2 = A[w + 2]!,
      a3 = A[w + 3]!;
    const b0 = B[w]!,
      b1 = B[w + 1]!,
      b2 = B[w + 2]!,
      b3 = B[w + 3]!;
    const l0 = Math.imul(a0, b0);
    const c0 = Math.round((a0 * b0 - (l0 >>> 0)) * INV32);
    const l1 = (Math.imul(a0, b1) + Math.imul(a1, b0) + c0) | 0;
    const c1 = Math.round((a0 * b1 + a1 * b0 + c0 - (l1 >>> 0)) * INV32);
    const l2 = (Math.imul(a0, b2) + Math.imul(a1, b1) + Math.imul(a2, b0) + c1) | 0;
    const c2 = Math.round((a0 * b2 + a1 * b1 + a2 * b0 + c1 - (l2 >>> 0)) * INV32);
    O[w] = l0;
    O[w + 1] = l1;
    O[w + 2] = l2;
    O[w + 3] = Math.imul(a0, b3) + Math.imul(a1, b2) + Math.imul(a2, b1) + Math.imul(a3, b0) + c2;
  }
  return out;
}

const limbs = (x: BigUint64Array) => new Int32Array(x.buffer, x.byteOffset, 2 * x.length);

/** a + b on limbs: each limb sum plus carry is below 2^33, its carry ⌊sum / 2^32⌋ (read off the float). */
export function limbsAdd(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const A = limbs(a);
  const B = limbs(b);
  const out = new BigUint64Array(a.length);
  const O = limbs(out);
  for (let w = 0; w < O.length; w += 4) {
    let s = (A[w]! >>> 0) + (B[w]! >>> 0);
    O[w] = s;
    s = ((s * INV32) | 0) + (A[w + 1]! >>> 0) + (B[w + 1]! >>> 0);
    O[w + 1] = s;
    s = ((s * INV32) | 0) + (A[w + 2]! >>> 0) + (B[w + 2]! >>> 0);
    O[w + 2] = s;
    O[w + 3] = ((s * INV32) | 0) + A[w + 3]! + B[w + 3]!;
  }
  return out;
}

/** a − b on limbs: each difference minus borrow lies in (−2^32 − 1, 2^32); ⌊d / 2^32⌋ is −1 or 0. */
export function limbsSub(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const A = limbs(a);
  const B = limbs(b);
  const out = new BigUint64Array(a.length);
  const O = limbs(out);
  for (let w = 0; w < O.length; w += 4) {
    let s = (A[w]! >>> 0) - (B[w]! >>> 0);
    O[w] = s;
    s = Math.floor(s * INV32) + (A[w + 1]! >>> 0) - (B[w + 1]! >>> 0);
    O[w + 1] = s;
    s = Math.floor(s * INV32) + (A[w + 2]! >>> 0) - (B[w + 2]! >>> 0);
    O[w + 2] = s;
    O[w + 3] = Math.floor(s * INV32) + A[w + 3]! - B[w + 3]!;
  }
  return out;
}

/** Arithmetic shift right by 1 ≤ bits ≤ 31 on limbs (the truncation shift). */
export function limbsShiftRightArithmetic(a: BigUint64Array, bits: number): BigUint64Array {
  const A = limbs(a);
  const out = new BigUint64Array(a.length);
  const O = limbs(out);
  const back = 32 - bits;
  for (let w = 0; w < O.length; w += 4) {
    const a1 = A[w + 1]!,
      a2 = A[w + 2]!,
      a3 = A[w + 3]!;
    O[w] = (A[w]! >>> bits) | (a1 << back);
    O[w + 1] = (a1 >>> bits) | (a2 << back);
    O[w + 2] = (a2 >>> bits) | (a3 << back);
    O[w + 3] = a3 >> bits;
  }
  return out;
}
