// SHA-512's compression function (FIPS 180-4, section 6.4.2) in WebAssembly, for
// expand_message_xmd in hash-to-curve-wasm.ts: three to five compressions per join key, which in
// JavaScript (32-bit halves) cost more than the whole curve map. 80 rounds unrolled with
// WebAssembly's native 64-bit rotations, the message schedule kept in 16 rolling locals.
// Blocks are read as 16 i64 words that already hold the big-endian values (the caller stores
// the bytes of each 8-byte word reversed); the state is 8 i64 words.
// Checked against @noble/hashes' sha512 through the whole hash-to-curve (RFC 9380 vectors).

import { ADD, type Func, get, i64, SHRU, set } from '../../shared/ring128/emit.js';

const [I64_LOAD, I64_STORE, XOR, AND, OR, ROTR] = [0x29, 0x37, 0x85, 0x83, 0x84, 0x8a];

/** FIPS 180-4 section 4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80 primes. */
const K = [
  '428a2f98d728ae22',
  '7137449123ef65cd',
  'b5c0fbcfec4d3b2f',
  'e9b5dba58189dbbc',
  '3956c25bf348b538',
  '59f111f1b605d019',
  '923f82a4af194f9b',
  'ab1c5ed5da6d8118',
  'd807aa98a3030242',
  '12835b0145706fbe',
  '243185be4ee4b28c',
  '550c7dc3d5ffb4e2',
  '72be5d74f27b896f',
  '80deb1fe3b1696b1',
  '9bdc06a725c71235',
  'c19bf174cf692694',
  'e49b69c19ef14ad2',
  'efbe4786384f25e3',
  '0fc19dc68b8cd5b5',
  '240ca1cc77ac9c65',
  '2de92c6f592b0275',
  '4a7484aa6ea6e483',
  '5cb0a9dcbd41fbd4',
  '76f988da831153b5',
  '983e5152ee66dfab',
  'a831c66d2db43210',
  'b00327c898fb213f',
  'bf597fc7beef0ee4',
  'c6e00bf33da88fc2',
  'd5a79147930aa725',
  '06ca6351e003826f',
  '142929670a0e6e70',
  '27b70a8546d22ffc',
  '2e1b21385c26c926',
  '4d2c6dfc5ac42aed',
  '53380d139d95b3df',
  '650a73548baf63de',
  '766a0abb3c77b2a8',
  '81c2c92e47edaee6',
  '92722c851482353b',
  'a2bfe8a14cf10364',
  'a81a664bbc423001',
  'c24b8b70d0f89791',
  'c76c51a30654be30',
  'd192e819d6ef5218',
  'd69906245565a910',
  'f40e35855771202a',
  '106aa07032bbd1b8',
  '19a4c116b8d2d0c8',
  '1e376c085141ab53',
  '2748774cdf8eeb99',
  '34b0bcb5e19b48a8',
  '391c0cb3c5c95a63',
  '4ed8aa4ae3418acb',
  '5b9cca4f7763e373',
  '682e6ff3d6b2b8a3',
  '748f82ee5defb2fc',
  '78a5636f43172f60',
  '84c87814a1f0ab72',
  '8cc702081a6439ec',
  '90befffa23631e28',
  'a4506cebde82bde9',
  'bef9a3f7b2c67915',
  'c67178f2e372532b',
  'ca273eceea26619c',
  'd186b8c721c0c207',
  'eada7dd6cde0eb1e',
  'f57d4f7fee6ed178',
  '06f067aa72176fba',
  '0a637dc5a2c898a6',
  '113f9804bef90dae',
  '1b710b35131c471b',
  '28db77f523047d84',
  '32caab7b40c72493',
  '3c9ebe0a15c9bebc',
  '431d67c49c100d4c',
  '4cc5d4becb3e42b6',
  '597f299cfc657e2a',
  '5fcb6fab3ad6faec',
  '6c44198c4a475817',
].map((h) => BigInt(`0x${h}`));

/** FIPS 180-4 section 5.3.5: SHA-512's initial hash value. */
export const SHA512_IV = [
  '6a09e667f3bcc908',
  'bb67ae8584caa73b',
  '3c6ef372fe94f82b',
  'a54ff53a5f1d36f1',
  '510e527fade682d1',
  '9b05688c2b3e6c1f',
  '1f83d9abfb41bd6b',
  '5be0cd19137e2179',
].map((h) => BigInt.asIntN(64, BigInt(`0x${h}`)));

const rotr = (local: number, n: number) => [...get(local), ...i64(BigInt(n)), ROTR];
const shr = (local: number, n: number) => [...get(local), ...i64(BigInt(n)), SHRU];
const xor3 = (a: number[], b: number[], c: number[]) => [...a, ...b, XOR, ...c, XOR];

/** compress(state, block): state = SHA-512 compression of the 128-byte block into state. */
function compressCode(): number[] {
  const [STATE, BLOCK] = [0, 1];
  const w = Array.from({ length: 16 }, (_, i) => 2 + i);
  const v = Array.from({ length: 8 }, (_, i) => 18 + i); // a..h, renamed each round
  const [t1, t2] = [26, 27];
  const code: number[] = [];
  for (let i = 0; i < 8; i++) code.push(...get(STATE), I64_LOAD, 3, 8 * i, ...set(v[i] as number));
  for (let i = 0; i < 16; i++) code.push(...get(BLOCK), I64_LOAD, 3, ...leb(8 * i), ...set(w[i] as number));
  let names = [...v];
  for (let t = 0; t < 80; t++) {
    const wt = w[t % 16] as number;
    if (t >= 16) {
      const w2 = w[(t - 2) % 16] as number;
      const w15 = w[(t - 15) % 16] as number;
      code.push(...get(wt), ...xor3(rotr(w2, 19), rotr(w2, 61), shr(w2, 6)), ADD);
      code.push(
        ...get(w[(t - 7) % 16] as number),
        ADD,
        ...xor3(rotr(w15, 1), rotr(w15, 8), shr(w15, 7)),
        ADD,
        ...set(wt),
      );
    }
    const [a, b, c, d, e, f, g, h] = names as [number, number, number, number, number, number, number, number];
    // T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t, Ch = g ^ (e & (f ^ g))
    code.push(...get(h), ...xor3(rotr(e, 14), rotr(e, 18), rotr(e, 41)), ADD);
    code.push(...get(g), ...get(e), ...get(f), ...get(g), XOR, AND, XOR, ADD);
    code.push(...i64(K[t] as bigint), ADD, ...get(wt), ADD, ...set(t1));
    // T2 = Σ0(a) + Maj(a, b, c), Maj = (a & b) | (c & (a | b))
    code.push(...xor3(rotr(a, 28), rotr(a, 34), rotr(a, 39)));
    code.push(...get(a), ...get(b), AND, ...get(c), ...get(a), ...get(b), OR, AND, OR, ADD, ...set(t2));
    // d += T1 becomes the new e; h = T1 + T2 becomes the new a
    code.push(...get(d), ...get(t1), ADD, ...set(d), ...get(t1), ...get(t2), ADD, ...set(h));
    names = [h, a, b, c, d, e, f, g];
  }
  for (let i = 0; i < 8; i++) {
    code.push(...get(STATE), ...get(STATE), I64_LOAD, 3, 8 * i, ...get(names[i] as number), ADD, I64_STORE, 3, 8 * i);
  }
  return code;
}

function leb(n: number): number[] {
  return n < 128 ? [n] : [(n & 0x7f) | 0x80, n >> 7];
}

export const SHA512_COMPRESS: Func = { name: 'sha512', params: 2, locals: [[26, 0x7e]], code: compressCode() };
