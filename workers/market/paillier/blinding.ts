// Blinding a result before the key holder decrypts it: c' = c * Enc(r) with r uniform mod n, so
// the holder's plaintext m + r mod n is uniform whatever m is; the buyer subtracts r afterwards.

import { ParleyError } from '../../../shared/errors.js';
import { mod, randomBelow } from './bigint.js';
import { encryptWith } from './cipher.js';
import { decodeSigned } from './encoding.js';
import { assertCiphertext } from './homomorphic.js';
import type { PublicKey } from './keys.js';
import type { RandomnessSource } from './randomness.js';

/** { blinded: c * Enc(r; rng.next()), r } with r uniform in [0, n) (rejection sampling). */
export function blind(pk: PublicKey, c: bigint, rng: RandomnessSource): { blinded: bigint; r: bigint } {
  assertCiphertext(pk, c);
  const r = randomBelow(pk.n);
  return { blinded: (c * encryptWith(pk, r, rng.next())) % pk.n2, r };
}

/** The signed result from the holder's decryptRaw z of the blinded ciphertext: z - r mod n. */
export function unblind(pk: PublicKey, z: bigint, r: bigint): bigint {
  if (typeof z !== 'bigint' || z < 0n || z >= pk.n)
    throw new ParleyError('ERR_PROTOCOL', 'decrypted value must lie in [0, n)');
  return decodeSigned(mod(z - r, pk.n), pk);
}
