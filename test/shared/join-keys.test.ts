// How a private join's keys are normalised (shared/join-keys.ts): trim only, or trim + case-fold
// (NFKC, then lower case), and that both are idempotent (a party may normalise twice).

import { describe, expect, it } from 'vitest';
import { KEY_NORMALISATIONS, normaliseKey } from '../../shared/join-keys.js';

describe('normaliseKey', () => {
  it('trims white space (Unicode too) and keeps case and inner spaces under trim', () => {
    expect(normaliseKey('  C-17\t', 'trim')).toBe('C-17');
    expect(normaliseKey('\u00a0Ann Lee\u2003', 'trim')).toBe('Ann Lee');
    expect(normaliseKey('Alice@Example.org', 'trim')).toBe('Alice@Example.org');
    expect(normaliseKey('007', 'trim')).toBe('007');
  });

  it('folds case and compatibility forms under trim-casefold', () => {
    expect(normaliseKey(' Alice@Example.ORG ', 'trim-casefold')).toBe('alice@example.org');
    expect(normaliseKey('ＡＢ１', 'trim-casefold')).toBe('ab1');
    expect(normaliseKey('Ǆ', 'trim-casefold')).toBe('dž');
  });

  it('is idempotent', () => {
    for (const n of KEY_NORMALISATIONS) {
      for (const k of [' x ', 'ÅNGSTRÖM', 'ＡＢ', 'a\u0301'])
        expect(normaliseKey(normaliseKey(k, n), n)).toBe(normaliseKey(k, n));
    }
  });
});
