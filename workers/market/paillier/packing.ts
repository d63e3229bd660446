// Packing k small non-negative results into one plaintext, slot i at bits [i*s, (i+1)*s), so one
// blinded decryption returns them all; also homomorphically, prod c_i^(2^(i*s)) by Horner.

import { ParleyError } from '../../../shared/errors.js';
import { bitLength } from './bigint.js';
import { assertCiphertext } from './homomorphic.js';
import type { PublicKey } from './keys.js';
import { powTwoPower } from './modpow.js';

/** How many s-bit slots fit: count * s must stay below bits(n) - 1. */
export function packCapacity(pk: PublicKey, slotBits: number): number {
  checkSlotBits(slotBits);
  return Math.floor((pk.bits - 2) / slotBits);
}

/** sum values[i] * 2^(i*slotBits); each value in [0, 2^slotBits); with pk, the count must fit. */
export function pack(values: readonly bigint[], slotBits: number, pk?: PublicKey): bigint {
  checkFits(values.length, slotBits, pk);
  const s = BigInt(slotBits);
  const limit = 1n << s;
  let acc = 0n;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i]!;
    if (typeof v !== 'bigint' || v < 0n || v >= limit) {
      throw new ParleyError('ERR_OUT_OF_RANGE', `slot ${i} must lie in [0, 2^${slotBits})`);
    }
    acc = (acc << s) | v;
  }
  return acc;
}

/** The `count` slots of m; refuses m < 0 or m >= 2^(count*slotBits) (an overflowing slot). */
export function unpack(m: bigint, slotBits: number, count: number, pk?: PublicKey): bigint[] {
  checkFits(count, slotBits, pk);
  if (m < 0n || bitLength(m) > count * slotBits) {
    throw new ParleyError('ERR_OUT_OF_RANGE', `packed value must lie in [0, 2^${count * slotBits})`);
  }
  const s = BigInt(slotBits);
  const mask = (1n << s) - 1n;
  const out = new Array<bigint>(count);
  for (let i = 0; i < count; i++, m >>= s) out[i] = m & mask;
  return out;
}

/**
 * Enc(pack(m_0 .. m_(k-1))) from Enc(m_i): correct when every m_i lies in [0, 2^slotBits) (the
 * caller's bound; a wider slot spills into the next). The empty list gives 1 = Enc(0; 1).
 */
export function packCiphertexts(pk: PublicKey, cs: readonly bigint[], slotBits: number): bigint {
  checkFits(cs.length, slotBits, pk);
  for (const c of cs) assertCiphertext(pk, c);
  if (cs.length === 0) return 1n;
  let acc = cs[cs.length - 1]!;
  for (let i = cs.length - 2; i >= 0; i--) acc = (powTwoPower(acc, slotBits, pk.n2) * cs[i]!) % pk.n2;
  return acc;
}

function checkSlotBits(slotBits: number): void {
  if (!Number.isInteger(slotBits) || slotBits < 1 || slotBits > 8192) {
    throw new ParleyError('ERR_OUT_OF_RANGE', `expected a slot width of 1-8192 bits, got ${slotBits}`);
  }
}

function checkFits(count: number, slotBits: number, pk?: PublicKey): void {
  checkSlotBits(slotBits);
  if (!Number.isInteger(count) || count < 0)
    throw new ParleyError('ERR_BAD_INPUT', `expected a slot count, got ${count}`);
  if (pk && count * slotBits >= pk.bits - 1) {
    throw new ParleyError('ERR_OUT_OF_RANGE', `${count} slots of ${slotBits} bits do not fit below 2^${pk.bits - 2}`);
  }
}
