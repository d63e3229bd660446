// A member's CSV header against the job's declared columns (web/src/tables/schema.ts), and the
// table parser that applies it (ERR_SCHEMA naming the missing, extra or misordered column).

import { describe, expect, it } from 'vitest';
import { parseTable } from '../../../web/src/jobs/parse-input.js';
import { checkHeader } from '../../../web/src/tables/schema.js';

const schemaError = (message: RegExp) =>
  expect.objectContaining({ code: 'ERR_SCHEMA', message: expect.stringMatching(message) });

describe('checkHeader', () => {
  const declared = ['balance', 'wealth'];
  it('accepts exactly the declared names in order', () => {
    expect(() => checkHeader(['balance', 'wealth'], declared)).not.toThrow();
  });
  it('names the missing, extra, misordered or repeated column, or asks for a header', () => {
    expect(() => checkHeader(['balance'], declared)).toThrow(schemaError(/column "wealth" is missing/));
    expect(() => checkHeader(['balance', 'income'], declared)).toThrow(schemaError(/column "wealth" is missing/));
    expect(() => checkHeader(['balance', 'wealth', 'age'], declared)).toThrow(
      schemaError(/column "age" is not declared/),
    );
    expect(() => checkHeader(['wealth', 'balance'], declared)).toThrow(
      schemaError(/column "balance" is out of order: it is column 2, the job declares it as column 1/),
    );
    expect(() => checkHeader(['balance', 'wealth', 'wealth'], declared)).toThrow(schemaError(/"wealth" appears twice/));
    expect(() => checkHeader(null, declared)).toThrow(schemaError(/first row must be the header.*balance, wealth/));
  });
});

describe("parseTable with the job's columns", () => {
  it('checks the header against them, then reads the numbers', () => {
    expect(parseTable('balance,wealth\n1,2', 64, ['balance', 'wealth'])).toEqual([[1, 2]]);
    expect(() => parseTable('wealth,balance\n1,2', 64, ['balance', 'wealth'])).toThrow(schemaError(/out of order/));
    expect(() => parseTable('1,2\n3,4', 64, ['balance', 'wealth'])).toThrow(
      schemaError(/first row must be the header/),
    );
    expect(parseTable('1,2\n3,4', 64)).toEqual([
      [1, 2],
      [3, 4],
    ]); // no declared columns: a header stays optional
  });
});
