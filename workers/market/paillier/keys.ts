// Paillier key pairs (g = n + 1): generation from WebCrypto's RSA primes, construction from
// known primes, the CRT constants decryption and the holder's randomness use, and the key id.
// Generation is WebCrypto's RSA key generation plus h and the CRT constants, several times faster
// than a prime search in BigInt.

import { ParleyError } from '../../../shared/errors.js';
import { fromBase64Url } from '../../../shared/random.js';
import { bigintToBytes, bitLength, bytesToBigint, gcd, modInverse, randomBelow } from './bigint.js';
import { modPow } from './modpow.js';
import { holderBase, isProbablePrime } from './primes.js';

export interface PublicKey {
  n: bigint;
  n2: bigint;
  /** DJN base for public randomness: -(x^(2n)) mod n^2. */
  h: bigint;
  bits: number;
  /** Hex of the first 16 bytes of SHA-256 over n's big-endian bytes. */
  keyId: string;
}

export interface PrivateKey {
  publicKey: PublicKey;
  p: bigint;
  q: bigint;
  p2: bigint;
  q2: bigint;
  /** lcm(p - 1, q - 1). */
  lambda: bigint;
  /** (-q)^-1 mod p and (-p)^-1 mod q: L_p(c^(p-1) mod p^2) * decP = m mod p. */
  decP: bigint;
  decQ: bigint;
  /** q^-1 mod p (plaintext CRT) and q^-2 mod p^2 (ciphertext-group CRT). */
  qInvModP: bigint;
  q2InvModP2: bigint;
  /** Fixed bases of the n-th-residue subgroups mod p^2 and q^2 (see primes.ts holderBase). */
  holderBaseP: bigint;
  holderBaseQ: bigint;
}

/** Key id: hex of the first 16 bytes of SHA-256 over n's minimal big-endian bytes. */
async function keyIdOf(n: bigint): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bigintToBytes(n) as BufferSource));
  return Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The public key for modulus n and DJN base h (keyId computed here). */
export async function publicKeyOf(n: bigint, h: bigint): Promise<PublicKey> {
  return { n, n2: n * n, h, bits: bitLength(n), keyId: await keyIdOf(n) };
}

/** A fresh key pair; p and q come from WebCrypto RSA key generation (exported JWK). */
export async function generateKeys(bits = 2048): Promise<PrivateKey> {
  if (!Number.isInteger(bits) || bits < 1024 || bits > 8192 || bits % 8 !== 0) {
    throw new ParleyError('ERR_BAD_INPUT', `expected a modulus size of 1024-8192 bits (multiple of 8), got ${bits}`);
  }
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  if (!jwk.p || !jwk.q) throw new ParleyError('ERR_PROTOCOL', 'WebCrypto did not export the RSA primes');
  const p = bytesToBigint(fromBase64Url(jwk.p));
  const q = bytesToBigint(fromBase64Url(jwk.q));
  const n = p * q;
  let x: bigint;
  do x = randomBelow(n);
  while (x % p === 0n || x % q === 0n);
  const n2 = n * n;
  return buildPrivateKey(p, q, (n2 - modPow(x, 2n * n, n2)) % n2, false);
}

/** A key pair from known primes (tests, stored keys); h derived from n by hashing if not given. */
export async function privateKeyFromPrimes(p: bigint, q: bigint, h?: bigint): Promise<PrivateKey> {
  return buildPrivateKey(p, q, h ?? (await deterministicH(p * q)), true);
}

async function buildPrivateKey(p: bigint, q: bigint, h: bigint, checkPrimes: boolean): Promise<PrivateKey> {
  if (p < q) [p, q] = [q, p];
  if (q < 3n || p === q) throw new ParleyError('ERR_BAD_INPUT', 'expected two distinct odd primes');
  if (checkPrimes && !(isProbablePrime(p) && isProbablePrime(q))) {
    throw new ParleyError('ERR_BAD_INPUT', 'p and q must be prime');
  }
  // for primes, gcd(pq, (p-1)(q-1)) = 1 iff p does not divide q-1 and q does not divide p-1
  if ((p - 1n) % q === 0n || (q - 1n) % p === 0n) {
    throw new ParleyError('ERR_BAD_INPUT', 'gcd(n, (p-1)(q-1)) must be 1');
  }
  const n = p * q;
  const p2 = p * p;
  const q2 = q * q;
  if (h <= 1n || h >= n * n || modPow(h, p - 1n, p2) !== 1n || modPow(h, q - 1n, q2) !== 1n) {
    throw new ParleyError('ERR_BAD_INPUT', 'h must be an n-th residue mod n^2 other than 1');
  }
  return {
    publicKey: await publicKeyOf(n, h),
    p,
    q,
    p2,
    q2,
    lambda: ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n),
    decP: modInverse(p - (q % p), p),
    decQ: modInverse(q - (p % q), q),
    qInvModP: modInverse(q, p),
    q2InvModP2: modInverse(q2, p2),
    holderBaseP: holderBase(p),
    holderBaseQ: holderBase(q),
  };
}

/** h = -(x^(2n)) mod n^2 with x from SHA-256("parley/paillier/h" || n || counter) blocks. */
async function deterministicH(n: bigint): Promise<bigint> {
  const nBytes = bigintToBytes(n);
  const label = new TextEncoder().encode('parley/paillier/h');
  const blocks = Math.ceil(nBytes.length / 32) + 2;
  for (let attempt = 0; ; attempt++) {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < blocks; i++) {
      const input = new Uint8Array([...label, ...nBytes, attempt & 0xff, i & 0xff]);
      parts.push(new Uint8Array(await crypto.subtle.digest('SHA-256', input)));
    }
    const x = bytesToBigint(new Uint8Array(parts.flatMap((b) => [...b]))) % n;
    if (x > 1n && gcd(x, n) === 1n) {
      const n2 = n * n;
      return (n2 - modPow(x, 2n * n, n2)) % n2;
    }
  }
}
