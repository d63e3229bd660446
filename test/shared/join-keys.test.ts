// How a private join's keys are normalised (shared/join-keys.ts): NFC and trim, or then lower case
// too; idempotent (a party may normalise twice), and the same text the engine's join hashes.

import { describe, expect, it } from 'vitest';
import { KEY_NORMALISATIONS, normaliseKey } from '../../shared/join-keys.js';
import { normaliseKeys } from '../../workers/join/keys.js';

describe('normaliseKey', () => {
  it('trims white space (Unicode too) and keeps case and inner spaces under trim', () => {
    expect(normaliseKey('  C-17\t', 'trim')).toBe('C-17');
    expect(normaliseKey('\u00a0Ann Lee\u2003', 'trim')).toBe('Ann Lee');
    expect(normaliseKey('Alice@Example.org', 'trim')).toBe('Alice@Example.org');
    expect(normaliseKey('007', 'trim')).toBe('007');
  });

  it('lower-cases under trim-casefold, and composes accents (NFC) under both', () => {
    expect(normaliseKey(' Alice@Example.ORG ', 'trim-casefold')).toBe('alice@example.org');
    expect(normaliseKey('ÉCOLE', 'trim-casefold')).toBe('école');
    expect(normaliseKey('e\u0301', 'trim')).toBe('\u00e9');
    expect(normaliseKey('Straße', 'trim-casefold')).not.toBe(normaliseKey('STRASSE', 'trim-casefold'));
  });

  it("gives the text whose UTF-8 the engine's join hashes (workers/join/keys.ts)", () => {
    const keys = [' Alice@Example.ORG ', 'e\u0301cole', '\u00a0C-17\t', 'İstanbul', '007'];
    for (const n of KEY_NORMALISATIONS) {
      const engine = normaliseKeys(keys, { trim: true, caseFold: n === 'trim-casefold' });
      const app = normaliseKeys(
        keys.map((k) => normaliseKey(k, n)),
        { trim: false, caseFold: false },
      );
      expect(app).toEqual(engine);
      expect(engine.map((b) => new TextDecoder().decode(b))).toEqual(keys.map((k) => normaliseKey(k, n)));
    }
  });

  it('is idempotent', () => {
    for (const n of KEY_NORMALISATIONS) {
      for (const k of [' x ', 'ÅNGSTRÖM', 'ＡＢ', 'a\u0301'])
        expect(normaliseKey(normaliseKey(k, n), n)).toBe(normaliseKey(k, n));
    }
  });
});
