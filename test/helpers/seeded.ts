// Deterministic "random" inputs for preprocessing tests: OT pads from a 64-bit linear
// congruential sequence, and bytes from SHA-256 in counter mode, so failures reproduce.

import { sha256 } from '@noble/hashes/sha2.js';

const MASK = (1n << 64n) - 1n;

/** n 64-bit words of a linear congruential sequence from `seed`. */
export function pads(n: number, seed: bigint): BigUint64Array {
  const out = new BigUint64Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = x = (x * 6364136223846793005n + 1442695040888963407n) & MASK;
  return out;
}

/** A random-bytes function (as the preprocessing code takes one) seeded for reproducible runs. */
export function seededBytes(seed: number): (n: number) => Uint8Array {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32)
      out.set(sha256(new TextEncoder().encode(`${seed}/${counter++}`)).subarray(0, Math.min(32, n - off)), off);
    return out;
  };
}
