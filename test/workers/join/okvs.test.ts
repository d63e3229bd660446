// The OKVS (workers/join/okvs.ts): programmed keys decode to their values, keys never programmed
// decode to random words independent of the programmed values, a seed whose hypergraph does not
// peel is retried with a new one, and a table that can never peel fails with a coded error.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomRing } from '../../../shared/random.js';
import { randomSeed } from '../../../workers/join/cuckoo.js';
import { okvsDecode, okvsEncode, okvsSize } from '../../../workers/join/okvs.js';

const popcount = (v: bigint) => v.toString(2).split('1').length - 1;

describe('OKVS', () => {
  it('decodes every programmed key to its value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 4 }), (n, w) => {
        const keys = randomRing(n);
        const values = randomRing(n * w);
        const { seed, table } = okvsEncode(keys, values, w);
        expect(table.length).toBe(okvsSize(n) * w);
        expect([...okvsDecode(table, w, seed, keys)]).toEqual([...values]);
      }),
      { numRuns: 40 },
    );
  });

  it('decodes keys it was not given to random words, whatever the programmed values', () => {
    const n = 3000;
    const keys = randomRing(n);
    const others = randomRing(2000);
    for (const values of [new BigUint64Array(n), new BigUint64Array(n).fill(0xffffffffffffffffn)]) {
      const { seed, table } = okvsEncode(keys, values, 1);
      const out = okvsDecode(table, 1, seed, others);
      // All-zero (or all-one) programmed values: a non-member's words are still balanced random bits.
      const ones = out.reduce((s, v) => s + popcount(v), 0);
      expect(ones / (64 * out.length)).toBeGreaterThan(0.48);
      expect(ones / (64 * out.length)).toBeLessThan(0.52);
      expect(new Set(out).size).toBe(out.length);
    }
  });

  it('retries a seed whose hypergraph does not peel, and keeps the one that does', () => {
    // 40 keys in 48 cells (1.2 per key, below the peeling threshold of 1.222): some seeds fail.
    const keys = randomRing(40);
    const values = randomRing(40);
    const peels = (s: Uint32Array) => {
      try {
        okvsEncode(keys, values, 1, 48, () => s);
        return true;
      } catch {
        return false;
      }
    };
    let bad: Uint32Array | null = null;
    let good: Uint32Array | null = null;
    for (let k = 0; k < 500 && !(bad && good); k++) {
      const s = randomSeed();
      if (peels(s)) good ??= s;
      else bad ??= s;
    }
    expect(bad && good).toBeTruthy();
    const offered = [bad!, good!];
    const { seed, table } = okvsEncode(keys, values, 1, 48, () => offered.shift()!);
    expect([...seed]).toEqual([...good!]);
    expect([...okvsDecode(table, 1, seed, keys)]).toEqual([...values]);
  });

  it('fails with ERR_INTERNAL when no seed can peel (two keys on the same cells)', () => {
    const keys = BigUint64Array.of(7n, 7n, 9n);
    expect(() => okvsEncode(keys, randomRing(3), 1)).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
  });
});
