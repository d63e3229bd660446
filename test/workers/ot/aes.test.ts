// AES building blocks of OT extension (workers/ot/aes.ts, hash.ts): the batched
// fixed-key permutation against the FIPS-197 vector, the CTR streams, and the tweaked hash.

import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import { FixedKeyAes } from '../../../workers/ot/aes.js';
import { hashBlocks, hashRows } from '../../../workers/ot/hash.js';

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

describe('hashRows and hashBlocks (circular correlation-robust hash)', () => {
  /** H(x) = π(σ(x)) ⊕ σ(x), σ(L ‖ R) = (L ⊕ R ‖ L) on 64-bit halves, one block at a time. */
  async function reference(prp: FixedKeyAes, row: Uint32Array): Promise<Uint32Array> {
    const s = Uint32Array.of(row[0]! ^ row[2]!, row[1]! ^ row[3]!, row[0]!, row[1]!);
    const p = new Uint32Array((await prp.permute(new Uint8Array(s.buffer))).buffer);
    return p.map((v, i) => v ^ s[i]!);
  }
  const ring = (w: Uint32Array) => BigInt(w[0]!) | (BigInt(w[1]!) << 32n);

  it('matches H(x) = π(σ(x)) ⊕ σ(x) row by row, with and without a mask, at 64 and 128 bits', async () => {
    const prp = await FixedKeyAes.create(KEY);
    const rows = crypto.getRandomValues(new Uint32Array(4 * 10));
    const mask = crypto.getRandomValues(new Uint32Array(4));
    const plain = await hashRows(prp, rows, 9);
    const masked = await hashRows(prp, rows, 9, mask);
    const wide = await hashBlocks(prp, rows, 9, mask);
    expect([plain.length, wide.length]).toEqual([9, 36]);
    for (const j of [0, 4, 8]) {
      const row = rows.slice(4 * j, 4 * j + 4);
      expect(plain[j]).toBe(ring(await reference(prp, row)));
      for (let w = 0; w < 4; w++) row[w] = row[w]! ^ mask[w]!;
      const want = await reference(prp, row);
      expect(masked[j]).toBe(ring(want));
      expect(wide.subarray(4 * j, 4 * j + 4)).toEqual(want);
    }
  });

  it('is not linear: H(x) ⊕ H(x ⊕ Δ) differs across x for a fixed Δ', async () => {
    const prp = await FixedKeyAes.create(KEY);
    const rows = crypto.getRandomValues(new Uint32Array(4 * 4));
    const delta = crypto.getRandomValues(new Uint32Array(4));
    const [a, b] = [await hashRows(prp, rows, 4), await hashRows(prp, rows, 4, delta)];
    const diffs = new Set(Array.from(a, (v, j) => v ^ b[j]!));
    expect(diffs.size).toBe(4);
  });

  it('hashes nothing to nothing', async () => {
    const prp = await FixedKeyAes.create(KEY);
    expect((await hashRows(prp, new Uint32Array(0), 0)).length).toBe(0);
    expect((await hashBlocks(prp, new Uint32Array(0), 0)).length).toBe(0);
  });
});
