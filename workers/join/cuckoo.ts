// Cuckoo hashing of A's keys into m bins (Pinkas, Schneider, Tkachenko, Yanai, "Efficient
// circuit-based PSI with linear communication", EUROCRYPT 2019, §3: three hash functions,
// ε = 0.27, no stash): each value sits in one of its three candidate bins, at most one per bin.
// m = ⌈1.27·n⌉ + 8 bins (the 8 keeps tiny tables from failing often); the placement is a random
// walk with at most MAX_KICKS evictions per insertion, and a failure is retried under a fresh
// seed (PSTY19 give failure below 2^-40 for ε = 0.27 and large n; a retry reveals only that the
// earlier seeds failed for A's set). B computes the same three candidate bins of its own values
// with A's seed (candidates). Positions come from hashing.ts; values are the keys' 32-byte public
// bin digests (protocol.ts's binDigests), never OPRF outputs: the OPRF is bound to the bin instead.

import { ParleyError } from '../../shared/errors.js';
import { randomBytes } from '../../shared/random.js';
import { positions3 } from './hashing.js';

const MAX_KICKS = 500;
const MAX_SEEDS = 64;
const POINT = 32;

/** The number of bins for n values: ⌈1.27·n⌉ + 8 (a function of n only). */
export function binCount(n: number): number {
  return Math.ceil(1.27 * n) + 8;
}

/** The three candidate bins (they may coincide) of each of the n 32-byte values, 3n in all. */
export function candidates(points: Uint8Array, seed: Uint32Array, m: number): Int32Array {
  const n = points.length / POINT;
  const words = new Uint32Array(points.buffer, points.byteOffset, points.length / 4);
  const out = new Int32Array(3 * n);
  const one = new Int32Array(3);
  for (let i = 0; i < n; i++) {
    positions3(words[8 * i]!, words[8 * i + 1]!, seed, m, false, one);
    out.set(one, 3 * i);
  }
  return out;
}

/** Bin → value index (−1 for an empty bin) under `seed`, or null when the walk gives up. */
export function place(points: Uint8Array, seed: Uint32Array, m: number): Int32Array | null {
  const cand = candidates(points, seed, m);
  const n = cand.length / 3;
  const bins = new Int32Array(m).fill(-1);
  let walk = 0;
  for (let i = 0; i < n; i++) {
    let item = i;
    let from = -1;
    for (let kick = 0; ; kick++) {
      let free = -1;
      for (let h = 0; h < 3; h++) {
        const u = cand[3 * item + h]!;
        if (bins[u] === -1) {
          free = u;
          break;
        }
      }
      if (free >= 0) {
        bins[free] = item;
        break;
      }
      if (kick === MAX_KICKS) return null;
      // Evict from a candidate bin other than the one the item was just evicted from.
      let u = cand[3 * item + (walk++ % 3)]!;
      if (u === from) u = cand[3 * item + (walk++ % 3)]!;
      const out = bins[u]!;
      bins[u] = item;
      item = out;
      from = u;
    }
  }
  return bins;
}

/** A fresh public 128-bit seed (4 words). */
export const randomSeed = (): Uint32Array => new Uint32Array(randomBytes(16).buffer);

/** A's table: a seed under which all n values fit (retried), and bin → value index. */
export function cuckooTable(
  points: Uint8Array,
  m: number = binCount(points.length / POINT),
  nextSeed: () => Uint32Array = randomSeed,
): { seed: Uint32Array; bins: Int32Array } {
  for (let attempt = 0; attempt < MAX_SEEDS; attempt++) {
    const seed = nextSeed();
    const bins = place(points, seed, m);
    if (bins) return { seed, bins };
  }
  throw new ParleyError('ERR_INTERNAL', `cuckoo hashing failed under ${MAX_SEEDS} seeds`);
}
