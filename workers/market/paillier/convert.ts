// Paillier -> additive shares of Z_2^64 (int64) for the SecureNumpy engine. The buyer masks
// each |x| < 2^ell as Enc(x + 2^ell + r), r uniform in [0, 2^(ell+128)), and keeps
// -(2^ell + r) mod 2^64; the holder decrypts y = x + 2^ell + r (no wrap mod n: y < 2^(ell+129))
// and keeps y mod 2^64. y - 2^ell is within statistical distance 2^-128 of uniform, whatever x.

import { ParleyError } from '../../../shared/errors.js';
import { randomBits } from './bigint.js';
import { decryptRaw, encryptWith } from './cipher.js';
import { assertCiphertext } from './homomorphic.js';
import type { PrivateKey, PublicKey } from './keys.js';
import type { RandomnessSource } from './randomness.js';

export const STATISTICAL_BITS = 128;
export const MAX_SHARE_BITS = 62;

/** Buyer: masked ciphertexts for the holder and the buyer's shares. rng supplies Enc randomness. */
export function maskForShares(
  pk: PublicKey,
  cs: readonly bigint[],
  ellBits: number,
  rng: RandomnessSource,
): { masked: bigint[]; shares: BigUint64Array } {
  const fits = Number.isInteger(ellBits) && ellBits >= 1 && ellBits <= MAX_SHARE_BITS;
  if (!fits || ellBits + STATISTICAL_BITS + 2 >= pk.bits) {
    const want = `1-${MAX_SHARE_BITS} bits with ell + 130 below bits(n) = ${pk.bits}`;
    throw new ParleyError('ERR_OUT_OF_RANGE', `ell must be ${want}, got ${ellBits}`);
  }
  const offset = 1n << BigInt(ellBits);
  const masked = new Array<bigint>(cs.length);
  const shares = new BigUint64Array(cs.length);
  for (let i = 0; i < cs.length; i++) {
    assertCiphertext(pk, cs[i]!);
    const mask = offset + randomBits(ellBits + STATISTICAL_BITS);
    masked[i] = (cs[i]! * encryptWith(pk, mask, rng.next())) % pk.n2;
    shares[i] = BigInt.asUintN(64, -mask);
  }
  return { masked, shares };
}

/** Holder: y mod 2^64 per masked ciphertext; y >= 2^(bits(n)-2) means misuse (ERR_PROTOCOL). */
export function sharesFromMasked(sk: PrivateKey, masked: readonly bigint[]): BigUint64Array {
  const limit = 1n << BigInt(sk.publicKey.bits - 2);
  const shares = new BigUint64Array(masked.length);
  for (let i = 0; i < masked.length; i++) {
    const y = decryptRaw(sk, masked[i]!);
    if (y >= limit) throw new ParleyError('ERR_PROTOCOL', `masked value ${i} is out of range (not a masked share)`);
    shares[i] = BigInt.asUintN(64, y);
  }
  return shares;
}
