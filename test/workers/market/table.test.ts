// The seller's CSV loading: quoting, typing, exact decimal scaling, bounds, refusals; and the
// synthetic test rows staying inside the schema.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnBits } from '../../../shared/market-bounds.js';
import { checkSpec, columnsRead } from '../../../workers/market/computations.js';
import { scoreColumn, scoreTerms, scoreValues } from '../../../workers/market/score.js';
import {
  checkBounds,
  encodeValue,
  parseCsv,
  publicBound,
  scaleExact,
  syntheticValues,
  typeTable,
} from '../../../workers/market/table.js';

describe('CSV tables', () => {
  it('parses quotes, embedded commas and newlines, CRLF and blank lines', () => {
    const t = parseCsv('name,"note, with comma",age\r\n"Smith, J","say ""hi""\nthere",41\r\n\r\nLee,x,7\n');
    expect(t.header).toEqual(['name', 'note__with_comma', 'age']);
    expect(t.rows).toEqual([
      ['Smith, J', 'say "hi"\nthere', '41'],
      ['Lee', 'x', '7'],
    ]);
  });

  it('types columns, excludes non-numeric ones and keeps exact decimals', () => {
    const t = typeTable(
      parseCsv('id,age,income,city\n1,34,1200.5,Delft\n2,-3,0.25,Utrecht\n3,90,1e3x,Ede\n'.replace('1e3x', '99.125')),
    );
    expect(t.columns.map((c) => [c.name, c.type, c.decimals, c.min, c.max])).toEqual([
      ['id', 'int', 0, 0, 10],
      ['age', 'int', 0, -10, 100],
      ['income', 'decimal', 3, 0, 10000],
    ]);
    expect(t.extremes).toEqual([
      { min: 1, max: 3 },
      { min: -3, max: 90 },
      { min: 0.25, max: 1200.5 },
    ]);
    expect(t.excluded).toEqual([{ name: 'city', example: 'Delft' }]);
    expect([...t.values[2]!]).toEqual([1200500n, 250n, 99125n]);
  });

  it('publishes bounds rounded outward, never the data extremes, and checks edited ones', () => {
    expect([90, 100, 1200.5, 0.25, 7].map((x) => publicBound(x, 'up'))).toEqual([100, 1000, 10000, 1, 10]);
    expect([-3, -100, 5, 0].map((x) => publicBound(x, 'down'))).toEqual([-10, -1000, 0, 0]);
    expect(publicBound(-3, 'up')).toBe(0);
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        (x) => publicBound(x, 'down') <= x && x <= publicBound(x, 'up'),
      ),
    );
    const col = { name: 'age', type: 'int' as const, decimals: 0, min: 0, max: 100 };
    expect(() => checkBounds(col, { min: 0, max: 100 })).not.toThrow();
    expect(() => checkBounds({ ...col, max: 90 }, { min: 3, max: 95 })).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
  });

  it('scales decimal text exactly, rounding half away from zero', () => {
    expect(scaleExact('0.1', 2)).toBe(10n);
    expect(scaleExact('-2.675', 2)).toBe(-268n);
    expect(scaleExact('2.674', 2)).toBe(267n);
    expect(scaleExact('+7', 3)).toBe(7000n);
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (v, d) => {
        const text = (v / 10 ** d).toFixed(d);
        return scaleExact(text, d) === BigInt(v);
      }),
    );
  });

  it('refuses ragged rows, unterminated quotes, no numeric column, values outside the bounds', () => {
    expect(() => parseCsv('a,b\n1\n')).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => parseCsv('a\n"1\n')).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => parseCsv('a\n')).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => typeTable(parseCsv('a\nx\n'))).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    const col = { name: 'age', type: 'int' as const, decimals: 0, min: 0, max: 120 };
    expect(() => encodeValue(121, col)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => encodeValue(Number.NaN, col)).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(encodeValue(120, col)).toBe(120n);
  });

  it('makes synthetic rows inside each column bounds, at the column scale, reproducibly', () => {
    const cols = [
      { name: 'a', type: 'int' as const, decimals: 0, min: -5, max: 5 },
      { name: 'b', type: 'decimal' as const, decimals: 2, min: 0.5, max: 1.5 },
    ];
    const v = syntheticValues(cols, 500, 3);
    expect(v[0]!.every((x) => x >= -5n && x <= 5n)).toBe(true);
    expect(v[1]!.every((x) => x >= 50n && x <= 150n)).toBe(true);
    expect(new Set(v[0]).size).toBe(11); // every value in range shows up
    expect(syntheticValues(cols, 500, 3)).toEqual(v);
    expect(columnBits(cols[1]!)).toBe(8); // 150 < 2^8
  });
});

describe('computation specs', () => {
  const cols = [
    { name: 'age', type: 'int' as const, decimals: 0, min: 0, max: 100 },
    { name: 'income', type: 'decimal' as const, decimals: 2, min: -1000, max: 100000 },
  ];
  it('a threshold count compares a column or a score, not both or neither; scores read their columns', () => {
    const score = { coefficients: { income: 0.5 }, intercept: 1, weightDecimals: 1 };
    expect(() => checkSpec({ kind: 'threshold-count', op: 'gt', threshold: 1 }, cols, 10, ['threshold-count'])).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_REQUEST' }),
    );
    expect(() =>
      checkSpec({ kind: 'threshold-count', column: 'age', score, op: 'gt', threshold: 1 }, cols, 10, [
        'threshold-count',
      ]),
    ).toThrow(expect.objectContaining({ code: 'ERR_BAD_REQUEST' }));
    expect(() =>
      checkSpec(
        { kind: 'threshold-count', score: { ...score, coefficients: { height: 1 } }, op: 'gt', threshold: 1 },
        cols,
        10,
        ['threshold-count'],
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_BAD_REQUEST' }));
    expect(() => checkSpec({ kind: 'min', column: 'age' }, cols, 10, ['threshold-count'])).toThrow(
      expect.objectContaining({ code: 'ERR_POLICY' }),
    );
    const spec = checkSpec({ kind: 'threshold-count', score, op: 'gt', threshold: 1 }, cols, 10, ['threshold-count']);
    expect(columnsRead(spec)).toEqual(['income']);
  });
  it('a score is exact in units of 10^-(D+k), with a public bound from the columns', () => {
    const score = { coefficients: { age: 1.5, income: -0.25 }, intercept: 2, weightDecimals: 2 };
    const t = scoreTerms(score, cols);
    expect(t.decimals).toBe(4);
    expect(t.terms.map((x) => x.weight)).toEqual([15000n, -25n]); // 1.5 → 150 (k = 2) · 10^2; -0.25 → -25
    expect(t.intercept).toBe(20000n);
    // age 40, income 1234.56 → 1.5·40 − 0.25·1234.56 + 2 = −246.64
    expect(scoreValues(score, cols, [[40n], [123456n]], 1)).toEqual([-2466400n]);
    expect(scoreColumn(score, cols)).toMatchObject({
      decimals: 4,
      max: 1.5 * 100 + 0.25 * 100000 + 2,
      min: -(1.5 * 100 + 0.25 * 100000 + 2),
    });
  });
});
