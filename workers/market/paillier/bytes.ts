// Ciphertext byte layout on the wire: each ciphertext as exactly ceil(bits(n^2)/8) big-endian
// bytes, concatenated, tagged with the key id; anything under another key is ERR_WRONG_KEY.

import { ParleyError } from '../../../shared/errors.js';
import { bitLength, bytesToBigint, writeBigint } from './bigint.js';
import type { PublicKey } from './keys.js';

export interface TaggedCiphertexts {
  keyId: string;
  bytes: Uint8Array;
}

/** Bytes per ciphertext: ceil(bits(n^2) / 8). */
export function ciphertextBytes(pk: PublicKey): number {
  return Math.ceil(bitLength(pk.n2) / 8);
}

export function ciphertextsToBytes(pk: PublicKey, cs: readonly bigint[]): Uint8Array {
  const width = ciphertextBytes(pk);
  const out = new Uint8Array(cs.length * width);
  cs.forEach((c, i) => {
    if (typeof c !== 'bigint' || c < 1n || c >= pk.n2)
      throw new ParleyError('ERR_PROTOCOL', `ciphertext ${i} is not in [1, n^2)`);
    writeBigint(c, out, i * width, width);
  });
  return out;
}

/** Refuses a length that is not a whole number of ciphertexts, and values 0 or >= n^2. */
export function ciphertextsFromBytes(pk: PublicKey, bytes: Uint8Array): bigint[] {
  const width = ciphertextBytes(pk);
  if (!(bytes instanceof Uint8Array) || bytes.length % width !== 0) {
    throw new ParleyError('ERR_PROTOCOL', `expected a multiple of ${width} bytes, got ${bytes?.length}`);
  }
  const out = new Array<bigint>(bytes.length / width);
  for (let i = 0; i < out.length; i++) {
    const c = bytesToBigint(bytes.subarray(i * width, (i + 1) * width));
    if (c === 0n || c >= pk.n2) throw new ParleyError('ERR_PROTOCOL', `ciphertext ${i} is not in [1, n^2)`);
    out[i] = c;
  }
  return out;
}

/** ERR_WRONG_KEY unless the tag names this key. */
export function checkKey(pk: PublicKey, tagged: { keyId: string }): void {
  if (tagged?.keyId !== pk.keyId) {
    throw new ParleyError('ERR_WRONG_KEY', `ciphertexts are under key ${String(tagged?.keyId)}, expected ${pk.keyId}`);
  }
}

export function toTagged(pk: PublicKey, cs: readonly bigint[]): TaggedCiphertexts {
  return { keyId: pk.keyId, bytes: ciphertextsToBytes(pk, cs) };
}

/** checkKey, then ciphertextsFromBytes. */
export function fromTagged(pk: PublicKey, tagged: TaggedCiphertexts): bigint[] {
  checkKey(pk, tagged);
  return ciphertextsFromBytes(pk, tagged.bytes);
}
