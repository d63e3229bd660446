// ChaCha8 for silent OT, in WebAssembly SIMD: (1) the PRG at every node of the GGM trees
// (ggm.ts): G(s) = the first two 128-bit blocks of ChaCha8 keyed by the node s, child 0 = block
// 0, child 1 = block 1; (2) the keystream that draws the LPN code's public indices (lpn.ts):
// block j = ChaCha8 under the code's key with counter j and the caller's stream number as nonce.
// Chosen by measurement (npm run bench:primitives): in Chromium this WebAssembly SIMD version
// expands about 100 M tree children per second, 4–10× fixed-key AES through WebCrypto, and its
// keystream runs several times faster than WebCrypto's AES-CTR, which the code needs 40 bytes of
// per COT.
//
// SECURITY. ChaCha with a 128-bit key (Bernstein, "ChaCha, a variant of Salsa20", 2008: the
// "expand 16-byte k" constants, the key in words 4–7 and again in 8–11, counter and nonce 0) is
// modelled as a PRF keyed by s, so (block 0, block 1) is pseudorandom for a random s, which is
// all a GGM tree needs (Goldreich–Goldwasser–Micali 1986). Eight rounds: the best published
// attacks reach 7 rounds of ChaCha (Aumasson et al., FSE 2008; later improvements keep that
// margin), and Aumasson's "Too Much Crypto" (2019) argues ChaCha8 suffices; rand_chacha and
// SipHash-style uses rely on reduced-round ChaCha likewise. Tree keys are fresh random nodes,
// never chosen by the peer; the code's keystream is public randomness from a public key. If
// WebAssembly SIMD does not validate, the same functions run in JavaScript (chachaGgmJs,
// chachaStreamJs), so two parties on different engines compute identical trees and codes. The
// module that runs them is kernels.ts.

import { Body, I32X4_ADD, I32X4_SPLAT, V128_CONST, words } from './wasm-simd.js';

/** "expand 16-byte k". */
const TAU = [0x61707865, 0x3120646e, 0x79622d36, 0x6b206574];

/** ggm(in, out, n): n seeds (a multiple of 4) at `in`, their two children each at `out`. */
export function chachaGgmBody(): number[] {
  const f = new Body(3); // in, out, n (seeds, a multiple of 4)
  f.loop(
    2,
    [
      [0, 64],
      [1, 128],
    ],
    () => {
      f.loadTransposed(0, f.k);
      f.initState(TAU);
      for (let i = 0; i < 4; i++) f.get(f.k[i]!).set(f.x[8 + i]!);
      f.rounds();
      f.feedForward([
        ...[0, 1, 2, 3].map((i): [number, number[]] => [i, Array(4).fill(TAU[i])]),
        ...[4, 5, 6, 7].map((i): [number, number] => [i, f.k[i - 4]!]),
      ]);
      f.storeTransposed(f.x.slice(0, 4), 1, 0, 32); // child 0 of seed j at out + 32j
      f.storeTransposed(f.x.slice(4, 8), 1, 16, 32); // child 1 at out + 32j + 16
    },
  );
  return f.bytes();
}

/** x12 = counter + lane, x13 = nonce, x14 = x15 = 0 (params: out 0, n 1, counter 2, nonce 3, key 4–7). */
function counterWords(f: Body): void {
  f.get(2)
    .op(...I32X4_SPLAT)
    .op(...V128_CONST, ...words([0, 1, 2, 3]))
    .op(...I32X4_ADD)
    .set(f.x[12]!);
  f.get(3)
    .op(...I32X4_SPLAT)
    .set(f.x[13]!);
  for (const i of [14, 15]) f.op(...V128_CONST, ...Array(16).fill(0)).set(f.x[i]!);
}

/** stream(out, n, counter, nonce, key0..3): n keystream blocks (a multiple of 4) at `out`. */
export function chachaStreamBody(): number[] {
  const f = new Body(8); // out, n (blocks, a multiple of 4), counter, nonce, key words 0..3
  for (let i = 0; i < 4; i++)
    f.get(4 + i)
      .op(...I32X4_SPLAT)
      .set(f.k[i]!);
  f.loop(
    1,
    [
      [0, 256],
      [2, 4],
    ],
    () => {
      f.initState(TAU);
      for (let i = 0; i < 4; i++) f.get(f.k[i]!).set(f.x[8 + i]!);
      counterWords(f);
      f.rounds();
      // Feed-forward: x += the initial state (x12, x13 rebuilt into t locals first).
      f.get(2)
        .op(...I32X4_SPLAT)
        .op(...V128_CONST, ...words([0, 1, 2, 3]))
        .op(...I32X4_ADD)
        .set(f.t[2]!);
      f.get(3)
        .op(...I32X4_SPLAT)
        .set(f.t[3]!);
      f.feedForward([
        ...[0, 1, 2, 3].map((i): [number, number[]] => [i, Array(4).fill(TAU[i])]),
        ...[4, 5, 6, 7, 8, 9, 10, 11].map((i): [number, number] => [i, f.k[i % 4]!]),
        [12, f.t[2]!],
        [13, f.t[3]!],
      ]);
      for (let g = 0; g < 4; g++) f.storeTransposed(f.x.slice(4 * g, 4 * g + 4), 0, 16 * g, 64);
    },
  );
  return f.bytes();
}

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** The same function in JavaScript: children of `level` (4 words per seed), 8 words per seed. */
export function chachaGgmJs(level: Uint32Array): Uint32Array {
  const out = new Uint32Array(2 * level.length);
  const x = new Int32Array(16);
  for (let w = 0; w < level.length; w += 4) {
    const k = [level[w]! | 0, level[w + 1]! | 0, level[w + 2]! | 0, level[w + 3]! | 0];
    const init = [...TAU.map((c) => c | 0), ...k, ...k, 0, 0, 0, 0];
    x.set(init);
    doubleRounds(x);
    for (let i = 0; i < 8; i++) out[2 * w + i] = (x[i]! + init[i]!) >>> 0;
  }
  return out;
}

/** The keystream in JavaScript: `blocks` 64-byte blocks from counter `counter`, as 16·blocks words. */
export function chachaStreamJs(key: Uint32Array, counter: number, nonce: number, blocks: number): Uint32Array {
  const out = new Uint32Array(16 * blocks);
  const x = new Int32Array(16);
  for (let b = 0; b < blocks; b++) {
    const k = [key[0]! | 0, key[1]! | 0, key[2]! | 0, key[3]! | 0];
    const init = [...TAU.map((c) => c | 0), ...k, ...k, (counter + b) | 0, nonce | 0, 0, 0];
    x.set(init);
    doubleRounds(x);
    for (let i = 0; i < 16; i++) out[16 * b + i] = (x[i]! + init[i]!) >>> 0;
  }
  return out;
}

function doubleRounds(x: Int32Array): void {
  for (let r = 0; r < 4; r++) {
    quarter(x, 0, 4, 8, 12);
    quarter(x, 1, 5, 9, 13);
    quarter(x, 2, 6, 10, 14);
    quarter(x, 3, 7, 11, 15);
    quarter(x, 0, 5, 10, 15);
    quarter(x, 1, 6, 11, 12);
    quarter(x, 2, 7, 8, 13);
    quarter(x, 3, 4, 9, 14);
  }
}

function quarter(x: Int32Array, a: number, b: number, c: number, d: number): void {
  x[a] = (x[a]! + x[b]!) | 0;
  x[d] = rotl(x[d]! ^ x[a]!, 16);
  x[c] = (x[c]! + x[d]!) | 0;
  x[b] = rotl(x[b]! ^ x[c]!, 12);
  x[a] = (x[a]! + x[b]!) | 0;
  x[d] = rotl(x[d]! ^ x[a]!, 8);
  x[c] = (x[c]! + x[d]!) | 0;
  x[b] = rotl(x[b]! ^ x[c]!, 7);
}
