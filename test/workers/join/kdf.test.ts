// The join's KDF (workers/join/kdf.ts) against its definition: word k of SHA-256(DST ‖ F ‖ u as
// 4 little-endian bytes ‖ ⌊k/4⌋), for any number of words.

import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../shared/random.js';
import { kdfWords } from '../../../workers/join/kdf.js';

function reference(point: Uint8Array, bin: number, words: number): bigint[] {
  const dst = new TextEncoder().encode('parley/join/kdf/v1');
  const out: bigint[] = [];
  for (let j = 0; out.length < words; j++) {
    const input = new Uint8Array([...dst, ...point, bin & 255, (bin >>> 8) & 255, (bin >>> 16) & 255, bin >>> 24, j]);
    const h = new BigUint64Array(sha256(input).buffer);
    out.push(...h);
  }
  return out.slice(0, words);
}

describe('join KDF', () => {
  it('is SHA-256 of DST ‖ F ‖ u ‖ block, 4 words per block', () => {
    const points = randomBytes(32 * 3);
    const bins = Uint32Array.of(0, 1, 123456789);
    for (const words of [1, 4, 5, 9]) {
      const out = kdfWords(points, bins, words);
      for (let i = 0; i < 3; i++)
        expect([...out.subarray(i * words, (i + 1) * words)]).toEqual(
          reference(points.subarray(32 * i, 32 * i + 32), bins[i]!, words),
        );
    }
  });

  it('gives different words for the same point in different bins', () => {
    const p = randomBytes(32);
    const out = kdfWords(new Uint8Array([...p, ...p]), Uint32Array.of(5, 6), 2);
    expect(out[0]).not.toBe(out[2]);
  });
});
