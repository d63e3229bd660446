// The listing key's validity proof (docs/market.md, "Key validity"): a non-interactive proof that
// a Paillier modulus n has gcd(n, φ(n)) = 1, hence is square-free, and no prime factor below
// α = 2^16. Every buyer checks it before using a seller's key. With such an n, Z_(n^2)^* is
// <1 + n> × (the n-th residues), so the buyer's uniform re-randomization (UniformRandomness)
// leaves the seller the plaintext and nothing else; with a crafted n (small primes dividing
// q − 1, SECURITY_REVIEW #4) the randomness keeps a coset the seller can read the weights from.
//
// Construction: Goldberg, Reyzin, Sagga, Baldimtsi, "Efficient Noninteractive Certification of
// RSA Moduli and Beyond", ASIACRYPT 2019 (ePrint 2018/057), Section 3.2, the protocol for
// L_Paillier-N = { N : gcd(N, φ(N)) = 1 }, made non-interactive with Fiat-Shamir:
//   challenges  SHAKE256(LABEL ‖ u32 len ‖ context ‖ u32 len ‖ n) cut into m blocks of |n| + 16
//               bytes, block i reduced mod n is ρ_i (each within 2^-128 of uniform on Z_n). The
//               context names who publishes the key (the seller), so a proof is bound to one n
//               and one seller;
//   proof       σ_i = ρ_i^(n^-1 mod φ(n)) mod n (by CRT), m big-endian blocks of |n| bytes;
//   verifier    n odd and not prime (Miller-Rabin), no prime factor below α (trial division),
//               each ρ_i coprime to n, 0 < σ_i < n and σ_i^n ≡ ρ_i (mod n).
// Soundness: if gcd(n, φ(n)) ≠ 1, some prime r divides both; r | n, so r > α. Z_n^* holds an
// element of order r (r | φ(n)) that the n-th power map sends to 1, so the map's image (the
// n-th residues, the only ρ with a valid σ) has at most φ(n)/r < n/α elements: a uniform ρ is one
// with probability below 2^-16. With α = 2^16 and m = 8, a cheating prover passes with
// probability below 2^-128 per hash evaluation. Honest-verifier zero-knowledge: when the
// statement holds, x → x^n permutes Z_n^*, so σ_i is uniform and ρ_i = σ_i^n (simulatable).
//
// Why not CGGMP21's Π^mod and Π^fac (Canetti, Gennaro, Goldfeder, Makriyannis, Peled, ePrint
// 2021/060): Π^mod adds that n = pq with p ≡ q ≡ 3 (mod 4), with 80 or more fourth roots (20-32
// KB a listing against 2 KB here, and Blum primes at key generation); Π^fac, that p and q are
// large, needs a ring-Pedersen modulus set up by the verifier, which a listing that any buyer
// reads does not have. Neither property protects the buyer (docs/market.md): a seller that
// weakens its own key exposes only its own table.

import { shake256 } from '@noble/hashes/sha3.js';
import { ParleyError } from '../../../shared/errors.js';
import { bigintToBytes, bitLength, bytesToBigint, gcd, mod, modInverse } from './bigint.js';
import { modPow } from './modpow.js';
import { isProbablePrime, smallPrimeFactor } from './primes.js';

/** m: the number of n-th roots in a proof. */
export const MODULUS_PROOF_ROUNDS = 8;
const LABEL = new TextEncoder().encode('parley/paillier/modulus-proof/v1');
/** Extra challenge bytes per block, so that reducing mod n is within 2^-128 of uniform. */
const SLACK_BYTES = 16;

const bad = (why: string) => new ParleyError('ERR_BAD_KEY', `the key's modulus proof fails: ${why}`);

function byteLength(n: bigint): number {
  return Math.ceil(bitLength(n) / 8);
}

/** The challenges ρ_1..ρ_m in [0, n) for modulus n and context (see the header). */
export function modulusChallenges(n: bigint, context: string): bigint[] {
  const ctx = new TextEncoder().encode(context);
  const nBytes = bigintToBytes(n);
  const input = new Uint8Array(LABEL.length + 4 + ctx.length + 4 + nBytes.length);
  const view = new DataView(input.buffer);
  input.set(LABEL, 0);
  view.setUint32(LABEL.length, ctx.length);
  input.set(ctx, LABEL.length + 4);
  view.setUint32(LABEL.length + 4 + ctx.length, nBytes.length);
  input.set(nBytes, LABEL.length + 8 + ctx.length);
  const block = nBytes.length + SLACK_BYTES;
  const stream = shake256(input, { dkLen: MODULUS_PROOF_ROUNDS * block });
  return Array.from({ length: MODULUS_PROOF_ROUNDS }, (_, i) =>
    mod(bytesToBigint(stream.subarray(i * block, (i + 1) * block)), n),
  );
}

/** The proof for n = pq (p, q distinct primes with gcd(n, φ(n)) = 1) under context. */
export function proveModulus(p: bigint, q: bigint, context: string): Uint8Array {
  const n = p * q;
  const width = byteLength(n);
  const dP = modInverse(n, p - 1n); // n^-1 mod φ(n), reduced mod p - 1 and q - 1
  const dQ = modInverse(n, q - 1n);
  const qInv = modInverse(q, p);
  const out = new Uint8Array(MODULUS_PROOF_ROUNDS * width);
  modulusChallenges(n, context).forEach((rho, i) => {
    if (gcd(rho, n) !== 1n) throw new ParleyError('ERR_BAD_INPUT', 'a challenge shares a factor with n');
    const sP = modPow(rho, dP, p);
    const sQ = modPow(rho, dQ, q);
    const sigma = sQ + q * mod((sP - sQ) * qInv, p);
    out.set(bigintToBytes(sigma, width), i * width);
  });
  return out;
}

/** Checks the proof for n under context; ERR_BAD_KEY (saying what failed) if it does not hold. */
export function verifyModulus(n: bigint, proof: Uint8Array, context: string): void {
  const width = byteLength(n);
  if (!(proof instanceof Uint8Array) || proof.length !== MODULUS_PROOF_ROUNDS * width) {
    throw bad(`expected ${MODULUS_PROOF_ROUNDS} roots of ${width} bytes, got ${proof?.length} bytes`);
  }
  if (n < 3n || (n & 1n) === 0n) throw bad('n must be odd');
  const small = smallPrimeFactor(n);
  if (small !== null) throw bad(`n has the small factor ${small}`);
  if (isProbablePrime(n, 2)) throw bad('n is prime');
  const challenges = modulusChallenges(n, context);
  for (let i = 0; i < MODULUS_PROOF_ROUNDS; i++) {
    const sigma = bytesToBigint(proof.subarray(i * width, (i + 1) * width));
    const rho = challenges[i]!;
    if (sigma === 0n || sigma >= n) throw bad(`root ${i} is not in (0, n)`);
    if (gcd(rho, n) !== 1n) throw bad(`challenge ${i} shares a factor with n`);
    if (modPow(sigma, n, n) !== rho) throw bad(`root ${i} is not an n-th root of its challenge`);
  }
}
