// Seeded pseudorandom streams for the engine: a 32-byte seed names a key, and each (stream, words)
// request reads its own AES-256-CTR counter range, so distinct stream numbers never overlap.

import { ParleyError } from '../../shared/errors.js';
import { SEED_BYTES } from '../../shared/random.js';

/** Words a single stream may hold: 2^64 counter blocks split as 2^32 streams × 2^32 blocks. */
const MAX_STREAM_WORDS = 2 ** 31;

export class Prg {
  private readonly key: Promise<CryptoKey>;

  constructor(seed: Uint8Array) {
    if (seed.length !== SEED_BYTES)
      throw new ParleyError('ERR_BAD_REQUEST', `expected a ${SEED_BYTES}-byte seed, got ${seed.length}`);
    this.key = crypto.subtle.importKey('raw', seed.slice() as BufferSource, 'AES-CTR', false, ['encrypt']);
  }

  /** `words` ring elements of stream number `stream` (0 ≤ stream < 2^53). */
  async words(stream: number, words: number): Promise<BigUint64Array> {
    if (!Number.isSafeInteger(stream) || stream < 0)
      throw new ParleyError('ERR_BAD_REQUEST', `bad stream number ${stream}`);
    if (words > MAX_STREAM_WORDS)
      throw new ParleyError('ERR_TOO_LARGE', `a stream holds at most ${MAX_STREAM_WORDS} words`);
    if (words === 0) return new BigUint64Array(0);
    // Counter block: stream number in the high 8 bytes, block counter (from 0) in the low 8.
    const counter = new Uint8Array(16);
    new DataView(counter.buffer).setBigUint64(0, BigInt(stream));
    const out = await crypto.subtle.encrypt(
      { name: 'AES-CTR', counter, length: 64 },
      await this.key,
      new Uint8Array(words * 8),
    );
    return new BigUint64Array(out);
  }
}
