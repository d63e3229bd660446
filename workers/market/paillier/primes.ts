// Prime checks for loading keys (Miller-Rabin), trial division below 2^16 (the modulus proof's
// no-small-factor check), and the choice of the key holder's fixed randomness bases: an element
// of the n-th-residue subgroup mod p^2 whose order has the full l-part of p - 1 for every prime
// l < 2^16 dividing p - 1.

import { ParleyError } from '../../../shared/errors.js';
import { bitLength, randomBelow } from './bigint.js';
import { modPow } from './modpow.js';

const SMALL_PRIME_BOUND = 1 << 16;
let smallPrimes: number[] | undefined;

/** The primes below 2^16 (sieve, computed once). */
function primesBelowBound(): number[] {
  if (smallPrimes) return smallPrimes;
  const composite = new Uint8Array(SMALL_PRIME_BOUND);
  const out: number[] = [];
  for (let i = 2; i < SMALL_PRIME_BOUND; i++) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < SMALL_PRIME_BOUND; j += i) composite[j] = 1;
  }
  return (smallPrimes = out);
}

/** The smallest prime below 2^16 that divides n (n > 1), or null if there is none. */
export function smallPrimeFactor(n: bigint): bigint | null {
  for (const sp of primesBelowBound()) {
    const s = BigInt(sp);
    if (n % s === 0n) return s;
  }
  return null;
}

/** Trial division by small primes, then `rounds` Miller-Rabin rounds with random bases. */
export function isProbablePrime(n: bigint, rounds = 16): boolean {
  if (n < 2n) return false;
  for (const sp of primesBelowBound().slice(0, 256)) {
    const s = BigInt(sp);
    if (n === s) return true;
    if (n % s === 0n) return false;
  }
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  witness: for (let i = 0; i < rounds; i++) {
    const a = 2n + randomBelow(n - 3n);
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let j = 1; j < r; j++) {
      x = (x * x) % n;
      if (x === n - 1n) continue witness;
    }
    return false;
  }
  return true;
}

/**
 * The holder's base mod p^2: x^p mod p^2 for the smallest x >= 2 such that
 * x^((p-1)/l) != 1 mod p for every prime l < 2^16 dividing p - 1. x^p lies in the subgroup of
 * order p - 1 mod p^2 (the n-th residues mod p^2) and has the same order as x mod p, so the
 * index of the subgroup it generates has no prime factor below 2^16. Deterministic in p.
 */
export function holderBase(p: bigint): bigint {
  const pm1 = p - 1n;
  const factors: bigint[] = [];
  for (const sp of primesBelowBound()) {
    const s = BigInt(sp);
    if (s >= p) break;
    if (pm1 % s === 0n) factors.push(s);
  }
  const p2 = p * p;
  for (let x = 2n; x < 2n + 10000n && x < p; x++) {
    if (factors.every((l) => modPow(x, pm1 / l, p) !== 1n)) return modPow(x, p, p2);
  }
  throw new ParleyError('ERR_BAD_INPUT', `no base of large order found for a ${bitLength(p)}-bit prime`);
}
