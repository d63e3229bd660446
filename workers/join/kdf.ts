// The join's key-derivation function: for each OKVS key (an OPRF value F(x), 32 bytes, and a
// cuckoo bin u) a stream of 64-bit words that pads the values B programs into the OKVS and that
// A removes after decoding, and the words the OKVS places the key by (okvs.ts).
//
// KDF(F, u)_k = word k of SHA-256(DST ‖ F ‖ u (4 bytes, little-endian) ‖ j) for block j = ⌊k/4⌋
// (4 words per SHA-256 call, as many calls as the caller needs). SHA-256 is a random oracle here:
// without F (which only a holder of the key x, or of the OPRF key, can compute) the words are
// pseudorandom, so an OKVS entry of a key A does not hold reveals nothing to A. CHOICE BY
// MEASUREMENT (Node 20, 40-byte inputs, 200,000 calls): @noble/hashes sha256 1.08 µs per call,
// blake3 with 48 output bytes 2.69 µs, node:crypto createHash('sha256') 2.47 µs (call overhead);
// fixed-key AES (workers/ot/aes.ts) is faster per block (0.26 µs) but needs a compression step
// for a 36-byte input first, so one noble SHA-256 per 4 words is the simplest fast choice and runs
// the same in Node and browsers. A 100,000-key join hashes about 3·n_B + 1.27·n_A + 8 times
// (one block each for one payload column in Z_2^64): about half a second.

import { sha256 } from '@noble/hashes/sha2.js';

const DST = new TextEncoder().encode('parley/join/kdf/v1');
const POINT = 32;
const WORDS_PER_HASH = 4;

/**
 * `words` KDF words for each of the n pairs (points[32i..32i+32), bins[i]), n·words words in
 * all, entry i's words contiguous.
 */
export function kdfWords(points: Uint8Array, bins: Uint32Array, words: number): BigUint64Array {
  const n = bins.length;
  const out = new BigUint64Array(n * words);
  const bytes = new Uint8Array(out.buffer);
  const input = new Uint8Array(DST.length + POINT + 4 + 1);
  input.set(DST);
  const view = new DataView(input.buffer);
  const blocks = Math.ceil(words / WORDS_PER_HASH);
  for (let i = 0; i < n; i++) {
    input.set(points.subarray(POINT * i, POINT * i + POINT), DST.length);
    view.setUint32(DST.length + POINT, bins[i]!, true);
    for (let j = 0; j < blocks; j++) {
      input[input.length - 1] = j;
      const h = sha256(input);
      const start = (i * words + j * WORDS_PER_HASH) * 8;
      const take = Math.min(WORDS_PER_HASH, words - j * WORDS_PER_HASH) * 8;
      bytes.set(h.subarray(0, take), start);
    }
  }
  return out;
}
