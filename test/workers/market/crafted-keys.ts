// Paillier moduli as a malicious seller would build them (SECURITY_REVIEW #4), and the best proof
// it can make for one: n-th roots computed from its own factorization wherever they exist. The
// crafted modulus of the review is four 32-bit primes p_j times a large prime q with every p_j
// dividing q - 1, so the n-th residues miss a subgroup of index p_1 p_2 p_3 p_4 that the buyer's
// re-randomization cannot cover.

import { toBase64Url } from '../../../shared/random.js';
import {
  bitLength,
  gcd,
  isProbablePrime,
  mod,
  modInverse,
  modPow,
  modulusChallenges,
  type PublicKey,
  type PublicKeyJson,
  publicKeyOf,
  publicKeyToJson,
  randomBits,
  verifyModulus,
} from '../../../workers/market/paillier/index.js';

/** A prime factor of n with its exponent. */
export interface Factor {
  prime: bigint;
  power: number;
}

/** A random prime of exactly `bits` bits. */
export function randomPrime(bits: number): bigint {
  for (;;) {
    const x = randomBits(bits) | (1n << BigInt(bits - 1)) | 1n;
    if (isProbablePrime(x)) return x;
  }
}

/** A prime q = 1 + 2 * m * k of `bits` bits (so m divides q - 1). */
export function primeAbove(m: bigint, bits: number): bigint {
  const kBits = bits - bitLength(2n * m);
  for (;;) {
    const q = 1n + 2n * m * (randomBits(kBits) | (1n << BigInt(kBits - 1)));
    if (isProbablePrime(q)) return q;
  }
}

/** The review's modulus: four 32-bit primes, all dividing q - 1, times q; `bits` in total. */
export function craftedModulus(bits = 2047): { n: bigint; small: bigint[]; factors: Factor[] } {
  const small = new Set<bigint>();
  while (small.size < 4) small.add(randomPrime(32));
  const product = [...small].reduce((a, b) => a * b, 1n);
  let q: bigint;
  do q = primeAbove(product, bits - bitLength(product) + 1);
  while (bitLength(product * q) !== bits);
  const factors = [...small, q].map((prime) => ({ prime, power: 1 }));
  return { n: product * q, small: [...small], factors };
}

export function modulusOf(factors: readonly Factor[]): bigint {
  return factors.reduce((a, f) => a * f.prime ** BigInt(f.power), 1n);
}

/**
 * An n-th root of rho mod n from the factorization, by CRT over the prime powers: in each
 * Z_(r^e)^* (cyclic, order r^(e-1)(r-1)) the part k of the order prime to n is where x -> x^n is
 * a bijection, so sigma = rho^(n^-1 mod k) is a root whenever rho lies in that part, which is
 * every rho when gcd(n, φ(n)) = 1. Otherwise it is the attacker's best guess.
 */
export function rootFromFactors(rho: bigint, factors: readonly Factor[]): bigint {
  const n = modulusOf(factors);
  let sigma = 0n;
  for (const f of factors) {
    const m = f.prime ** BigInt(f.power);
    let k = f.prime ** BigInt(f.power - 1) * (f.prime - 1n);
    for (let g = gcd(k, n); g > 1n; g = gcd(k, n)) k /= g;
    const part = k === 1n ? 1n : modPow(rho, modInverse(n, k), m);
    const rest = n / m;
    sigma = mod(sigma + part * rest * modInverse(rest, m), n);
  }
  return sigma;
}

/** The attacker's proof: its root of every challenge, in the proof's byte layout. */
export function attackerProof(factors: readonly Factor[], context: string): Uint8Array {
  const n = modulusOf(factors);
  const width = Math.ceil(bitLength(n) / 8);
  const challenges = modulusChallenges(n, context);
  const out = new Uint8Array(challenges.length * width);
  challenges.forEach((rho, i) => {
    const hex = rootFromFactors(rho, factors)
      .toString(16)
      .padStart(width * 2, '0');
    for (let j = 0; j < width; j++) out[i * width + j] = parseInt(hex.slice(2 * j, 2 * j + 2), 16);
  });
  return out;
}

/** How many of the proof's challenges for n have an n-th root at all (the attacker can answer only those). */
export function answerableChallenges(factors: readonly Factor[], context: string): number {
  const n = modulusOf(factors);
  return modulusChallenges(n, context).filter((rho) => modPow(rootFromFactors(rho, factors), n, n) === rho).length;
}

/** verifyModulus as a boolean, for the attacker's own sanity checks. */
export function proofHolds(n: bigint, proof: Uint8Array, context: string): boolean {
  try {
    verifyModulus(n, proof, context);
    return true;
  } catch {
    return false;
  }
}

/** The review's crafted listing key as the attacker publishes it: n, a proper-looking h, its best proof. */
export async function craftedListingKey(
  seller: string,
): Promise<{ json: PublicKeyJson; pk: PublicKey; small: bigint[]; q: bigint }> {
  const { n, small, factors } = craftedModulus(2047);
  const n2 = n * n;
  const h = n2 - modPow(0x5eed5n, 2n * n, n2);
  const pk = await publicKeyOf(n, h);
  const json = { ...publicKeyToJson(pk), proof: toBase64Url(attackerProof(factors, seller)) };
  return { json, pk, small, q: factors[4]!.prime };
}
