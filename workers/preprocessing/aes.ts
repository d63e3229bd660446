// AES through WebCrypto (browsers, workers, Node 20) for OT extension: a fixed-key permutation
// on many 16-byte blocks per call, for the correlation-robust hash, and AES-128-CTR keystreams,
// the PRG that stretches each base-OT key into one IKNP column.
//
// WebCrypto has no ECB mode, but CBC *decryption* is parallel: with ciphertext X_0..X_{n-1}
// and IV 0 it outputs P_i = AES⁻¹(X_i) ⊕ X_{i-1}, so XOR-ing X_{i-1} back gives AES⁻¹ of every
// block. One extra final block E_K(X_{n-1} ⊕ 16^16), made by encrypting an empty message with
// IV X_{n-1}, decrypts to a valid PKCS#7 padding block, which WebCrypto checks and strips.
// The permutation is therefore π = AES-128⁻¹ under a public key, as good a random permutation
// as AES-128 itself.

import { ParleyError } from '../../shared/errors.js';

export const BLOCK_BYTES = 16;
export const AES_KEY_BYTES = 16;
const ZERO_IV = new Uint8Array(BLOCK_BYTES);

function checkKey(key: Uint8Array): void {
  if (key.length !== AES_KEY_BYTES) throw new ParleyError('ERR_INTERNAL', `expected a ${AES_KEY_BYTES}-byte AES key, got ${key.length} bytes`);
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
    if (blocks.length % BLOCK_BYTES !== 0) throw new ParleyError('ERR_INTERNAL', `expected whole 16-byte blocks, got ${blocks.length} bytes`);
    if (blocks.length === 0) return new Uint8Array(0);
    const last = blocks.slice(blocks.length - BLOCK_BYTES);
    const padBlock = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: last as BufferSource }, this.key, new Uint8Array(0));
    const ct = new Uint8Array(blocks.length + BLOCK_BYTES);
    ct.set(blocks);
    ct.set(new Uint8Array(padBlock), blocks.length);
    const out = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv: ZERO_IV }, this.key, ct));
    if (out.length !== blocks.length) throw new ParleyError('ERR_INTERNAL', 'AES-CBC decryption returned an unexpected length');
    unchain(out, ct);
    return out;
  }
}

/** Undoes CBC chaining: out_i ^= ct_{i-1} for every block i ≥ 1 (ct_{-1} is the zero IV). */
function unchain(out: Uint8Array, ct: Uint8Array): void {
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length / 4);
  const c = new Uint32Array(ct.buffer, ct.byteOffset, ct.length / 4);
  for (let i = 4; i < o.length; i++) o[i] = o[i]! ^ c[i - 4]!;
}

/** Imports 16-byte seeds as AES-128-CTR keys (non-extractable) for `ctrStream`. */
export async function importCtrKeys(seeds: readonly Uint8Array[]): Promise<CryptoKey[]> {
  return Promise.all(
    seeds.map((s) => {
      checkKey(s);
      return crypto.subtle.importKey('raw', s as BufferSource, 'AES-CTR', false, ['encrypt']);
    }),
  );
}

/**
 * `bytes` of AES-128-CTR keystream (a multiple of 16) under `key` for stream number `stream`:
 * the counter block is stream (64-bit big-endian) ‖ block counter (64 bits, from 0), so
 * different streams of one key never overlap.
 */
export async function ctrStream(key: CryptoKey, stream: number, bytes: number): Promise<Uint32Array> {
  if (!Number.isSafeInteger(stream) || stream < 0 || bytes % BLOCK_BYTES !== 0) {
    throw new ParleyError('ERR_INTERNAL', `bad keystream request (stream ${stream}, ${bytes} bytes)`);
  }
  const counter = new Uint8Array(BLOCK_BYTES);
  new DataView(counter.buffer).setBigUint64(0, BigInt(stream), false);
  const out = await crypto.subtle.encrypt({ name: 'AES-CTR', counter, length: 64 }, key, new Uint8Array(bytes));
  return new Uint32Array(out);
}
