// Join keys: integers as their decimal strings, NFC, the trim and case options, UTF-8 bytes, and
// every refusal (duplicates after normalisation, non-keys, empty, too long, lone surrogates).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_BYTES, normaliseKeys } from '../../../workers/join/keys.js';

const EXACT = { trim: false, caseFold: false };
const LOOSE = { trim: true, caseFold: true };
const text = (keys: Uint8Array[]) => keys.map((k) => new TextDecoder().decode(k));
const code = (c: string, message?: RegExp) =>
  expect.objectContaining(message ? { code: c, message: expect.stringMatching(message) } : { code: c });

describe('normaliseKeys', () => {
  it('encodes integers as decimal strings, composes Unicode, and applies the options', () => {
    expect(text(normaliseKeys([42, -7, -0, 'x'], EXACT))).toEqual(['42', '-7', '0', 'x']);
    expect(text(normaliseKeys(['e\u0301'], EXACT))).toEqual(['\u00e9']);
    expect(text(normaliseKeys([' Alice@Example.COM\t'], EXACT))).toEqual([' Alice@Example.COM\t']);
    expect(text(normaliseKeys([' Alice@Example.COM\t'], { trim: true, caseFold: false }))).toEqual([
      'Alice@Example.COM',
    ]);
    expect(text(normaliseKeys([' Alice@Example.COM\t'], { trim: false, caseFold: true }))).toEqual([
      ' alice@example.com\t',
    ]);
    expect(text(normaliseKeys([' ÉCOLE ', 'Straße'], LOOSE))).toEqual(['école', 'straße']);
    expect(normaliseKeys(['é'], EXACT)[0]).toEqual(Uint8Array.of(0xc3, 0xa9));
  });

  it('maps distinct safe integers to their decimal strings, in order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.maxSafeInteger().map((n) => (n === 0 ? 0 : n))), (ns) => {
        expect(text(normaliseKeys(ns, EXACT))).toEqual(ns.map(String));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses duplicates after normalisation with ERR_DUPLICATE_KEY, naming both rows', () => {
    expect(() => normaliseKeys(['a', 'b', 'a'], EXACT)).toThrow(code('ERR_DUPLICATE_KEY', /rows 1 and 3/));
    expect(() => normaliseKeys([42, '42'], EXACT)).toThrow(code('ERR_DUPLICATE_KEY', /rows 1 and 2/));
    expect(() => normaliseKeys(['\u00e9', 'e\u0301'], EXACT)).toThrow(code('ERR_DUPLICATE_KEY'));
    expect(normaliseKeys(['a', ' a', 'A'], EXACT)).toHaveLength(3);
    expect(() => normaliseKeys(['x', 'a', ' a'], { trim: true, caseFold: false })).toThrow(
      code('ERR_DUPLICATE_KEY', /rows 2 and 3/),
    );
    expect(() => normaliseKeys(['a', 'A'], { trim: false, caseFold: true })).toThrow(
      code('ERR_DUPLICATE_KEY', /rows 1 and 2/),
    );
  });

  it('refuses malformed keys with ERR_BAD_INPUT, naming the row and not the value', () => {
    const bad: [unknown, RegExp][] = [
      [1.5, /not a safe integer/],
      [Number.NaN, /not a safe integer/],
      [Number.POSITIVE_INFINITY, /not a safe integer/],
      [2 ** 53, /not a safe integer/],
      [10n, /of type bigint/],
      [null, /of type null/],
      [undefined, /of type undefined/],
      [true, /of type boolean/],
      [{ toString: () => 'k' }, /of type object/],
      ['', /empty/],
      ['ok\ud800', /lone surrogate/],
      ['\udc00', /lone surrogate/],
      ['x'.repeat(MAX_KEY_BYTES + 1), /257 bytes/],
      ['é'.repeat(MAX_KEY_BYTES / 2 + 1), /258 bytes/],
    ];
    for (const [key, message] of bad) {
      expect(() => normaliseKeys(['fine', key], EXACT)).toThrow(code('ERR_BAD_INPUT', /row 2/));
      expect(() => normaliseKeys([key], EXACT)).toThrow(message);
    }
    expect(() => normaliseKeys([' \t\n'], LOOSE)).toThrow(code('ERR_BAD_INPUT', /row 1 is empty/));
    expect(normaliseKeys([' \t\n'], EXACT)).toHaveLength(1);
    expect(
      normaliseKeys(['x'.repeat(MAX_KEY_BYTES), 'é'.repeat(MAX_KEY_BYTES / 2), '\ud83d\ude00'], EXACT),
    ).toHaveLength(3);
    expect(() => normaliseKeys(['secret-value', 'secret-value'], EXACT)).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('secret') }),
    );
  });
});
