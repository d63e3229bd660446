// Homomorphic operations on ciphertexts under one public key: add, add a plaintext, multiply by
// a signed scalar, negate, sum and weighted sum (Pippenger). Results are not re-randomized:
// blind (or multiply by a fresh Enc(0)) before anything leaves the party that computed them.
// A weighted sum costs a small fraction of one exponentiation per ciphertext (Pippenger, and it
// grows with the weights' bit length), a sum one multiplication; README "Benchmarks" has figures.

import { ParleyError } from '../../../shared/errors.js';
import { modInverse } from './bigint.js';
import { encodeSigned } from './encoding.js';
import type { PublicKey } from './keys.js';
import { modPow } from './modpow.js';
import { multiExp, multiExpWindows } from './multiexp.js';

/** Refuses anything that is not an integer in [1, n^2) (ERR_PROTOCOL). */
export function assertCiphertext(pk: PublicKey, c: bigint): void {
  if (typeof c !== 'bigint' || c < 1n || c >= pk.n2) {
    throw new ParleyError('ERR_PROTOCOL', 'expected a ciphertext in [1, n^2)');
  }
}

/** Enc(a + b). */
export function add(pk: PublicKey, a: bigint, b: bigint): bigint {
  assertCiphertext(pk, a);
  assertCiphertext(pk, b);
  return (a * b) % pk.n2;
}

/** Enc(m + v) for a signed plaintext v (|v| < n/2). */
export function addPlain(pk: PublicKey, c: bigint, v: bigint): bigint {
  assertCiphertext(pk, c);
  return (c * (1n + encodeSigned(v, pk) * pk.n)) % pk.n2;
}

/** Enc(-m): the inverse of c mod n^2. */
export function negate(pk: PublicKey, c: bigint): bigint {
  assertCiphertext(pk, c);
  return modInverse(c, pk.n2);
}

/** Enc(k m) for a signed k: c^k, or the inverse of c^|k| when k < 0; k = 0 gives 1 = Enc(0; 1). */
export function scalarMul(pk: PublicKey, c: bigint, k: bigint): bigint {
  assertCiphertext(pk, c);
  if (k === 0n) return 1n;
  const power = modPow(c, k < 0n ? -k : k, pk.n2);
  return k < 0n ? modInverse(power, pk.n2) : power;
}

/** Enc(sum m_i); the empty sum is 1 = Enc(0; 1). */
export function sum(pk: PublicKey, cs: readonly bigint[]): bigint {
  let acc = 1n;
  for (const c of cs) {
    assertCiphertext(pk, c);
    acc = (acc * c) % pk.n2;
  }
  return acc;
}

/**
 * Enc(sum w_i m_i) for signed weights: positive and negative weights are two Pippenger
 * multi-exponentiations, combined with one inverse. Empty input or all-zero weights give
 * 1 = Enc(0; 1). onProgress(done, total) counts ciphertext-window steps.
 */
export function weightedSum(
  pk: PublicKey,
  cs: readonly bigint[],
  ws: readonly bigint[],
  onProgress?: (done: number, total: number) => void,
): bigint {
  if (cs.length !== ws.length) {
    throw new ParleyError(
      'ERR_BAD_INPUT',
      `expected as many weights as ciphertexts, got ${ws.length} and ${cs.length}`,
    );
  }
  const posC: bigint[] = [],
    posW: bigint[] = [],
    negC: bigint[] = [],
    negW: bigint[] = [];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!,
      w = ws[i]!;
    assertCiphertext(pk, c);
    if (typeof w !== 'bigint') throw new ParleyError('ERR_BAD_INPUT', 'weights must be bigints');
    if (w > 0n) {
      posC.push(c);
      posW.push(w);
    } else if (w < 0n) {
      negC.push(c);
      negW.push(-w);
    }
  }
  const total = posC.length * multiExpWindows(posC.length, posW) + negC.length * multiExpWindows(negC.length, negW);
  let done = 0;
  const progress = onProgress && ((items: number) => onProgress((done += items), total));
  const pos = multiExp(posC, posW, pk.n2, progress);
  if (negC.length === 0) return pos;
  const neg = multiExp(negC, negW, pk.n2, progress);
  return (pos * modInverse(neg, pk.n2)) % pk.n2;
}
