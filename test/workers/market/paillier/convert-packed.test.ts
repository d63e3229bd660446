// Packed share conversion: shares of every value for any count (partial last pack included),
// one decryption per pack, each slot's view spread uniformly whatever the value, refusals.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conversionLayout,
  decryptRaw,
  encrypt,
  type HolderRandomness,
  maskForSharesPacked,
  type PrivateKey,
  type PublicRandomness,
  sharesFromMaskedPacked,
  unpack,
} from '../../../../workers/market/paillier/index.js';
import { fixedKey } from '../keys.js';

let sk: PrivateKey;
let holder: HolderRandomness;
let pub: PublicRandomness;
beforeAll(async () => {
  ({ sk, holder, pub } = await fixedKey());
});

describe('packed conversion', () => {
  it('gives int64 shares of each x with |x| < 2^ell, in ceil(count / slots) packs', () => {
    const pk = sk.publicKey;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 9 }), fc.integer(), (ell, count, seed) => {
        const bound = 1n << BigInt(ell);
        const xs = Array.from({ length: count }, (_, i) => (BigInt(seed) * 7919n * BigInt(i + 1)) % bound);
        const { masked, shares } = maskForSharesPacked(
          pk,
          xs.map((x) => encrypt(pk, x, holder)),
          ell,
          pub,
        );
        const { slots } = conversionLayout(pk, ell);
        expect(masked).toHaveLength(Math.ceil(count / slots));
        const theirs = sharesFromMaskedPacked(sk, masked, count, ell);
        xs.forEach((x, i) => expect(BigInt.asUintN(64, shares[i]! + theirs[i]!)).toBe(BigInt.asUintN(64, x)));
      }),
      { numRuns: 25 },
    );
  });

  it('each slot the holder sees is x + 2^ell + r with r spread over [0, 2^(ell+128)) whatever x', () => {
    const pk = sk.publicKey;
    const ell = 20;
    const { slotBits, slots } = conversionLayout(pk, ell);
    const topBuckets = (x: bigint) => {
      const counts = new Array<number>(16).fill(0);
      for (let k = 0; k < 40; k++) {
        const { masked } = maskForSharesPacked(
          pk,
          Array.from({ length: slots }, () => encrypt(pk, x, holder)),
          ell,
          pub,
        );
        for (const y of unpack(decryptRaw(sk, masked[0]!), slotBits, slots))
          counts[Number((y - (1n << BigInt(ell))) >> BigInt(ell + 124))]!++;
      }
      return counts;
    };
    for (const x of [0n, (1n << 19n) - 1n]) {
      const counts = topBuckets(x);
      const n = counts.reduce((a, b) => a + b, 0);
      const chi = counts.reduce((a, c) => a + (c - n / 16) ** 2 / (n / 16), 0);
      expect(chi).toBeLessThan(55); // 15 degrees of freedom: p < 1e-6
    }
  });

  it('refuses a wrong pack count, an overflowing pack and an ell out of range', () => {
    const pk = sk.publicKey;
    const { masked } = maskForSharesPacked(pk, [encrypt(pk, 5n, holder), encrypt(pk, 6n, holder)], 8, pub);
    expect(() => sharesFromMaskedPacked(sk, masked, 2 + conversionLayout(pk, 8).slots, 8)).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
    expect(() => sharesFromMaskedPacked(sk, [encrypt(pk, -1n, holder)], 1, 8)).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
    expect(() => conversionLayout(pk, 63)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => conversionLayout(pk, 0)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
  });
});
