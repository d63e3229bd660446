// Cuckoo hashing of OPRF values (workers/join/cuckoo.ts): every value lands in one of the three
// candidate bins B computes with the same seed, one value per bin; a seed under which placement
// fails is retried with a fresh one; a table that cannot fit fails with a coded error.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../shared/random.js';
import { binCount, candidates, cuckooTable, place, randomSeed } from '../../../workers/join/cuckoo.js';

describe('cuckoo hashing', () => {
  it('places every value in one of its candidate bins, one value per bin', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (n) => {
        const points = randomBytes(32 * n);
        const m = binCount(n);
        const { seed, bins } = cuckooTable(points, m);
        expect(bins.length).toBe(m);
        const cand = candidates(points, seed, m);
        const seen = new Set<number>();
        bins.forEach((i, u) => {
          if (i < 0) return;
          expect(seen.has(i)).toBe(false);
          seen.add(i);
          expect([cand[3 * i], cand[3 * i + 1], cand[3 * i + 2]]).toContain(u);
        });
        expect(seen.size).toBe(n);
      }),
      { numRuns: 40 },
    );
  });

  it('has ⌈1.27·n⌉ + 8 bins, a function of n only', () => {
    expect([0, 1, 100, 100_000].map(binCount)).toEqual([8, 10, 135, 127_008]);
  });

  it('retries a seed under which placement fails, and keeps the one that works', () => {
    // 40 values in 41 bins (load 0.98, above the threshold of 0.92): many seeds fail, some work.
    const points = randomBytes(32 * 40);
    let bad: Uint32Array | null = null;
    let good: Uint32Array | null = null;
    for (let k = 0; k < 2000 && !(bad && good); k++) {
      const s = randomSeed();
      if (place(points, s, 41)) good ??= s;
      else bad ??= s;
    }
    expect(bad && good).toBeTruthy();
    const offered = [bad!, good!];
    const { seed } = cuckooTable(points, 41, () => offered.shift()!);
    expect([...seed]).toEqual([...good!]);
    expect(offered).toEqual([]);
  });

  it('fails with ERR_INTERNAL when no seed can work (more values than bins)', () => {
    expect(() => cuckooTable(randomBytes(32 * 10), 9)).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
  });
});
