// AES building blocks of OT extension (workers/ot/aes.ts, hash.ts): the batched
// fixed-key permutation against the FIPS-197 vector, the CTR streams, and the tweaked hash.

import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import { FixedKeyAes } from '../../../workers/ot/aes.js';
import { hashRows } from '../../../workers/ot/hash.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const KEY = hex('000102030405060708090a0b0c0d0e0f');
const PLAIN = '00112233445566778899aabbccddeeff';
const CIPHER = '69c4e0d86a7b0430d8cdb78070b4c55a'; // FIPS-197 appendix C.1

/** AES-128 encryption of one block through WebCrypto (first block of CBC with a zero IV). */
async function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, 'AES-CBC', false, ['encrypt']);
  return new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, k, block as BufferSource),
  ).slice(0, 16);
}

describe('FixedKeyAes', () => {
  it('is AES-128 decryption: the FIPS-197 ciphertext maps to its plaintext', async () => {
    const prp = await FixedKeyAes.create(KEY);
    expect(toHex(await prp.permute(hex(CIPHER)))).toBe(PLAIN);
  });

  it('permutes many blocks independently, each as if alone', async () => {
    const prp = await FixedKeyAes.create(KEY);
    const blocks = crypto.getRandomValues(new Uint8Array(16 * 37));
    blocks.set(hex(CIPHER), 16 * 5);
    blocks.set(hex(CIPHER), 16 * 36); // the last block, and a repeat
    const out = await prp.permute(blocks);
    expect(out.length).toBe(blocks.length);
    expect(toHex(out.subarray(16 * 5, 16 * 6))).toBe(PLAIN);
    expect(toHex(out.subarray(16 * 36))).toBe(PLAIN);
    for (const i of [0, 1, 17]) {
      expect(await prp.permute(blocks.slice(16 * i, 16 * i + 16))).toEqual(out.slice(16 * i, 16 * i + 16));
      expect(await aesEncryptBlock(KEY, out.slice(16 * i, 16 * i + 16))).toEqual(blocks.slice(16 * i, 16 * i + 16));
    }
    expect((await prp.permute(new Uint8Array(0))).length).toBe(0);
  });

  it('refuses partial blocks and wrong key sizes', async () => {
    const prp = await FixedKeyAes.create(KEY);
    await expect(prp.permute(new Uint8Array(15))).rejects.toBeInstanceOf(ParleyError);
    await expect(FixedKeyAes.create(new Uint8Array(32))).rejects.toBeInstanceOf(ParleyError);
  });
});

describe('hashRows (tweakable correlation-robust hash)', () => {
  async function reference(prp: FixedKeyAes, row: Uint8Array, index: number, domain: number): Promise<bigint> {
    const p1 = await prp.permute(row);
    const y = p1.slice();
    const v = new DataView(y.buffer);
    v.setUint32(0, v.getUint32(0, true) ^ (index % 2 ** 32), true);
    v.setUint32(4, v.getUint32(4, true) ^ Math.floor(index / 2 ** 32), true);
    v.setUint32(8, v.getUint32(8, true) ^ domain, true);
    const p2 = await prp.permute(y);
    const out = new Uint8Array(8);
    for (let i = 0; i < 8; i++) out[i] = p2[i]! ^ p1[i]!;
    return new DataView(out.buffer).getBigUint64(0, true);
  }

  it('matches H(i, x) = low64(π(π(x) ⊕ i) ⊕ π(x)) row by row, with and without a mask', async () => {
    const prp = await FixedKeyAes.create(KEY);
    const rows = crypto.getRandomValues(new Uint32Array(4 * 10));
    const mask = crypto.getRandomValues(new Uint32Array(4));
    const plain = await hashRows(prp, rows, 9, 100, 1);
    const masked = await hashRows(prp, rows, 9, 100, 1, mask);
    expect(plain.length).toBe(9);
    for (const j of [0, 4, 8]) {
      const row = rows.slice(4 * j, 4 * j + 4);
      expect(plain[j]).toBe(await reference(prp, new Uint8Array(row.buffer), 100 + j, 1));
      for (let w = 0; w < 4; w++) row[w] = row[w]! ^ mask[w]!;
      expect(masked[j]).toBe(await reference(prp, new Uint8Array(row.buffer), 100 + j, 1));
    }
  });

  it('matches the reference on every row when the index crosses 2^32 (tweak high word)', async () => {
    const prp = await FixedKeyAes.create(KEY);
    const rows = crypto.getRandomValues(new Uint32Array(4 * 6));
    const first = 3 * 2 ** 32 - 3;
    const h = await hashRows(prp, rows, 6, first, 2);
    for (let j = 0; j < 6; j++) {
      expect(h[j]).toBe(await reference(prp, new Uint8Array(rows.slice(4 * j, 4 * j + 4).buffer), first + j, 2));
    }
  });

  it('separates equal inputs by index and by domain', async () => {
    const prp = await FixedKeyAes.create(KEY);
    const rows = new Uint32Array(4 * 4).fill(0xabcdef01);
    const h = await hashRows(prp, rows, 4, 0, 0);
    expect(new Set(h).size).toBe(4);
    expect((await hashRows(prp, rows, 4, 0, 1))[0]).not.toBe(h[0]);
    expect((await hashRows(prp, rows, 4, 2 ** 32, 0))[0]).not.toBe(h[0]); // high index word counts
  });
});
