// What the key holder sees is independent of the result: blinded plaintexts spread uniformly
// over [0, n), and conversion masks y - 2^ell uniformly over [0, 2^(ell+128)), for results far
// apart. A chi-square on the top 4 bits (15 degrees of freedom, threshold 55: p < 1e-6) and a
// difference of means within 6 standard deviations.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  blind,
  decryptRaw,
  encrypt,
  type HolderRandomness,
  maskForShares,
  modPow,
  type PrivateKey,
  type PublicRandomness,
  privateKeyFromPrimes,
  UniformRandomness,
} from '../../../../workers/market/paillier/index.js';
import { fixedKey } from '../keys.js';

const DRAWS = 400;
const CHI2_LIMIT = 55;

/** Chi-square statistic of `fractions` (in [0, 1)) over 16 equal buckets. */
function chiSquare16(fractions: number[]): number {
  const counts = new Array<number>(16).fill(0);
  for (const f of fractions) counts[Math.min(15, Math.floor(f * 16))]!++;
  const expected = fractions.length / 16;
  return counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
}

/** |mean(a) - mean(b)| in standard deviations of the difference for uniform [0, 1) samples. */
function meanGap(a: number[], b: number[]): number {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(1 / 12 / a.length + 1 / 12 / b.length);
  return Math.abs(mean(a) - mean(b)) / sd;
}

/** x / 2^bits as a float in [0, 1), from the top 52 bits. */
function fraction(x: bigint, bits: number): number {
  return Number(x >> BigInt(Math.max(0, bits - 52))) / 2 ** Math.min(52, bits);
}

let sk: PrivateKey;
let holder: HolderRandomness;
let pub: PublicRandomness;
beforeAll(async () => {
  ({ sk, holder, pub } = await fixedKey());
});

describe('Paillier hiding', () => {
  it('the holder sees uniform values in [0, n) when decrypting blinded results 0 and 2^100', () => {
    const pk = sk.publicKey;
    const view = (m: bigint) =>
      Array.from({ length: DRAWS }, () => {
        const z = decryptRaw(sk, blind(pk, encrypt(pk, m, holder), pub).blinded);
        return fraction((z << 64n) / pk.n, 64);
      });
    const zero = view(0n);
    const big = view(2n ** 100n);
    expect(chiSquare16(zero)).toBeLessThan(CHI2_LIMIT);
    expect(chiSquare16(big)).toBeLessThan(CHI2_LIMIT);
    expect(meanGap(zero, big)).toBeLessThan(6);
    // the statistic has power: a weak blinding (r < 100, as in HEsystem) is flagged at once
    const weak = Array.from({ length: DRAWS }, (_, i) => fraction(((2n ** 100n + BigInt(i % 100)) << 64n) / pk.n, 64));
    expect(chiSquare16(weak)).toBeGreaterThan(CHI2_LIMIT);
  });

  it('conversion masks y - 2^ell look uniform on [0, 2^(ell+128)) for x = 0 and x = 2^(ell-1)', () => {
    const pk = sk.publicKey;
    const ell = 40;
    const view = (x: bigint) => {
      const cs = Array.from({ length: DRAWS }, () => encrypt(pk, x, holder));
      const { masked } = maskForShares(pk, cs, ell, pub);
      return masked.map((c) => fraction(decryptRaw(sk, c) - 2n ** BigInt(ell), ell + 128));
    };
    const zero = view(0n);
    const half = view(2n ** BigInt(ell - 1));
    expect(zero.every((f) => f >= 0 && f < 1.0000001)).toBe(true);
    expect(chiSquare16(zero)).toBeLessThan(CHI2_LIMIT);
    expect(chiSquare16(half)).toBeLessThan(CHI2_LIMIT);
    expect(meanGap(zero, half)).toBeLessThan(6);
  });
});

describe('uniform re-randomization', () => {
  it('covers every n-th residue, while the powers of h form a proper subgroup (why results use it)', async () => {
    const { publicKey: pk } = await privateKeyFromPrimes(11n, 13n);
    const residues = new Set<bigint>();
    for (let r = 1n; r < pk.n; r++) if (r % 11n !== 0n && r % 13n !== 0n) residues.add(modPow(r, pk.n, pk.n2));
    expect(residues.size).toBe(120); // φ(143)
    const powersOfH = new Set<bigint>();
    for (let x = pk.h, i = 0; i < 240; i++, x = (x * pk.h) % pk.n2) powersOfH.add(x);
    expect(powersOfH.size).toBeLessThan(residues.size); // index ≥ gcd(10, 12) = 2: h^α cannot reach them all
    const uniform = new UniformRandomness(pk);
    const seen = new Set<bigint>();
    for (let i = 0; i < 3000; i++) seen.add(uniform.next());
    expect(seen).toEqual(residues);
  });
});
