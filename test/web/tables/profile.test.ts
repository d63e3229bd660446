// The local profile of a CSV (web/src/tables/profile.ts): types, counts, missing values, min / max /
// mean, the histogram, delimiters, headers, and bad rows by their line number in the file.

import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, profileCsv } from '../../../web/src/tables/profile.js';

describe('profileCsv', () => {
  it('profiles each column: type, count, missing, min, max, mean and a histogram of the numbers', () => {
    const p = profileCsv('balance,wealth,region\n10,1,north\n20,,south\n\n30,3,NA\n40,4,east\n');
    expect(p.header).toEqual(['balance', 'wealth', 'region']);
    expect(p.rows).toBe(4);
    const [balance, wealth, region] = p.columns;
    expect(balance).toMatchObject({
      name: 'balance',
      type: 'number',
      count: 4,
      missing: 0,
      min: 10,
      max: 40,
      mean: 25,
    });
    expect(balance!.histogram).toHaveLength(HISTOGRAM_BINS);
    expect(balance!.histogram.reduce((a, b) => a + b, 0)).toBe(4);
    expect(balance!.histogram[0]).toBe(1);
    expect(balance!.histogram[HISTOGRAM_BINS - 1]).toBe(1); // the maximum falls in the last bin
    expect(wealth).toMatchObject({ type: 'number', count: 3, missing: 1, min: 1, max: 4 });
    expect(wealth!.mean).toBeCloseTo(8 / 3, 12);
    expect(region).toMatchObject({
      type: 'text',
      count: 3,
      missing: 1,
      min: null,
      max: null,
      mean: null,
      histogram: [],
    });
  });

  it('names the bad rows by their line in the file (blank lines counted): width, missing value, text', () => {
    const p = profileCsv('a,b\n1,2\n3\n\n5,x\n6,\n7,8');
    expect(p.badRows).toEqual([
      { line: 3, reason: '1 values, the header has 2' },
      { line: 5, reason: '"b" is not a number: "x"' },
      { line: 6, reason: '"b" is missing' },
    ]);
    expect(p.badRowCount).toBe(3);
  });

  it('reads semicolons, tabs and spaces; without a header the columns are c1, c2, …', () => {
    expect(profileCsv('x;y\n1;2').columns.map((c) => c.max)).toEqual([1, 2]);
    expect(profileCsv('x\ty\n1\t2').header).toEqual(['x', 'y']);
    const p = profileCsv('1 2\n3 4');
    expect(p.header).toBeNull();
    expect(p.columns.map((c) => [c.name, c.mean])).toEqual([
      ['c1', 2],
      ['c2', 3],
    ]);
    expect(profileCsv('  \n')).toEqual({ header: null, rows: 0, columns: [], badRows: [], badRowCount: 0 });
  });

  it('puts equal values in one bin and lists at most 20 bad rows while counting all', () => {
    expect(profileCsv('v\n5\n5').columns[0]!.histogram[0]).toBe(2);
    const p = profileCsv(['v', ...Array.from({ length: 30 }, () => 'x')].join('\n'));
    expect(p.badRows).toHaveLength(20);
    expect(p.badRowCount).toBe(30);
    expect(p.columns[0]!.type).toBe('text');
  });

  it('profiles a join key column as text keys: count, missing, distinct (as the job normalises them), repeats as bad rows', () => {
    const text = 'customer_id,balance\n007,1\nA1,2\n,3\na1 ,4\n12,5\n';
    const trim = profileCsv(text, { name: 'customer_id', normalise: 'trim' });
    expect(trim.header).toEqual(['customer_id', 'balance']);
    expect(trim.columns[0]).toMatchObject({ type: 'key', count: 4, missing: 1, distinct: 4, min: null, histogram: [] });
    expect(trim.columns[1]).toMatchObject({ type: 'number', distinct: null, count: 5 });
    expect(trim.badRows).toEqual([{ line: 4, reason: '"customer_id" is missing' }]);
    const folded = profileCsv(text, { name: 'customer_id', normalise: 'trim-casefold' });
    expect(folded.columns[0]).toMatchObject({ type: 'key', distinct: 3 });
    expect(folded.badRows).toEqual([
      { line: 4, reason: '"customer_id" is missing' },
      { line: 5, reason: 'the key "customer_id" repeats line 3: "a1"' },
    ]);
    // Without the job's key the same column is numbers and text, and a header of numbers-only keys is data.
    expect(profileCsv(text).columns[0]!.type).toBe('text');
    expect(profileCsv('id,v\n1,2', { name: 'id', normalise: 'trim' }).columns[0]).toMatchObject({
      type: 'key',
      count: 1,
    });
  });
});
