// A member's table for a program job, as the app reads it from typed text or a CSV file: the
// header, the shape checks, and the job's number range checked at the owner before anything is
// shared (ERR_OUT_OF_RANGE naming the CSV row and column, pointing at the wide range).

import { describe, expect, it } from 'vitest';
import { parseTable, parseVector } from '../../../web/src/jobs/parse-input.js';

const csv = (rows: (string | number)[][]) => rows.map((r) => r.join(',')).join('\n');

describe('a program table', () => {
  it('drops a header row and keeps the numbers', () => {
    expect(parseTable('a, b\n1, 2.5\n3, 4', 64)).toEqual([
      [1, 2.5],
      [3, 4],
    ]);
    expect(() => parseTable('1,2\n3', 64)).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
    expect(parseVector('x\n1\n2')).toEqual([1, 2]);
  });

  it('takes balances in natural units in the wide range, and refuses them in the standard one naming row and column', () => {
    const text = csv([
      ['balance', 'wealth'],
      [120_000.5, 10.25],
      [5_000_000.01, 2_999.99],
    ]);
    expect(parseTable(text, 128)[1]).toEqual([5_000_000.01, 2_999.99]);
    expect(() => parseTable(text, 64)).toThrow(
      expect.objectContaining({
        code: 'ERR_OUT_OF_RANGE',
        message: expect.stringMatching(
          /^row 1, column 1 \("balance"\): 120000\.5 is outside the job's number range \(standard \|x\| < 32,768\); propose the job with the wide number range \(wide \|x\| < 1\.4·10\^14\)$/,
        ),
      }),
    );
    // Without a header the column is its number; the first value out of range is named.
    expect(() => parseTable('1.5, 2\n3, -40000.5', 64)).toThrow(
      expect.objectContaining({
        code: 'ERR_OUT_OF_RANGE',
        message: expect.stringMatching(/^row 2, column 2: -40000\.5/),
      }),
    );
  });

  it('refuses values beyond the wide range too, without suggesting a wider one', () => {
    expect(() => parseTable('x\n0.5\n2e14', 128)).toThrow(
      expect.objectContaining({
        code: 'ERR_OUT_OF_RANGE',
        message: `row 2, column 1 ("x"): 200000000000000 is outside the job's number range (wide |x| < 1.4·10^14)`,
      }),
    );
  });

  it('checks a table of whole numbers as int64 (as snp.array infers it): any safe integer', () => {
    expect(parseTable('count, balance\n3, 5000000', 64)).toEqual([[3, 5_000_000]]);
    expect(() => parseTable('n\n9007199254740993', 64)).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE', message: expect.stringContaining('int64') }),
    );
  });
});
