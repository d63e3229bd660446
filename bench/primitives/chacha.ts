// A hand-written ChaCha8 block function for bench/primitives.ts: the state in 16 local words, no
// allocation per block, applied to whole batches. The layout is RFC 8439's ("expand 32-byte k",
// key in words 4..11, counter 12, nonce 13..15; both 0 here), so a block equals @noble/ciphers'
// chacha8(key, 0^12, 0^64) and the bench checks that it does.
// GGM: key = seed ‖ seed (a 128-bit key), one block = four 128-bit children (a 4-ary node).
// (ChaCha's own 128-bit-key layout differs only in its constants, "expand 16-byte k"; a
// production version would use those, at the same cost.)
// Hash: key = x ‖ (index, 0, 0, 0), the first 128 bits of the block; one block per input.

const S0 = 0x61707865;
const S1 = 0x3320646e;
const S2 = 0x79622d32;
const S3 = 0x6b206574;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/**
 * ChaCha8 of the key (k0..k3, k4..k7), counter and nonce 0, into out[o..o+n) with n = 16 (the
 * whole block) or 4 (the first 128 bits).
 */
function block(
  k0: number,
  k1: number,
  k2: number,
  k3: number,
  k4: number,
  k5: number,
  k6: number,
  k7: number,
  out: Uint32Array,
  o: number,
  n: number,
): void {
  let x0 = S0,
    x1 = S1,
    x2 = S2,
    x3 = S3;
  let x4 = k0,
    x5 = k1,
    x6 = k2,
    x7 = k3;
  let x8 = k4,
    x9 = k5,
    x10 = k6,
    x11 = k7;
  let x12 = 0,
    x13 = 0,
    x14 = 0,
    x15 = 0;
  for (let r = 0; r < 4; r++) {
    // Columns.
    x0 = (x0 + x4) | 0;
    x12 = rotl(x12 ^ x0, 16);
    x8 = (x8 + x12) | 0;
    x4 = rotl(x4 ^ x8, 12);
    x0 = (x0 + x4) | 0;
    x12 = rotl(x12 ^ x0, 8);
    x8 = (x8 + x12) | 0;
    x4 = rotl(x4 ^ x8, 7);
    x1 = (x1 + x5) | 0;
    x13 = rotl(x13 ^ x1, 16);
    x9 = (x9 + x13) | 0;
    x5 = rotl(x5 ^ x9, 12);
    x1 = (x1 + x5) | 0;
    x13 = rotl(x13 ^ x1, 8);
    x9 = (x9 + x13) | 0;
    x5 = rotl(x5 ^ x9, 7);
    x2 = (x2 + x6) | 0;
    x14 = rotl(x14 ^ x2, 16);
    x10 = (x10 + x14) | 0;
    x6 = rotl(x6 ^ x10, 12);
    x2 = (x2 + x6) | 0;
    x14 = rotl(x14 ^ x2, 8);
    x10 = (x10 + x14) | 0;
    x6 = rotl(x6 ^ x10, 7);
    x3 = (x3 + x7) | 0;
    x15 = rotl(x15 ^ x3, 16);
    x11 = (x11 + x15) | 0;
    x7 = rotl(x7 ^ x11, 12);
    x3 = (x3 + x7) | 0;
    x15 = rotl(x15 ^ x3, 8);
    x11 = (x11 + x15) | 0;
    x7 = rotl(x7 ^ x11, 7);
    // Diagonals.
    x0 = (x0 + x5) | 0;
    x15 = rotl(x15 ^ x0, 16);
    x10 = (x10 + x15) | 0;
    x5 = rotl(x5 ^ x10, 12);
    x0 = (x0 + x5) | 0;
    x15 = rotl(x15 ^ x0, 8);
    x10 = (x10 + x15) | 0;
    x5 = rotl(x5 ^ x10, 7);
    x1 = (x1 + x6) | 0;
    x12 = rotl(x12 ^ x1, 16);
    x11 = (x11 + x12) | 0;
    x6 = rotl(x6 ^ x11, 12);
    x1 = (x1 + x6) | 0;
    x12 = rotl(x12 ^ x1, 8);
    x11 = (x11 + x12) | 0;
    x6 = rotl(x6 ^ x11, 7);
    x2 = (x2 + x7) | 0;
    x13 = rotl(x13 ^ x2, 16);
    x8 = (x8 + x13) | 0;
    x7 = rotl(x7 ^ x8, 12);
    x2 = (x2 + x7) | 0;
    x13 = rotl(x13 ^ x2, 8);
    x8 = (x8 + x13) | 0;
    x7 = rotl(x7 ^ x8, 7);
    x3 = (x3 + x4) | 0;
    x14 = rotl(x14 ^ x3, 16);
    x9 = (x9 + x14) | 0;
    x4 = rotl(x4 ^ x9, 12);
    x3 = (x3 + x4) | 0;
    x14 = rotl(x14 ^ x3, 8);
    x9 = (x9 + x14) | 0;
    x4 = rotl(x4 ^ x9, 7);
  }
  out[o] = x0 + S0;
  out[o + 1] = x1 + S1;
  out[o + 2] = x2 + S2;
  out[o + 3] = x3 + S3;
  if (n === 4) return;
  out[o + 4] = x4 + k0;
  out[o + 5] = x5 + k1;
  out[o + 6] = x6 + k2;
  out[o + 7] = x7 + k3;
  out[o + 8] = x8 + k4;
  out[o + 9] = x9 + k5;
  out[o + 10] = x10 + k6;
  out[o + 11] = x11 + k7;
  out[o + 12] = x12;
  out[o + 13] = x13;
  out[o + 14] = x14;
  out[o + 15] = x15;
}

/** One 4-ary GGM level: parent seed j (words 4j..4j+3) → children 4j..4j+3 (words 16j..16j+15). */
export function chachaGgm(seeds: Uint32Array, out: Uint32Array): void {
  for (let w = 0, o = 0; w < seeds.length; w += 4, o += 16) {
    const a = seeds[w]!;
    const b = seeds[w + 1]!;
    const c = seeds[w + 2]!;
    const d = seeds[w + 3]!;
    block(a, b, c, d, a, b, c, d, out, o, 16);
  }
}

/** H(firstIndex + j, x_j), 128 bits each: the first four words of ChaCha8 keyed by x_j ‖ index. */
export function chachaHash(xs: Uint32Array, out: Uint32Array, firstIndex: number): void {
  for (let w = 0, j = firstIndex; w < xs.length; w += 4, j++) {
    block(xs[w]!, xs[w + 1]!, xs[w + 2]!, xs[w + 3]!, j, 0, 0, 0, out, w, 4);
  }
}
