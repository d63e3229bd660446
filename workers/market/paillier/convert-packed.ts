// Share conversion with packing: the buyer packs k masked values into one ciphertext (Horner,
// s squarings per value) and re-randomizes each pack once, so the holder decrypts one
// ciphertext per k values instead of one per value (k = 11 for ell = 48 at 2048 bits). Each
// slot holds y_i = x_i + 2^ell + r_i < 2^(ell+129) with its own r_i uniform in
// [0, 2^(ell+128)): the same statistical hiding per value as convert.ts.

import { ParleyError } from '../../../shared/errors.js';
import { randomBits } from './bigint.js';
import { decryptRaw, encryptWith } from './cipher.js';
import { MAX_SHARE_BITS, STATISTICAL_BITS } from './convert.js';
import { assertCiphertext } from './homomorphic.js';
import type { PrivateKey, PublicKey } from './keys.js';
import { powTwoPower } from './modpow.js';
import { packCapacity, unpack } from './packing.js';
import type { RandomnessSource } from './randomness.js';

/** Slot width and values per ciphertext for masks of ell-bit values. */
export function conversionLayout(pk: PublicKey, ellBits: number): { slotBits: number; slots: number } {
  if (!Number.isInteger(ellBits) || ellBits < 1 || ellBits > MAX_SHARE_BITS) {
    throw new ParleyError('ERR_OUT_OF_RANGE', `ell must be 1-${MAX_SHARE_BITS} bits, got ${ellBits}`);
  }
  const slotBits = ellBits + STATISTICAL_BITS + 1;
  const slots = packCapacity(pk, slotBits);
  if (slots < 1) throw new ParleyError('ERR_OUT_OF_RANGE', `a ${pk.bits}-bit key cannot hold one ${slotBits}-bit mask`);
  return { slotBits, slots };
}

/** Buyer: packed masked ciphertexts for the holder, and the buyer's shares (one per value). */
export function maskForSharesPacked(
  pk: PublicKey,
  cs: readonly bigint[],
  ellBits: number,
  rng: RandomnessSource,
): { masked: bigint[]; shares: BigUint64Array } {
  const { slotBits, slots } = conversionLayout(pk, ellBits);
  const offset = 1n << BigInt(ellBits);
  const s = BigInt(slotBits);
  const shares = new BigUint64Array(cs.length);
  const masked: bigint[] = [];
  for (let start = 0; start < cs.length; start += slots) {
    const end = Math.min(cs.length, start + slots);
    let acc = 1n;
    let masks = 0n;
    for (let i = end - 1; i >= start; i--) {
      assertCiphertext(pk, cs[i]!);
      const mask = offset + randomBits(ellBits + STATISTICAL_BITS);
      shares[i] = BigInt.asUintN(64, -mask);
      acc = i === end - 1 ? cs[i]! : (powTwoPower(acc, slotBits, pk.n2) * cs[i]!) % pk.n2;
      masks = (masks << s) | mask;
    }
    masked.push((acc * encryptWith(pk, masks, rng.next())) % pk.n2);
  }
  return { masked, shares };
}

/** Holder: the shares y_i mod 2^64 of `count` values from their packs; refuses a pack that overflows. */
export function sharesFromMaskedPacked(
  sk: PrivateKey,
  masked: readonly bigint[],
  count: number,
  ellBits: number,
): BigUint64Array {
  const { slotBits, slots } = conversionLayout(sk.publicKey, ellBits);
  if (!Number.isSafeInteger(count) || count < 0 || Math.ceil(count / slots) !== masked.length) {
    throw new ParleyError(
      'ERR_PROTOCOL',
      `${count} values come in ${Math.ceil(count / slots)} packs, not ${masked.length}`,
    );
  }
  const shares = new BigUint64Array(count);
  masked.forEach((c, k) => {
    const n = Math.min(slots, count - k * slots);
    const m = decryptRaw(sk, c);
    let ys: bigint[];
    try {
      ys = unpack(m, slotBits, n);
    } catch {
      throw new ParleyError('ERR_PROTOCOL', `pack ${k} overflows its slots: not masked values of ${ellBits} bits`);
    }
    ys.forEach((y, j) => (shares[k * slots + j] = BigInt.asUintN(64, y)));
  });
  return shares;
}
