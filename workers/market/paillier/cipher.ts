// Paillier encryption with g = n + 1, Enc(m; rho) = (1 + m n) rho mod n^2 (no exponentiation of
// g), and decryption by CRT: m_p = L_p(c^(p-1) mod p^2) * (-q)^-1 mod p, likewise mod q.
// Encrypting with ready randomness is one multiplication, so encryption costs what the randomness
// costs (see randomness.ts); decryption costs two half-size exponentiations.

import { ParleyError } from '../../../shared/errors.js';
import { mod } from './bigint.js';
import { decodeSigned, encodeSigned } from './encoding.js';
import type { PrivateKey, PublicKey } from './keys.js';
import { modPow } from './modpow.js';
import { holderRandomnessFor, type RandomnessSource, RandomnessStock } from './randomness.js';

/** (1 + m n) rho mod n^2 for m already reduced mod n and rho an n-th residue. */
export function encryptWith(pk: PublicKey, m: bigint, rho: bigint): bigint {
  if (m < 0n || m >= pk.n) throw new ParleyError('ERR_OUT_OF_RANGE', 'plaintext must lie in [0, n)');
  return ((1n + m * pk.n) * rho) % pk.n2;
}

/** Encrypts a signed value with randomness from `rng` (a source or a stock). */
export function encrypt(pk: PublicKey, v: bigint, rng: RandomnessSource | RandomnessStock): bigint {
  const rho = rng instanceof RandomnessStock ? rng.take() : rng.next();
  return encryptWith(pk, encodeSigned(v, pk), rho);
}

/** The key holder's bulk path: fresh holder randomness per value (from `stock` if given). */
export function encryptMany(
  sk: PrivateKey,
  values: ArrayLike<bigint> | BigInt64Array,
  stock?: RandomnessStock,
): bigint[] {
  const pk = sk.publicKey;
  const source = stock ?? holderRandomnessFor(sk);
  const out = new Array<bigint>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = encryptWith(pk, encodeSigned(values[i]!, pk), source.next());
  return out;
}

/** The plaintext in [0, n); ERR_PROTOCOL for c outside [1, n^2) or sharing a factor with n. */
export function decryptRaw(sk: PrivateKey, c: bigint): bigint {
  const { p, q, p2, q2 } = sk;
  if (typeof c !== 'bigint' || c < 1n || c >= sk.publicKey.n2) {
    throw new ParleyError('ERR_PROTOCOL', 'ciphertext must lie in [1, n^2)');
  }
  if (c % p === 0n || c % q === 0n) throw new ParleyError('ERR_PROTOCOL', 'ciphertext is not coprime to n');
  const mp = ((((modPow(c % p2, p - 1n, p2) - 1n) / p) % p) * sk.decP) % p;
  const mq = ((((modPow(c % q2, q - 1n, q2) - 1n) / q) % q) * sk.decQ) % q;
  return mq + q * mod((mp - mq) * sk.qInvModP, p);
}

/** The signed plaintext, in (-n/2, n/2]. */
export function decrypt(sk: PrivateKey, c: bigint): bigint {
  return decodeSigned(decryptRaw(sk, c), sk.publicKey);
}
