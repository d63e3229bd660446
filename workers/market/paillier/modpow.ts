// Modular exponentiation: a sliding-window modPow for one-off exponents, and a fixed-base
// windowed table (base^(d * 2^(w*i)) for every digit d and window i) that turns each later
// exponentiation into one multiplication per w-bit window and no squarings.

import { ParleyError } from '../../../shared/errors.js';
import { bitLength } from './bigint.js';

/** base^exp mod m for exp >= 0, left-to-right sliding window (window size from the exponent). */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (exp < 0n) throw new ParleyError('ERR_OUT_OF_RANGE', 'modPow takes a non-negative exponent');
  if (m === 1n) return 0n;
  base %= m;
  if (base < 0n) base += m;
  const bits = exp.toString(2);
  const w = bits.length > 512 ? 6 : bits.length > 128 ? 5 : bits.length > 24 ? 4 : 1;
  // odd powers base^1, base^3, ..., base^(2^w - 1)
  const odd: bigint[] = [base];
  const sq = (base * base) % m;
  for (let i = 1; i < 1 << (w - 1); i++) odd.push((odd[i - 1]! * sq) % m);
  let acc = 1n;
  let started = false;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      if (started) acc = (acc * acc) % m;
      i++;
      continue;
    }
    // longest window of <= w bits starting at i and ending in a 1
    let j = Math.min(i + w, bits.length);
    while (bits[j - 1] === '0') j--;
    const digit = parseInt(bits.slice(i, j), 2);
    if (started) for (let k = i; k < j; k++) acc = (acc * acc) % m;
    acc = started ? (acc * odd[digit >> 1]!) % m : odd[digit >> 1]!;
    started = true;
    i = j;
  }
  return started ? acc : 1n;
}

/** base^(2^k) mod m by k squarings. */
export function powTwoPower(base: bigint, k: number, m: bigint): bigint {
  let x = base % m;
  for (let i = 0; i < k; i++) x = (x * x) % m;
  return x;
}

/**
 * Fixed-base exponentiation for exponents below 2^exponentBits: the table holds
 * base^(d * 2^(w*i)) for d in [1, 2^w) and i < ceil(exponentBits / w), i.e. windows * (2^w - 1)
 * residues built with as many multiplications; pow() then costs at most `windows` multiplications.
 */
export class FixedBaseTable {
  readonly windows: number;
  private readonly table: bigint[];
  private readonly digitsPerWindow: number;

  constructor(
    base: bigint,
    readonly modulus: bigint,
    readonly exponentBits: number,
    readonly window: number,
  ) {
    if (!Number.isInteger(window) || window < 1 || window > 12) {
      throw new ParleyError('ERR_BAD_INPUT', `expected a window of 1-12 bits, got ${window}`);
    }
    this.windows = Math.ceil(exponentBits / window);
    this.digitsPerWindow = (1 << window) - 1;
    this.table = new Array<bigint>(this.windows * this.digitsPerWindow);
    let start = ((base % modulus) + modulus) % modulus; // base^(2^(w*i))
    for (let i = 0; i < this.windows; i++) {
      const row = i * this.digitsPerWindow;
      this.table[row] = start;
      for (let d = 1; d < this.digitsPerWindow; d++) {
        this.table[row + d] = (this.table[row + d - 1]! * start) % modulus;
      }
      start = (this.table[row + this.digitsPerWindow - 1]! * start) % modulus;
    }
  }

  /** base^exp mod modulus for 0 <= exp < 2^exponentBits. */
  pow(exp: bigint): bigint {
    if (exp < 0n || bitLength(exp) > this.exponentBits) {
      throw new ParleyError('ERR_OUT_OF_RANGE', `exponent must be below 2^${this.exponentBits}`);
    }
    const binary = exp.toString(2);
    let acc: bigint | undefined;
    const w = this.window;
    for (let i = 0, end = binary.length; end > 0; i++, end -= w) {
      const digit = parseInt(binary.slice(Math.max(0, end - w), end), 2);
      if (digit === 0) continue;
      const entry = this.table[i * this.digitsPerWindow + digit - 1]!;
      acc = acc === undefined ? entry : (acc * entry) % this.modulus;
    }
    return acc ?? 1n % this.modulus;
  }
}
