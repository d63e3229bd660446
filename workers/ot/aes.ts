// AES through WebCrypto (browsers, workers, Node 20) for OT extension: a fixed-key permutation
// on many 16-byte blocks per call, for the correlation-robust hash (the PRG that stretches each
// base-OT key into one IKNP column is shared/prg.ts).
//
// WebCrypto has no ECB mode, but CBC *decryption* is parallel: with ciphertext X_0..X_{n-1}
// and IV 0 it outputs P_i = AES⁻¹(X_i) ⊕ X_{i-1}, so XOR-ing X_{i-1} back gives AES⁻¹ of every
// block. One extra final block E_K(X_{n-1} ⊕ 16^16), made by encrypting an empty message with
// IV X_{n-1}, decrypts to a valid PKCS#7 padding block, which WebCrypto checks and strips.
// The permutation is therefore π = AES-128⁻¹ under a public key, as good a random permutation
// as AES-128 itself.
// permuteChained() leaves the unchaining (P_i ⊕ X_{i-1}) to its caller, so the hash can fuse it
// into the passes it makes anyway instead of spending a separate pass over every block.

import { ParleyError } from '../../shared/errors.js';

const BLOCK_BYTES = 16;
export const AES_KEY_BYTES = 16;
const ZERO_IV = new Uint8Array(BLOCK_BYTES);

function checkKey(key: Uint8Array): void {
  if (key.length !== AES_KEY_BYTES)
    throw new ParleyError('ERR_INTERNAL', `expected a ${AES_KEY_BYTES}-byte AES key, got ${key.length} bytes`);
}

/** A fixed-key (public-key) block permutation π(x) = AES-128⁻¹_K(x), applied to many blocks. */
export class FixedKeyAes {
  private constructor(private readonly key: CryptoKey) {}

  static async create(key: Uint8Array): Promise<FixedKeyAes> {
    checkKey(key);
    const k = await crypto.subtle.importKey('raw', key as BufferSource, 'AES-CBC', false, ['encrypt', 'decrypt']);
    return new FixedKeyAes(k);
  }

  /** π of every 16-byte block of `blocks`, in a new array of the same length. */
  async permute(blocks: Uint8Array): Promise<Uint8Array> {
    if (blocks.length % BLOCK_BYTES !== 0)
      throw new ParleyError('ERR_INTERNAL', `expected whole 16-byte blocks, got ${blocks.length} bytes`);
    if (blocks.length === 0) return new Uint8Array(0);
    const ct = new Uint8Array(blocks.length + 2 * BLOCK_BYTES); // zero block ‖ blocks ‖ room
    ct.set(blocks, BLOCK_BYTES);
    const out = await this.permuteChained(ct);
    unchain(out, ct);
    return out;
  }

  /**
   * The CBC-chained permutation, for callers that fuse the unchaining into their own pass:
   * `buf` is a zero block, then n ≥ 1 blocks X_0..X_{n-1}, then one block of room (overwritten).
   * Returns P (n blocks) with P_i = π(X_i) ⊕ X_{i-1} = π(X_i) ⊕ buf block i, so π(X_i) is
   * P_i ⊕ (buf block i) with X_{-1} = the leading zero block.
   */
  async permuteChained(buf: Uint8Array): Promise<Uint8Array> {
    const n = buf.length / BLOCK_BYTES - 2;
    if (!Number.isInteger(n) || n < 1)
      throw new ParleyError(
        'ERR_INTERNAL',
        `expected a zero block, whole blocks and a spare block, got ${buf.length} bytes`,
      );
    const end = buf.byteOffset + buf.length - BLOCK_BYTES;
    const last = buf.slice(buf.length - 2 * BLOCK_BYTES, buf.length - BLOCK_BYTES);
    const padBlock = await crypto.subtle.encrypt(
      { name: 'AES-CBC', iv: last as BufferSource },
      this.key,
      new Uint8Array(0),
    );
    new Uint8Array(buf.buffer, end, BLOCK_BYTES).set(new Uint8Array(padBlock));
    const ct = buf.subarray(BLOCK_BYTES);
    const out = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-CBC', iv: ZERO_IV }, this.key, ct as BufferSource),
    );
    if (out.length !== n * BLOCK_BYTES)
      throw new ParleyError('ERR_INTERNAL', 'AES-CBC decryption returned an unexpected length');
    return out;
  }
}

/** Undoes CBC chaining: out_i ^= X_{i-1}, which is block i of `buf` (zero block first). */
function unchain(out: Uint8Array, buf: Uint8Array): void {
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length / 4);
  const c = new Uint32Array(buf.buffer, buf.byteOffset, o.length);
  for (let i = 4; i < o.length; i++) o[i] = o[i]! ^ c[i]!;
}
