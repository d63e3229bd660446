// Signed integers as Paillier plaintexts: v is stored as v mod n and read back as the
// representative in (-n/2, n/2]; values with |v| >= n/2 are refused rather than wrapped.

import { ParleyError } from '../../../shared/errors.js';
import type { PublicKey } from './keys.js';

/** v mod n for |v| < n/2; ERR_OUT_OF_RANGE otherwise. */
export function encodeSigned(v: bigint, pk: PublicKey): bigint {
  if (typeof v !== 'bigint') throw new ParleyError('ERR_BAD_INPUT', `expected a bigint, got ${typeof v}`);
  const twice = v < 0n ? -2n * v : 2n * v;
  if (twice >= pk.n) throw new ParleyError('ERR_OUT_OF_RANGE', `|value| must be below n/2 (${pk.bits - 1} bits)`);
  return v < 0n ? v + pk.n : v;
}

/** The representative of m (mod n) in (-n/2, n/2]. */
export function decodeSigned(m: bigint, pk: PublicKey): bigint {
  let r = m % pk.n;
  if (r < 0n) r += pk.n;
  return 2n * r > pk.n ? r - pk.n : r;
}
