// The HNWC preset joined on customer id (workers/programs/hnwc-join.ts): its plaintext reference is
// the inner join's aggregates (any row order and overlap, keys normalised as the job says), its
// synthetic data has exactly the overlap asked for, and its text compiles in the sandbox.

import { describe, expect, it } from 'vitest';
import { hnwcJoinData, toKeyedCsv } from '../../../examples/data.js';
import { numbers, runPreset } from '../../../examples/run-preset.js';
import { compileProgram } from '../../../workers/program.js';
import { HNWC_RING, hnwcPlain } from '../../../workers/programs/hnwc.js';
import {
  HNWC_JOIN_COLUMNS,
  HNWC_JOIN_KEY,
  hnwcJoinPlain,
  hnwcJoinProgram,
} from '../../../workers/programs/hnwc-join.js';

describe('hnwcJoinPlain', () => {
  it('is HNWC over the inner join on the key, in any order, keys normalised as the job says', () => {
    const a = {
      keys: ['C1', 'C2', 'C3', 'c4'],
      rows: [
        [5, 9000],
        [1, 9000],
        [5, 9000],
        [5, 9000],
      ],
    };
    const b = {
      keys: [' C3', 'C9', 'C1', 'C4'],
      rows: [
        [6e6, 100],
        [9e6, 1],
        [7e6, 300],
        [8e6, 1000],
      ],
    };
    expect(hnwcJoinPlain(a, b, 'trim')).toEqual({ count: 2, average: 200, matched: 2 });
    expect(hnwcJoinPlain(a, b, 'trim-casefold')).toEqual({ count: 3, average: 1400 / 3, matched: 3 });
    expect(hnwcJoinPlain(a, { keys: [], rows: [] })).toEqual({ count: 0, average: 0, matched: 0 });
  });

  it('agrees with the unjoined HNWC when both bring the same customers in the same order', () => {
    const { a, b } = hnwcJoinData(200, 200, 200);
    const byKey = new Map(b.keys.map((k, i) => [k, b.rows[i]!]));
    const aligned = a.keys.map((k) => byKey.get(k)!);
    const { matched, ...plain } = hnwcJoinPlain(a, b);
    expect(matched).toBe(200);
    expect(plain).toEqual(hnwcPlain(a.rows, aligned));
    expect(plain.count).toBeGreaterThan(20);
  });
});

describe('hnwcJoinData', () => {
  it('has exactly the overlap asked for, distinct keys, and shuffled rows', () => {
    const { a, b } = hnwcJoinData(1000, 800, 300);
    expect(new Set(a.keys).size).toBe(1000);
    expect(new Set(b.keys).size).toBe(800);
    const inA = new Set(a.keys);
    expect(b.keys.filter((k) => inA.has(k))).toHaveLength(300);
    expect(a.keys.slice(0, 3)).not.toEqual(['C0000000', 'C0000001', 'C0000002']);
    const csv = toKeyedCsv(HNWC_JOIN_COLUMNS[0]!, a);
    expect(csv.split('\n')[0]).toBe('customer_id,frequency,purchase');
    expect(csv.split('\n')[1]).toBe(`${a.keys[0]},${a.rows[0]!.join(',')}`);
  });
});

describe('hnwcJoinProgram', () => {
  it('compiles in the sandbox, joins with snp.privateJoin and reads the key column by name', () => {
    const text = hnwcJoinProgram({ receivers: [1] });
    expect(() => compileProgram(text)).not.toThrow();
    expect(text).toContain('snp.privateJoin(');
    expect(text).toContain("input.col('customer_id')");
    expect(text).toContain('matched.and(');
    expect(text.startsWith('// High-net-worth customers:')).toBe(true);
  });

  it('finds the HNWC among the customers both companies hold (any order, any overlap, keys as the job normalises them); only the receiver learns count and average', async () => {
    const { a, b } = hnwcJoinData(60, 45, 25);
    // Company B writes some of its ids in lower case with spaces around: one key under trim + case-fold.
    const bKeys = b.keys.map((k, i) => (i % 3 === 0 ? ` ${k.toLowerCase()} ` : k));
    const plain = hnwcJoinPlain(a, { keys: bKeys, rows: b.rows }, 'trim-casefold');
    expect(plain.matched).toBe(25);
    expect(plain.count).toBeGreaterThan(0);
    const key = (values: string[]) => ({ column: HNWC_JOIN_KEY, values, normalise: 'trim-casefold' as const });
    const [at0, at1] = await runPreset(
      hnwcJoinProgram({ receivers: [1] }),
      HNWC_JOIN_COLUMNS,
      [a.rows, b.rows],
      { preprocessing: 'dealer', ring: HNWC_RING },
      [key(a.keys), key(bKeys)],
    );
    expect(numbers(at1!.count)).toEqual([plain.count]);
    expect(Math.abs(numbers(at1!.average)[0]! - plain.average)).toBeLessThan(0.01);
    expect(at0).toEqual({ count: null, average: null });
    // Under trim alone the lower-cased ids are other customers: fewer matches, the same program.
    expect(hnwcJoinPlain(a, { keys: bKeys, rows: b.rows }, 'trim').matched).toBeLessThan(25);
  }, 120_000);
});
