// The one PRG: AES-CTR keystreams through WebCrypto (browsers, workers, Node 20). A key names a
// generator (16 bytes for the OT-extension columns, workers/ot/iknp.ts; 32 for the engine's
// input and dealer seeds, `Prg`); each stream number reads its own counter range: the counter
// block is stream (64-bit big-endian) ‖ block counter (64 bits, from 0), so distinct streams of
// one key never overlap and a stream is reproducible from (key, stream) alone. Security: AES as
// a pseudorandom function in CTR mode (NIST SP 800-38A); a stream holds 2^64 blocks.

import { ParleyError } from './errors.js';
import { SEED_BYTES } from './random.js';

const BLOCK_BYTES = 16;
/** Ring elements a single `Prg` stream may hold (a bound on one request, far below 2^64 blocks). */
const MAX_STREAM_WORDS = 2 ** 31;
/** Zero plaintext shared by keystream requests up to 1 MiB (never written; WebCrypto copies it). */
const ZEROS_CACHED = 1 << 20;
let zeros = new Uint8Array(0);

/** Imports 16- or 32-byte seeds as AES-CTR keys (non-extractable) for `prgStream`. */
export async function importPrgKeys(seeds: readonly Uint8Array[]): Promise<CryptoKey[]> {
  return Promise.all(
    seeds.map((s) => {
      if (s.length !== 16 && s.length !== 32)
        throw new ParleyError('ERR_INTERNAL', `expected a 16- or 32-byte PRG key, got ${s.length} bytes`);
      return crypto.subtle.importKey('raw', s.slice() as BufferSource, 'AES-CTR', false, ['encrypt']);
    }),
  );
}

/** `bytes` (a multiple of 16) of keystream number `stream` (0 ≤ stream < 2^53) under `key`. */
export async function prgStream(key: CryptoKey, stream: number, bytes: number): Promise<ArrayBuffer> {
  if (!Number.isSafeInteger(stream) || stream < 0 || bytes % BLOCK_BYTES !== 0) {
    throw new ParleyError('ERR_INTERNAL', `bad keystream request (stream ${stream}, ${bytes} bytes)`);
  }
  const counter = new Uint8Array(BLOCK_BYTES);
  new DataView(counter.buffer).setBigUint64(0, BigInt(stream), false);
  if (bytes > ZEROS_CACHED)
    return crypto.subtle.encrypt({ name: 'AES-CTR', counter, length: 64 }, key, new Uint8Array(bytes));
  if (zeros.length < bytes) zeros = new Uint8Array(bytes);
  return crypto.subtle.encrypt({ name: 'AES-CTR', counter, length: 64 }, key, zeros.subarray(0, bytes));
}

/** Seeded ring-element streams for the engine: a 32-byte seed both parties know names the key. */
export class Prg {
  private readonly key: Promise<CryptoKey>;

  constructor(seed: Uint8Array) {
    if (seed.length !== SEED_BYTES)
      throw new ParleyError('ERR_BAD_REQUEST', `expected a ${SEED_BYTES}-byte seed, got ${seed.length}`);
    this.key = importPrgKeys([seed]).then(([k]) => k!);
  }

  /** `words` ring elements of stream number `stream` (0 ≤ stream < 2^53). */
  async words(stream: number, words: number): Promise<BigUint64Array> {
    if (!Number.isSafeInteger(stream) || stream < 0)
      throw new ParleyError('ERR_BAD_REQUEST', `bad stream number ${stream}`);
    if (!Number.isSafeInteger(words) || words < 0) throw new ParleyError('ERR_BAD_REQUEST', `bad word count ${words}`);
    if (words > MAX_STREAM_WORDS)
      throw new ParleyError('ERR_TOO_LARGE', `a stream holds at most ${MAX_STREAM_WORDS} words`);
    if (words === 0) return new BigUint64Array(0);
    const out = new BigUint64Array(await prgStream(await this.key, stream, roundBlocks(words * 8)));
    return words === out.length ? out : out.slice(0, words);
  }
}

const roundBlocks = (bytes: number) => Math.ceil(bytes / BLOCK_BYTES) * BLOCK_BYTES;
