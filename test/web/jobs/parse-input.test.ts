// A member's table for a program job, as the app reads it from typed text or a CSV file: the
// header, the shape checks, and the job's number range checked at the owner before anything is
// shared (ERR_OUT_OF_RANGE naming the CSV row and column, pointing at the wide range).

import { describe, expect, it } from 'vitest';
import { parseKeyedTable, parseTable, parseVector } from '../../../web/src/jobs/parse-input.js';
import type { KeyColumn } from '../../../web/src/tables/profile.js';

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

describe('a table keyed for a private join', () => {
  const columns = ['customer_id', 'balance', 'wealth'];
  const key: KeyColumn = { name: 'customer_id', normalise: 'trim' };
  const parse = (text: string, k = key) => parseKeyedTable(text, 128, columns, k);

  it('keeps the key column as text (never a number) and the other columns as numbers', () => {
    const t = parse('customer_id,balance,wealth\n007,10,1.5\r\n\nC-17 , 20,2\n1e3,30,3\n');
    expect(t.keys).toEqual(['007', 'C-17', '1e3']);
    expect(t.rows).toEqual([
      [10, 1.5],
      [20, 2],
      [30, 3],
    ]);
    // The key may be anywhere in the header; cells may hold spaces (the delimiter is the comma).
    const mid = parseKeyedTable('balance;email;wealth\n1;Ann Lee <a@x.org>;2\n', 128, ['balance', 'email', 'wealth'], {
      name: 'email',
      normalise: 'trim',
    });
    expect(mid).toEqual({ keys: ['Ann Lee <a@x.org>'], rows: [[1, 2]] });
  });

  it('refuses a missing key with ERR_BAD_INPUT naming the line of the file', () => {
    const text = 'customer_id,balance,wealth\nC1,1,2\n\n,3,4\n';
    expect(() => parse(text)).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_INPUT', message: 'line 4: the key "customer_id" is missing' }),
    );
    expect(() => parse('customer_id,balance,wealth\nNA,3,4\n')).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_INPUT' }),
    );
    expect(() => parse(`customer_id,balance,wealth\n${'é'.repeat(129)},3,4\n`)).toThrow(
      expect.objectContaining({
        code: 'ERR_BAD_INPUT',
        message: 'line 2: the key "customer_id" is longer than 256 bytes',
      }),
    );
    expect(parse(`customer_id,balance,wealth\n${'é'.repeat(128)},3,4\n`).keys[0]).toHaveLength(128);
  });

  it('refuses a repeated key (as the job normalises keys) with ERR_DUPLICATE_KEY naming both lines', () => {
    const text = 'customer_id,balance,wealth\nC1,1,2\nc1,3,4\n C1,5,6\n';
    expect(() => parse(text)).toThrow(
      expect.objectContaining({
        code: 'ERR_DUPLICATE_KEY',
        message: expect.stringMatching(/^line 4: .* repeats line 2 /),
      }),
    );
    expect(() => parse(text, { name: 'customer_id', normalise: 'trim-casefold' })).toThrow(
      expect.objectContaining({
        code: 'ERR_DUPLICATE_KEY',
        message: expect.stringMatching(/^line 3: .* repeats line 2 /),
      }),
    );
  });

  it('refuses the wrong header, width, text in a number column, and values outside the number range', () => {
    expect(() => parse('id,balance,wealth\nC1,1,2')).toThrow(expect.objectContaining({ code: 'ERR_SCHEMA' }));
    expect(() => parse('customer_id,balance,wealth\nC1,1')).toThrow(
      expect.objectContaining({ code: 'ERR_SHAPE', message: 'line 2 has 2 values, the header has 3' }),
    );
    expect(() => parse('customer_id,balance,wealth\nC1,1,x')).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_INPUT', message: 'line 2, column "wealth": "x" is not a number' }),
    );
    expect(() => parse('customer_id,balance,wealth')).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => parseKeyedTable('customer_id,balance,wealth\nC1,40000.5,1', 64, columns, key)).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE', message: expect.stringContaining('"balance"') }),
    );
  });
});
