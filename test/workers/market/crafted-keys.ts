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

/**
 * The review's modulus, pinned: four 32-bit primes, all dividing q - 1, times a prime q; 2047
 * bits. Made once with primeAbove(p_1 p_2 p_3 p_4, 1920) and kept as constants, because a fresh
 * search for q takes from a fraction of a second to many seconds, and tests must not depend on
 * that time. The proof tests check its structure.
 */
const REVIEW_SMALL = [0x8f5fe415n, 0x8269247fn, 0xf82544f5n, 0xd76e33c1n];
const REVIEW_Q = BigInt(
  '0x' +
    '1eaa3937370e91134392805a3bf1ff2487a6440e5bb90bbfda37a93d73dea971ba26fc645c16deaf2f1e6bbd' +
    '56515b33b07baa569f05d883a2ea86a25c02f4997a819ff598db47d6d28e712320db33aa0942bba7be37292b' +
    '9f846519fdd0b05df6031208560ada6f9712114daeed2488c5f0a1a3f27ac30fb530423c7daf2280ca26fff4' +
    'b807ca41195436069e85b1cc38e6e8cd05e02eda300f58bc7d6010e762bc062d8a4f4cbaaecfde1319d25ac2' +
    'bd311418c834e5417baefb621f423a416abe804f0921546b41e18795df7a0d1fe0739e48d1fb775dd72d0d55' +
    '4761b974b6a0dc9ddf4affdb49481cd9d70205c2d',
);

export function craftedModulus(): { n: bigint; small: bigint[]; factors: Factor[] } {
  const small = [...REVIEW_SMALL];
  const factors = [...small, REVIEW_Q].map((prime) => ({ prime, power: 1 }));
  return { n: modulusOf(factors), small, factors };
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
  const { n, small, factors } = craftedModulus();
  const n2 = n * n;
  const h = n2 - modPow(0x5eed5n, 2n * n, n2);
  const pk = await publicKeyOf(n, h);
  const json = { ...publicKeyToJson(pk), proof: toBase64Url(attackerProof(factors, seller)) };
  return { json, pk, small, q: factors[4]!.prime };
}
