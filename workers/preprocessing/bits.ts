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
 * was. Recursive block swaps (Hacker's Delight, transpose32), written for LSB-first bits.
 */
export function transpose32(a: Uint32Array): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = ((a[k]! >>> j) ^ a[k + j]!) & m;
      a[k + j] = a[k + j]! ^ t;
      a[k] = a[k]! ^ (t << j);
    }
  }
}

/**
 * Transposes a `rows` × `cols` bit matrix stored row by row (`cols / 32` words per row) into a
 * `cols` × `rows` matrix stored the same way. Both dimensions must be multiples of 32.
 */
export function transposeBits(src: Uint32Array, rows: number, cols: number): Uint32Array {
  if (rows % 32 !== 0 || cols % 32 !== 0 || src.length !== (rows * cols) / 32) {
    throw new RangeError(`transposeBits needs multiples of 32 and ${(rows * cols) / 32} words`);
  }
  const srcWords = cols / 32;
  const dstWords = rows / 32;
  const out = new Uint32Array(src.length);
  const block = new Uint32Array(32);
  for (let rb = 0; rb < dstWords; rb++) {
    for (let cb = 0; cb < srcWords; cb++) {
      for (let r = 0; r < 32; r++) block[r] = src[(rb * 32 + r) * srcWords + cb]!;
      transpose32(block);
      for (let c = 0; c < 32; c++) out[(cb * 32 + c) * dstWords + rb] = block[c]!;
    }
  }
  return out;
}
