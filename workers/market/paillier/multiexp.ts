// Pippenger's bucket method for prod_i base_i^(e_i) mod m with non-negative exponents: per
// c-bit window, each base joins the bucket of its digit (one multiplication), and the buckets are
// folded with running products (2 * 2^c multiplications), then c squarings between windows.

import { bitLength } from './bigint.js';

/** Estimated multiplications for `count` exponents of `maxBits` bits with window c. */
function multiExpCost(count: number, maxBits: number, c: number): number {
  const windows = Math.ceil(maxBits / c);
  return windows * (count + 2 * (1 << c)) + (windows - 1) * c;
}

/** The window (1-16 bits) with the lowest estimated cost. */
function pippengerWindow(count: number, maxBits: number): number {
  let best = 1;
  for (let c = 2; c <= 16; c++) if (multiExpCost(count, maxBits, c) < multiExpCost(count, maxBits, best)) best = c;
  return best;
}

/**
 * prod bases[i]^exps[i] mod m (exps >= 0, same length). Calls onWindow(count) after each
 * window. Returns 1 when every exponent is 0 or the input is empty.
 */
export function multiExp(
  bases: readonly bigint[],
  exps: readonly bigint[],
  m: bigint,
  onWindow?: (items: number) => void,
): bigint {
  let maxBits = 0;
  for (const e of exps) maxBits = Math.max(maxBits, bitLength(e));
  if (maxBits === 0) return 1n % m;
  const c = pippengerWindow(bases.length, maxBits);
  const windows = Math.ceil(maxBits / c);
  const mask = BigInt((1 << c) - 1);
  let acc: bigint | undefined;
  for (let w = windows - 1; w >= 0; w--) {
    if (acc !== undefined) for (let k = 0; k < c; k++) acc = (acc * acc) % m;
    const buckets = new Array<bigint | undefined>(1 << c);
    const shift = BigInt(w * c);
    for (let i = 0; i < bases.length; i++) {
      const d = Number((exps[i]! >> shift) & mask);
      if (d === 0) continue;
      const b = buckets[d];
      buckets[d] = b === undefined ? bases[i]! : (b * bases[i]!) % m;
    }
    // sum_d d * B_d as running products: run = B_top * ... * B_d, total = prod of runs
    let run: bigint | undefined;
    let total: bigint | undefined;
    for (let d = (1 << c) - 1; d >= 1; d--) {
      const b = buckets[d];
      if (b !== undefined) run = run === undefined ? b : (run * b) % m;
      if (run !== undefined) total = total === undefined ? run : (total * run) % m;
    }
    if (total !== undefined) acc = acc === undefined ? total : (acc * total) % m;
    onWindow?.(bases.length);
  }
  return acc ?? 1n % m;
}

/** Windows multiExp will use for these exponents (for progress totals). */
export function multiExpWindows(count: number, exps: readonly bigint[]): number {
  let maxBits = 0;
  for (const e of exps) maxBits = Math.max(maxBits, bitLength(e));
  return maxBits === 0 ? 0 : Math.ceil(maxBits / pippengerWindow(count, maxBits));
}
