// Bit-matrix helpers for OT extension: IKNP builds 128 long bit columns and hashes the rows,
// so it needs a fast transpose. Bit j of a vector lives in word j >>> 5, bit j & 31 (LSB
// first), which is also byte j >>> 3, bit j & 7 of the little-endian bytes.

/** Bit `j` of a little-endian bit vector given as 32-bit words. */
export function getBit(words: Uint32Array, j: number): number {
  return (words[j >>> 5]! >>> (j & 31)) & 1;
}

/** Sets bit `j` of a little-endian bit vector to `bit` (0 or 1). */
export function setBit(words: Uint32Array, j: number, bit: number): void {
  const w = j >>> 5;
  const mask = 1 << (j & 31);
  words[w] = bit ? words[w]! | mask : words[w]! & ~mask;
}

/** Rounds `bits` up to a multiple of `unit`. */
export function roundUp(bits: number, unit: number): number {
  return Math.ceil(bits / unit) * unit;
}

/**
 * Transposes a 32×32 bit block in place: afterwards bit r of word c is what bit c of word r
 * was. Recursive block swaps (Hacker's Delight, transpose32), written for LSB-first bits, one
 * loop per stage with constant shifts and masks.
 */
export function transpose32(a: Uint32Array): void {
  let t = 0;
  for (let k = 0; k < 16; k++) {
    t = ((a[k]! >>> 16) ^ a[k + 16]!) & 0x0000ffff;
    a[k + 16] = a[k + 16]! ^ t;
    a[k] = a[k]! ^ (t << 16);
  }
  for (let b = 0; b < 32; b += 16) {
    for (let k = b; k < b + 8; k++) {
      t = ((a[k]! >>> 8) ^ a[k + 8]!) & 0x00ff00ff;
      a[k + 8] = a[k + 8]! ^ t;
      a[k] = a[k]! ^ (t << 8);
    }
  }
  for (let b = 0; b < 32; b += 8) {
    for (let k = b; k < b + 4; k++) {
      t = ((a[k]! >>> 4) ^ a[k + 4]!) & 0x0f0f0f0f;
      a[k + 4] = a[k + 4]! ^ t;
      a[k] = a[k]! ^ (t << 4);
    }
  }
  for (let b = 0; b < 32; b += 4) {
    for (let k = b; k < b + 2; k++) {
      t = ((a[k]! >>> 2) ^ a[k + 2]!) & 0x33333333;
      a[k + 2] = a[k + 2]! ^ t;
      a[k] = a[k]! ^ (t << 2);
    }
  }
  for (let k = 0; k < 32; k += 2) {
    t = ((a[k]! >>> 1) ^ a[k + 1]!) & 0x55555555;
    a[k + 1] = a[k + 1]! ^ t;
    a[k] = a[k]! ^ (t << 1);
  }
}

/**
 * Transposes a bit matrix given as its rows, `rows.length` of them with `cols` bits each (at
 * least cols / 32 words; separate arrays, so IKNP's PRG columns need no copying), into a
 * `cols` × rows.length matrix stored row by row. Both dimensions must be multiples of 32.
 * The hot loop of IKNP: transpose32 unrolled on 32 locals (about twice as fast as on an array).
 */
// biome-ignore format: the unrolled hot loop stays one 32-word stage per line
export function transposeRows(rows: readonly Uint32Array[], cols: number): Uint32Array {
  const n = rows.length;
  if (n % 32 !== 0 || cols % 32 !== 0 || rows.some((r) => r.length < cols / 32)) {
    throw new RangeError(`transposeRows needs multiples of 32 and ${cols / 32} words per row`);
  }
  const srcWords = cols / 32;
  const dstWords = n / 32;
  const out = new Uint32Array(srcWords * n);
  let t = 0;
  for (let rb = 0; rb < dstWords; rb++) {
    const r0 = rows[rb * 32 + 0]!, r1 = rows[rb * 32 + 1]!, r2 = rows[rb * 32 + 2]!, r3 = rows[rb * 32 + 3]!, r4 = rows[rb * 32 + 4]!, r5 = rows[rb * 32 + 5]!, r6 = rows[rb * 32 + 6]!, r7 = rows[rb * 32 + 7]!;
    const r8 = rows[rb * 32 + 8]!, r9 = rows[rb * 32 + 9]!, r10 = rows[rb * 32 + 10]!, r11 = rows[rb * 32 + 11]!, r12 = rows[rb * 32 + 12]!, r13 = rows[rb * 32 + 13]!, r14 = rows[rb * 32 + 14]!, r15 = rows[rb * 32 + 15]!;
    const r16 = rows[rb * 32 + 16]!, r17 = rows[rb * 32 + 17]!, r18 = rows[rb * 32 + 18]!, r19 = rows[rb * 32 + 19]!, r20 = rows[rb * 32 + 20]!, r21 = rows[rb * 32 + 21]!, r22 = rows[rb * 32 + 22]!, r23 = rows[rb * 32 + 23]!;
    const r24 = rows[rb * 32 + 24]!, r25 = rows[rb * 32 + 25]!, r26 = rows[rb * 32 + 26]!, r27 = rows[rb * 32 + 27]!, r28 = rows[rb * 32 + 28]!, r29 = rows[rb * 32 + 29]!, r30 = rows[rb * 32 + 30]!, r31 = rows[rb * 32 + 31]!;
    for (let cb = 0; cb < srcWords; cb++) {
      let a0 = r0[cb]!, a1 = r1[cb]!, a2 = r2[cb]!, a3 = r3[cb]!, a4 = r4[cb]!, a5 = r5[cb]!, a6 = r6[cb]!, a7 = r7[cb]!;
      let a8 = r8[cb]!, a9 = r9[cb]!, a10 = r10[cb]!, a11 = r11[cb]!, a12 = r12[cb]!, a13 = r13[cb]!, a14 = r14[cb]!, a15 = r15[cb]!;
      let a16 = r16[cb]!, a17 = r17[cb]!, a18 = r18[cb]!, a19 = r19[cb]!, a20 = r20[cb]!, a21 = r21[cb]!, a22 = r22[cb]!, a23 = r23[cb]!;
      let a24 = r24[cb]!, a25 = r25[cb]!, a26 = r26[cb]!, a27 = r27[cb]!, a28 = r28[cb]!, a29 = r29[cb]!, a30 = r30[cb]!, a31 = r31[cb]!;
      // swap 16×16 sub-blocks: mask 0x0000ffff
      t = ((a0 >>> 16) ^ a16) & 0x0000ffff; a16 ^= t; a0 ^= t << 16;
      t = ((a1 >>> 16) ^ a17) & 0x0000ffff; a17 ^= t; a1 ^= t << 16;
      t = ((a2 >>> 16) ^ a18) & 0x0000ffff; a18 ^= t; a2 ^= t << 16;
      t = ((a3 >>> 16) ^ a19) & 0x0000ffff; a19 ^= t; a3 ^= t << 16;
      t = ((a4 >>> 16) ^ a20) & 0x0000ffff; a20 ^= t; a4 ^= t << 16;
      t = ((a5 >>> 16) ^ a21) & 0x0000ffff; a21 ^= t; a5 ^= t << 16;
      t = ((a6 >>> 16) ^ a22) & 0x0000ffff; a22 ^= t; a6 ^= t << 16;
      t = ((a7 >>> 16) ^ a23) & 0x0000ffff; a23 ^= t; a7 ^= t << 16;
      t = ((a8 >>> 16) ^ a24) & 0x0000ffff; a24 ^= t; a8 ^= t << 16;
      t = ((a9 >>> 16) ^ a25) & 0x0000ffff; a25 ^= t; a9 ^= t << 16;
      t = ((a10 >>> 16) ^ a26) & 0x0000ffff; a26 ^= t; a10 ^= t << 16;
      t = ((a11 >>> 16) ^ a27) & 0x0000ffff; a27 ^= t; a11 ^= t << 16;
      t = ((a12 >>> 16) ^ a28) & 0x0000ffff; a28 ^= t; a12 ^= t << 16;
      t = ((a13 >>> 16) ^ a29) & 0x0000ffff; a29 ^= t; a13 ^= t << 16;
      t = ((a14 >>> 16) ^ a30) & 0x0000ffff; a30 ^= t; a14 ^= t << 16;
      t = ((a15 >>> 16) ^ a31) & 0x0000ffff; a31 ^= t; a15 ^= t << 16;
      // swap 8×8 sub-blocks: mask 0x00ff00ff
      t = ((a0 >>> 8) ^ a8) & 0x00ff00ff; a8 ^= t; a0 ^= t << 8;
      t = ((a1 >>> 8) ^ a9) & 0x00ff00ff; a9 ^= t; a1 ^= t << 8;
      t = ((a2 >>> 8) ^ a10) & 0x00ff00ff; a10 ^= t; a2 ^= t << 8;
      t = ((a3 >>> 8) ^ a11) & 0x00ff00ff; a11 ^= t; a3 ^= t << 8;
      t = ((a4 >>> 8) ^ a12) & 0x00ff00ff; a12 ^= t; a4 ^= t << 8;
      t = ((a5 >>> 8) ^ a13) & 0x00ff00ff; a13 ^= t; a5 ^= t << 8;
      t = ((a6 >>> 8) ^ a14) & 0x00ff00ff; a14 ^= t; a6 ^= t << 8;
      t = ((a7 >>> 8) ^ a15) & 0x00ff00ff; a15 ^= t; a7 ^= t << 8;
      t = ((a16 >>> 8) ^ a24) & 0x00ff00ff; a24 ^= t; a16 ^= t << 8;
      t = ((a17 >>> 8) ^ a25) & 0x00ff00ff; a25 ^= t; a17 ^= t << 8;
      t = ((a18 >>> 8) ^ a26) & 0x00ff00ff; a26 ^= t; a18 ^= t << 8;
      t = ((a19 >>> 8) ^ a27) & 0x00ff00ff; a27 ^= t; a19 ^= t << 8;
      t = ((a20 >>> 8) ^ a28) & 0x00ff00ff; a28 ^= t; a20 ^= t << 8;
      t = ((a21 >>> 8) ^ a29) & 0x00ff00ff; a29 ^= t; a21 ^= t << 8;
      t = ((a22 >>> 8) ^ a30) & 0x00ff00ff; a30 ^= t; a22 ^= t << 8;
      t = ((a23 >>> 8) ^ a31) & 0x00ff00ff; a31 ^= t; a23 ^= t << 8;
      // swap 4×4 sub-blocks: mask 0x0f0f0f0f
      t = ((a0 >>> 4) ^ a4) & 0x0f0f0f0f; a4 ^= t; a0 ^= t << 4;
      t = ((a1 >>> 4) ^ a5) & 0x0f0f0f0f; a5 ^= t; a1 ^= t << 4;
      t = ((a2 >>> 4) ^ a6) & 0x0f0f0f0f; a6 ^= t; a2 ^= t << 4;
      t = ((a3 >>> 4) ^ a7) & 0x0f0f0f0f; a7 ^= t; a3 ^= t << 4;
      t = ((a8 >>> 4) ^ a12) & 0x0f0f0f0f; a12 ^= t; a8 ^= t << 4;
      t = ((a9 >>> 4) ^ a13) & 0x0f0f0f0f; a13 ^= t; a9 ^= t << 4;
      t = ((a10 >>> 4) ^ a14) & 0x0f0f0f0f; a14 ^= t; a10 ^= t << 4;
      t = ((a11 >>> 4) ^ a15) & 0x0f0f0f0f; a15 ^= t; a11 ^= t << 4;
      t = ((a16 >>> 4) ^ a20) & 0x0f0f0f0f; a20 ^= t; a16 ^= t << 4;
      t = ((a17 >>> 4) ^ a21) & 0x0f0f0f0f; a21 ^= t; a17 ^= t << 4;
      t = ((a18 >>> 4) ^ a22) & 0x0f0f0f0f; a22 ^= t; a18 ^= t << 4;
      t = ((a19 >>> 4) ^ a23) & 0x0f0f0f0f; a23 ^= t; a19 ^= t << 4;
      t = ((a24 >>> 4) ^ a28) & 0x0f0f0f0f; a28 ^= t; a24 ^= t << 4;
      t = ((a25 >>> 4) ^ a29) & 0x0f0f0f0f; a29 ^= t; a25 ^= t << 4;
      t = ((a26 >>> 4) ^ a30) & 0x0f0f0f0f; a30 ^= t; a26 ^= t << 4;
      t = ((a27 >>> 4) ^ a31) & 0x0f0f0f0f; a31 ^= t; a27 ^= t << 4;
      // swap 2×2 sub-blocks: mask 0x33333333
      t = ((a0 >>> 2) ^ a2) & 0x33333333; a2 ^= t; a0 ^= t << 2;
      t = ((a1 >>> 2) ^ a3) & 0x33333333; a3 ^= t; a1 ^= t << 2;
      t = ((a4 >>> 2) ^ a6) & 0x33333333; a6 ^= t; a4 ^= t << 2;
      t = ((a5 >>> 2) ^ a7) & 0x33333333; a7 ^= t; a5 ^= t << 2;
      t = ((a8 >>> 2) ^ a10) & 0x33333333; a10 ^= t; a8 ^= t << 2;
      t = ((a9 >>> 2) ^ a11) & 0x33333333; a11 ^= t; a9 ^= t << 2;
      t = ((a12 >>> 2) ^ a14) & 0x33333333; a14 ^= t; a12 ^= t << 2;
      t = ((a13 >>> 2) ^ a15) & 0x33333333; a15 ^= t; a13 ^= t << 2;
      t = ((a16 >>> 2) ^ a18) & 0x33333333; a18 ^= t; a16 ^= t << 2;
      t = ((a17 >>> 2) ^ a19) & 0x33333333; a19 ^= t; a17 ^= t << 2;
      t = ((a20 >>> 2) ^ a22) & 0x33333333; a22 ^= t; a20 ^= t << 2;
      t = ((a21 >>> 2) ^ a23) & 0x33333333; a23 ^= t; a21 ^= t << 2;
      t = ((a24 >>> 2) ^ a26) & 0x33333333; a26 ^= t; a24 ^= t << 2;
      t = ((a25 >>> 2) ^ a27) & 0x33333333; a27 ^= t; a25 ^= t << 2;
      t = ((a28 >>> 2) ^ a30) & 0x33333333; a30 ^= t; a28 ^= t << 2;
      t = ((a29 >>> 2) ^ a31) & 0x33333333; a31 ^= t; a29 ^= t << 2;
      // swap 1×1 sub-blocks: mask 0x55555555
      t = ((a0 >>> 1) ^ a1) & 0x55555555; a1 ^= t; a0 ^= t << 1;
      t = ((a2 >>> 1) ^ a3) & 0x55555555; a3 ^= t; a2 ^= t << 1;
      t = ((a4 >>> 1) ^ a5) & 0x55555555; a5 ^= t; a4 ^= t << 1;
      t = ((a6 >>> 1) ^ a7) & 0x55555555; a7 ^= t; a6 ^= t << 1;
      t = ((a8 >>> 1) ^ a9) & 0x55555555; a9 ^= t; a8 ^= t << 1;
      t = ((a10 >>> 1) ^ a11) & 0x55555555; a11 ^= t; a10 ^= t << 1;
      t = ((a12 >>> 1) ^ a13) & 0x55555555; a13 ^= t; a12 ^= t << 1;
      t = ((a14 >>> 1) ^ a15) & 0x55555555; a15 ^= t; a14 ^= t << 1;
      t = ((a16 >>> 1) ^ a17) & 0x55555555; a17 ^= t; a16 ^= t << 1;
      t = ((a18 >>> 1) ^ a19) & 0x55555555; a19 ^= t; a18 ^= t << 1;
      t = ((a20 >>> 1) ^ a21) & 0x55555555; a21 ^= t; a20 ^= t << 1;
      t = ((a22 >>> 1) ^ a23) & 0x55555555; a23 ^= t; a22 ^= t << 1;
      t = ((a24 >>> 1) ^ a25) & 0x55555555; a25 ^= t; a24 ^= t << 1;
      t = ((a26 >>> 1) ^ a27) & 0x55555555; a27 ^= t; a26 ^= t << 1;
      t = ((a28 >>> 1) ^ a29) & 0x55555555; a29 ^= t; a28 ^= t << 1;
      t = ((a30 >>> 1) ^ a31) & 0x55555555; a31 ^= t; a30 ^= t << 1;
      let d = cb * 32 * dstWords + rb;
      out[d] = a0; d += dstWords; out[d] = a1; d += dstWords; out[d] = a2; d += dstWords; out[d] = a3; d += dstWords; out[d] = a4; d += dstWords; out[d] = a5; d += dstWords; out[d] = a6; d += dstWords; out[d] = a7; d += dstWords;
      out[d] = a8; d += dstWords; out[d] = a9; d += dstWords; out[d] = a10; d += dstWords; out[d] = a11; d += dstWords; out[d] = a12; d += dstWords; out[d] = a13; d += dstWords; out[d] = a14; d += dstWords; out[d] = a15; d += dstWords;
      out[d] = a16; d += dstWords; out[d] = a17; d += dstWords; out[d] = a18; d += dstWords; out[d] = a19; d += dstWords; out[d] = a20; d += dstWords; out[d] = a21; d += dstWords; out[d] = a22; d += dstWords; out[d] = a23; d += dstWords;
      out[d] = a24; d += dstWords; out[d] = a25; d += dstWords; out[d] = a26; d += dstWords; out[d] = a27; d += dstWords; out[d] = a28; d += dstWords; out[d] = a29; d += dstWords; out[d] = a30; d += dstWords; out[d] = a31; d += dstWords;
    }
  }
  return out;
}

/**
 * Transposes a `rows` × `cols` bit matrix stored row by row (`cols / 32` words per row) into a
 * `cols` × `rows` matrix stored the same way. Both dimensions must be multiples of 32.
 */
export function transposeBits(src: Uint32Array, rows: number, cols: number): Uint32Array {
  if (rows % 32 !== 0 || cols % 32 !== 0 || src.length !== (rows * cols) / 32) {
    throw new RangeError(`transposeBits needs multiples of 32 and ${(rows * cols) / 32} words`);
  }
  const w = cols / 32;
  return transposeRows(
    Array.from({ length: rows }, (_, r) => src.subarray(r * w, (r + 1) * w)),
    cols,
  );
}
