// Encryption randomness (n-th residues mod n^2): the key holder's by CRT from fixed bases with
// full-length exponents, public-key holders' by the DJN short-exponent variant (slower per value
// than the holder's CRT), and a stock that hands each precomputed value out exactly once.

import { ParleyError } from '../../../shared/errors.js';
import { bitLength, gcd, mod, randomBelow, randomBits } from './bigint.js';
import type { PrivateKey, PublicKey } from './keys.js';
import { FixedBaseTable, modPow } from './modpow.js';

export interface RandomnessSource {
  next(): bigint;
}

/**
 * The key holder's randomness. next() returns rho = CRT(h_p^a mod p^2, h_q^b mod q^2) with a
 * uniform in [0, p-1) and b uniform in [0, q-1), independent, from crypto.getRandomValues.
 *
 * Distribution: the n-th residues mod n^2 form C_(p-1) x C_(q-1) (by CRT, the order-(p-1)
 * subgroup mod p^2 times the order-(q-1) subgroup mod q^2). ord(h_p) divides p - 1, so h_p^a is
 * exactly uniform on <h_p>, and rho is exactly uniform on the subgroup <h_p> x <h_q>. Its index
 * in the n-th residues is ((p-1)/ord h_p) * ((q-1)/ord h_q), which has no prime factor below
 * 2^16 (see holderBase); when both bases have full order (typical) this is the same
 * distribution as r^n mod n^2 for r uniform in Z_n^*. Every value is an n-th residue.
 *
 * Cost: two fixed-base tables of ceil(bits(p)/w) * (2^w - 1) residues (w = 8: about 17 MB and
 * 0.4 s to build for a 2048-bit key), then ~2 * bits(p)/w multiplications mod p^2 per value.
 */
export class HolderRandomness implements RandomnessSource {
  private readonly tableP: FixedBaseTable;
  private readonly tableQ: FixedBaseTable;

  constructor(
    private readonly sk: PrivateKey,
    options: { window?: number } = {},
  ) {
    const w = options.window ?? 8;
    this.tableP = new FixedBaseTable(sk.holderBaseP, sk.p2, bitLength(sk.p - 1n), w);
    this.tableQ = new FixedBaseTable(sk.holderBaseQ, sk.q2, bitLength(sk.q - 1n), w);
  }

  next(): bigint {
    const { p, q, p2, q2, q2InvModP2 } = this.sk;
    const rhoP = this.tableP.pow(randomBelow(p - 1n));
    const rhoQ = this.tableQ.pow(randomBelow(q - 1n));
    return rhoQ + q2 * mod((rhoP - rhoQ) * q2InvModP2, p2);
  }
}

const holderCache = new WeakMap<PrivateKey, HolderRandomness>();

/** One HolderRandomness per private key object, built on first use (tables are costly). */
export function holderRandomnessFor(sk: PrivateKey): HolderRandomness {
  let r = holderCache.get(sk);
  if (!r) holderCache.set(sk, (r = new HolderRandomness(sk)));
  return r;
}

/**
 * Randomness for anyone with the public key: rho = h^alpha mod n^2, alpha uniform in
 * [0, 2^(bits/2 + 128)) (Damgard-Jurik-Nielsen). h = -(x^(2n)) is an n-th residue, so rho is
 * too; rho is uniform on the powers h^alpha for such alpha, which under the DJN assumption is
 * indistinguishable from a uniform element of <h> to anyone without the factorization.
 * exponentBits may be raised (e.g. bits + 128) where that matters against the key holder.
 */
export class PublicRandomness implements RandomnessSource {
  private readonly table: FixedBaseTable;
  readonly exponentBits: number;

  constructor(pk: PublicKey, options: { window?: number; exponentBits?: number } = {}) {
    this.exponentBits = options.exponentBits ?? Math.ceil(pk.bits / 2) + 128;
    this.table = new FixedBaseTable(pk.h, pk.n2, this.exponentBits, options.window ?? 7);
  }

  next(): bigint {
    return this.table.pow(randomBits(this.exponentBits));
  }
}

/**
 * Uniform n-th residues for anyone with the public key: rho = r^n mod n^2 with r uniform in
 * Z_n^* (a full-length exponentiation, ~36 ms at 2048 bits). Unlike h^alpha, whose powers form
 * a proper subgroup of the n-th residues (index >= gcd(p-1, q-1) >= 2), this covers all of them,
 * so a ciphertext re-randomized with it carries randomness independent of how it was computed:
 * even the key holder, who can extract randomness, learns nothing about the buyer's weights.
 */
export class UniformRandomness implements RandomnessSource {
  constructor(private readonly pk: PublicKey) {}

  next(): bigint {
    const { n, n2 } = this.pk;
    for (;;) {
      const r = randomBelow(n);
      if (r > 0n && gcd(r, n) === 1n) return modPow(r, n, n2);
    }
  }
}

/** A stock of values precomputed from a source; each is handed out once and then dropped. */
export class RandomnessStock implements RandomnessSource {
  private readonly values: bigint[] = [];

  constructor(private readonly source: RandomnessSource) {}

  /** Precomputes `count` more values. */
  fill(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new ParleyError('ERR_BAD_INPUT', `expected a count, got ${count}`);
    for (let i = 0; i < count; i++) this.values.push(this.source.next());
  }

  /** A precomputed value (removed from the stock), or a fresh one when the stock is empty. */
  take(): bigint {
    return this.values.pop() ?? this.source.next();
  }

  /** Same as take(), so a stock can stand wherever a source is expected. */
  next(): bigint {
    return this.take();
  }

  get size(): number {
    return this.values.length;
  }
}
