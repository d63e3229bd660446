// The one PRG (shared/prg.ts): known answers against AES itself, stream separation and prefixes,
// the engine's seeded streams, and the seeds and requests it refuses.

import { describe, expect, it } from 'vitest';
import { importPrgKeys, Prg, prgStream } from '../../shared/prg.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
const KEY128 = hex('000102030405060708090a0b0c0d0e0f');
const KEY256 = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

/** AES encryption of one block through WebCrypto (first block of CBC with a zero IV). */
async function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, 'AES-CBC', false, ['encrypt']);
  const ct = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, k, block as BufferSource);
  return new Uint8Array(ct).slice(0, 16);
}

describe('prgStream', () => {
  it('FIPS-197 C.1 and C.3: AES-128 and AES-256 of the standard plaintext', async () => {
    const plain = hex('00112233445566778899aabbccddeeff');
    expect(Buffer.from(await aesEncryptBlock(KEY128, plain)).toString('hex')).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(Buffer.from(await aesEncryptBlock(KEY256, plain)).toString('hex')).toBe('8ea2b7ca516745bfeafc49904b496089');
  });

  for (const key of [KEY128, KEY256]) {
    it(`is AES-CTR with counter block (stream ‖ i) for a ${key.length * 8}-bit key`, async () => {
      const [k] = await importPrgKeys([key]);
      const bytes = new Uint8Array(await prgStream(k!, 7, 48));
      for (let i = 0; i < 3; i++) {
        const counter = new Uint8Array(16);
        counter[7] = 7;
        counter[15] = i;
        expect(bytes.subarray(16 * i, 16 * i + 16)).toEqual(await aesEncryptBlock(key, counter));
      }
    });
  }

  it('gives different streams for different stream numbers, and prefixes agree', async () => {
    const [k] = await importPrgKeys([KEY128]);
    const a = new Uint8Array(await prgStream(k!, 0, 64));
    const b = new Uint8Array(await prgStream(k!, 1, 64));
    expect(a).not.toEqual(b);
    expect(new Uint8Array(await prgStream(k!, 0, 32))).toEqual(a.slice(0, 32));
  });

  it('refuses keys of other sizes and ragged or negative requests', async () => {
    await expect(importPrgKeys([new Uint8Array(24)])).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
    // A request larger than the cached zero block is the same keystream.
    const [big] = await importPrgKeys([KEY128]);
    const long = new Uint8Array(await prgStream(big!, 3, (1 << 20) + 32));
    expect(long.subarray(0, 64)).toEqual(new Uint8Array(await prgStream(big!, 3, 64)));
    const [k] = await importPrgKeys([KEY128]);
    await expect(prgStream(k!, 0, 20)).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
    await expect(prgStream(k!, -1, 16)).rejects.toMatchObject({ code: 'ERR_INTERNAL' });
  });
});

describe('Prg (the engine seeds)', () => {
  it('streams are reproducible, distinct, and the keystream of the seed read as words', async () => {
    const seed = new Uint8Array(32).fill(7);
    const [a, b, c] = await Promise.all([
      new Prg(seed).words(5, 64),
      new Prg(seed).words(5, 64),
      new Prg(seed).words(6, 64),
    ]);
    expect(a).toEqual(b);
    expect(new Set([...a!, ...c!]).size).toBe(128);
    const [k] = await importPrgKeys([seed]);
    expect(a).toEqual(new BigUint64Array(await prgStream(k!, 5, 512)));
    // An odd number of words is a prefix of the stream.
    const odd = await new Prg(seed).words(5, 3);
    expect(odd).toEqual(a!.slice(0, 3));
    expect(odd.buffer.byteLength).toBe(24); // no hidden extra word travels with it
  });

  it('refuses a seed of another size, a bad stream number and an oversized request', async () => {
    expect(() => new Prg(new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'ERR_BAD_REQUEST' }));
    await expect(new Prg(new Uint8Array(32)).words(-1, 4)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(new Prg(new Uint8Array(32)).words(0, 2 ** 31 + 1)).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
    await expect(new Prg(new Uint8Array(32)).words(0, -1)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(new Prg(new Uint8Array(32)).words(0, 1.5)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });
});
