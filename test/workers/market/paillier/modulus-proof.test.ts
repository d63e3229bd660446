// The listing key's modulus proof (GRSB 2018/057 §3.2 with Fiat-Shamir): the challenge
// derivation against an independent SHAKE256, a fixed key's proof as a known answer, honest keys
// verifying and tampered proofs failing (properties), and the moduli a malicious seller would
// publish, each with the best proof it can make from its own factors, refused with ERR_BAD_KEY.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../../shared/errors.js';
import {
  bigintToBytes,
  bytesToBigint,
  gcd,
  isProbablePrime,
  MODULUS_PROOF_ROUNDS,
  modPow,
  modulusChallenges,
  proveModulus,
  verifyModulus,
} from '../../../../workers/market/paillier/index.js';
import {
  answerableChallenges,
  attackerProof,
  craftedModulus,
  type Factor,
  modulusOf,
  primeAbove,
  proofHolds,
  randomPrime,
  rootFromFactors,
} from '../crafted-keys.js';
import { P256, Q256 } from '../keys.js';

const N256 = P256 * Q256;
/** SHA-256 of the proof for (P256, Q256) under 'sam', first 8 bytes (pinned from this implementation). */
const KNOWN_PROOF_SHA256_PREFIX = 'c22b717603cb479c';

function expectBadKey(f: () => unknown, why: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ParleyError);
  expect((caught as ParleyError).code).toBe('ERR_BAD_KEY');
  expect((caught as ParleyError).message).toMatch(why);
}

/** The challenges as the header specifies them, from node:crypto instead of @noble/hashes. */
function referenceChallenges(n: bigint, context: string): bigint[] {
  const u32 = (x: number) => Buffer.from([x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
  const nBytes = Buffer.from(bigintToBytes(n));
  const ctx = Buffer.from(context, 'utf8');
  const block = nBytes.length + 16;
  const stream = createHash('shake256', { outputLength: MODULUS_PROOF_ROUNDS * block })
    .update(
      Buffer.concat([
        Buffer.from('parley/paillier/modulus-proof/v1'),
        u32(ctx.length),
        ctx,
        u32(nBytes.length),
        nBytes,
      ]),
    )
    .digest();
  return Array.from(
    { length: MODULUS_PROOF_ROUNDS },
    (_, i) => bytesToBigint(stream.subarray(i * block, (i + 1) * block)) % n,
  );
}

describe('modulus proof: known answers', () => {
  it('derives the challenges as specified (checked against node:crypto SHAKE256)', () => {
    expect(modulusChallenges(N256, 'sam')).toEqual(referenceChallenges(N256, 'sam'));
    expect(modulusChallenges(N256, 'sam')).not.toEqual(modulusChallenges(N256, 'sam2'));
  });

  it('a fixed 512-bit key proves with 8 roots of 64 bytes, each an n-th root of its challenge, and verifies', () => {
    const proof = proveModulus(P256, Q256, 'sam');
    expect(proof.length).toBe(8 * 64);
    const roots = Array.from({ length: 8 }, (_, i) => bytesToBigint(proof.subarray(i * 64, (i + 1) * 64)));
    const challenges = referenceChallenges(N256, 'sam');
    roots.forEach((s, i) => expect(modPow(s, N256, N256)).toBe(challenges[i]));
    // The roots are unique (x -> x^n permutes Z_n^*), so the proof is deterministic: a fixed vector.
    expect(createHash('sha256').update(proof).digest('hex').slice(0, 16)).toBe(KNOWN_PROOF_SHA256_PREFIX);
    expect(() => verifyModulus(N256, proof, 'sam')).not.toThrow();
    expect(proveModulus(Q256, P256, 'sam')).toEqual(proof);
  });
});

describe('modulus proof: properties (512-bit keys)', () => {
  let keys: { p: bigint; q: bigint }[];
  beforeAll(() => {
    keys = Array.from({ length: 3 }, () => ({ p: randomPrime(256), q: randomPrime(256) }));
  });

  it('an honest key verifies for any seller name, and only for that name', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.string({ maxLength: 32 }), (k, seller) => {
        const { p, q } = keys[k]!;
        const proof = proveModulus(p, q, seller);
        expect(proofHolds(p * q, proof, seller)).toBe(true);
        expect(proofHolds(p * q, proof, `${seller}.`)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });

  it('a proof with any byte changed fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 8 * 64 - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (k, at, delta) => {
          const { p, q } = keys[k]!;
          const proof = proveModulus(p, q, 'sam');
          proof[at] = (proof[at]! + delta) & 255;
          expect(proofHolds(p * q, proof, 'sam')).toBe(false);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('modulus proof: what a malicious seller publishes is refused (ERR_BAD_KEY)', () => {
  const seller = 'mallory';

  it("the review's modulus (four 32-bit primes dividing q - 1, times q; 2047 bits)", () => {
    const { n, small, factors } = craftedModulus();
    expect(n.toString(2).length).toBe(2047);
    for (const p of small) {
      expect(p.toString(2).length).toBe(32);
      expect(isProbablePrime(p)).toBe(true);
      expect((factors[4]!.prime - 1n) % p).toBe(0n);
    }
    expect(isProbablePrime(factors[4]!.prime)).toBe(true);
    // The attacker's root-finder is sound: it answers any challenge that is an n-th residue ...
    const x = 0x1234567n;
    expect(modPow(rootFromFactors(modPow(x, n, n), factors), n, n)).toBe(modPow(x, n, n));
    // ... but the index of the residues is p_1 p_2 p_3 p_4 (~2^128): no challenge has a root.
    expect(answerableChallenges(factors, seller)).toBe(0);
    expectBadKey(() => verifyModulus(n, attackerProof(factors, seller), seller), /not an n-th root/);
  }, 120_000);

  it('large-p variant: n = p q with a 512-bit p dividing q - 1 (no small factor for trial division to find)', () => {
    const p = randomPrime(512);
    const factors: Factor[] = [p, primeAbove(p, 1536)].map((prime) => ({ prime, power: 1 }));
    const n = modulusOf(factors);
    expectBadKey(() => verifyModulus(n, attackerProof(factors, seller), seller), /not an n-th root/);
  }, 60_000);

  it('a square factor: n = p^2 q', () => {
    const factors: Factor[] = [
      { prime: randomPrime(341), power: 2 },
      { prime: randomPrime(342), power: 1 },
    ];
    const n = modulusOf(factors);
    expect(answerableChallenges(factors, seller)).toBe(0);
    expectBadKey(() => verifyModulus(n, attackerProof(factors, seller), seller), /not an n-th root/);
  });

  it('three primes where r divides p - 1: n = p q r', () => {
    const r = randomPrime(128);
    const factors: Factor[] = [primeAbove(r, 512), randomPrime(512), r].map((prime) => ({ prime, power: 1 }));
    const n = modulusOf(factors);
    expectBadKey(() => verifyModulus(n, attackerProof(factors, seller), seller), /not an n-th root/);
  });

  it('a small factor even with gcd(n, φ(n)) = 1, where every root is right: n = 65521 q', () => {
    let q: bigint;
    do q = randomPrime(1008);
    while ((q - 1n) % 65521n === 0n);
    const factors: Factor[] = [65521n, q].map((prime) => ({ prime, power: 1 }));
    const n = modulusOf(factors);
    expect(gcd(n, 65520n * (q - 1n))).toBe(1n);
    expect(answerableChallenges(factors, seller)).toBe(MODULUS_PROOF_ROUNDS);
    expectBadKey(() => verifyModulus(n, attackerProof(factors, seller), seller), /small factor 65521/);
  });

  it('a prime n, where every root is right', () => {
    const n = randomPrime(1024);
    const factors: Factor[] = [{ prime: n, power: 1 }];
    expect(answerableChallenges(factors, seller)).toBe(MODULUS_PROOF_ROUNDS);
    expectBadKey(() => verifyModulus(n, attackerProof(factors, seller), seller), /n is prime/);
  });

  it("an honest key's proof on another n, or under another seller's name", () => {
    const proof = proveModulus(P256, Q256, 'alice');
    const other = randomPrime(256) * randomPrime(256);
    expectBadKey(() => verifyModulus(other, proof, 'alice'), /expected 8 roots|not an n-th root|not in/);
    expectBadKey(() => verifyModulus(N256, proof, seller), /not an n-th root/);
  });

  it('a truncated, padded, zero or unreduced proof', () => {
    const proof = proveModulus(P256, Q256, seller);
    expectBadKey(
      () => verifyModulus(N256, proof.subarray(0, proof.length - 1), seller),
      /expected 8 roots of 64 bytes/,
    );
    expectBadKey(() => verifyModulus(N256, proof.subarray(0, 7 * 64), seller), /expected 8 roots/);
    expectBadKey(() => verifyModulus(N256, new Uint8Array([...proof, 0]), seller), /expected 8 roots/);
    expectBadKey(() => verifyModulus(N256, new Uint8Array(proof.length), seller), /root 0 is not in/);
    const unreduced = proof.slice();
    unreduced.set(bigintToBytes(bytesToBigint(proof.subarray(0, 64)) + N256, 64), 0);
    expectBadKey(() => verifyModulus(N256, unreduced, seller), /root 0 is not in/);
  });
});
