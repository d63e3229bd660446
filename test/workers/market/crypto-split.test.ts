// The crypto pool's pure splitting and combining (workers/market/crypto-split.ts): ranges cover
// every item once with near-equal sizes, segments follow column boundaries, pieces reassemble
// into the original columns, and partial sums combine into the whole sum.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembleColumns,
  columnSegments,
  combineProducts,
  concatBigUint64,
  concatBytes,
  itemCount,
  sliceItems,
  splitRange,
} from '../../../workers/market/crypto-split.js';
import {
  ciphertextsToBytes,
  decrypt,
  encrypt,
  generateKeys,
  PublicRandomness,
  sum,
  weightedSum,
} from '../../../workers/market/paillier/index.js';

describe('splitRange', () => {
  it('covers [0, total) contiguously with sizes differing by at most one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 500 }),
        (total, parts, min) => {
          const rs = splitRange(total, parts, min);
          if (total === 0) {
            expect(rs).toEqual([]);
            return;
          }
          expect(rs.length).toBeGreaterThanOrEqual(1);
          expect(rs.length).toBeLessThanOrEqual(parts);
          expect(rs[0]!.start).toBe(0);
          expect(rs.at(-1)!.end).toBe(total);
          rs.forEach((r, i) => {
            expect(r.end).toBeGreaterThan(r.start);
            if (i > 0) expect(r.start).toBe(rs[i - 1]!.end);
          });
          const sizes = rs.map((r) => r.end - r.start);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          if (rs.length > 1) expect(Math.min(...sizes)).toBeGreaterThanOrEqual(min);
        },
      ),
    );
  });

  it('uses fewer parts for few items, and refuses bad counts', () => {
    expect(splitRange(10, 4, 64)).toEqual([{ start: 0, end: 10 }]);
    expect(splitRange(3, 8)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
      { start: 2, end: 3 },
    ]);
    expect(splitRange(100_000, 2, 64)).toEqual([
      { start: 0, end: 50_000 },
      { start: 50_000, end: 100_000 },
    ]);
    expect(() => splitRange(-1, 2)).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => splitRange(10, 0)).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
  });
});

describe('columnSegments and assembleColumns', () => {
  it('split columns laid end to end and put their bytes back exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (lengths, parts, width) => {
          const cols = lengths.map((len, c) => Uint8Array.from({ length: len * width }, (_, i) => (c * 31 + i) & 0xff));
          const total = lengths.reduce((a, b) => a + b, 0);
          const segments = splitRange(total, parts).flatMap((r) => columnSegments(lengths, r));
          const pieces = segments.map((s) => sliceItems(cols[s.column]!, width, s));
          expect(segments.reduce((n, s) => n + s.end - s.start, 0)).toBe(total);
          expect(assembleColumns(lengths, width, segments, pieces)).toEqual(cols);
        },
      ),
    );
  });

  it('a range across a column boundary becomes two segments', () => {
    expect(columnSegments([5, 5, 5], { start: 3, end: 12 })).toEqual([
      { column: 0, start: 3, end: 5 },
      { column: 1, start: 0, end: 5 },
      { column: 2, start: 0, end: 2 },
    ]);
  });

  it('refuses pieces that do not cover the columns or have the wrong size', () => {
    const seg = [{ column: 0, start: 0, end: 2 }];
    expect(() => assembleColumns([3], 2, seg, [new Uint8Array(4)])).toThrow(
      expect.objectContaining({ code: 'ERR_LENGTH_MISMATCH' }),
    );
    expect(() => assembleColumns([2], 2, seg, [new Uint8Array(3)])).toThrow(
      expect.objectContaining({ code: 'ERR_LENGTH_MISMATCH' }),
    );
    expect(() => assembleColumns([2], 2, [{ column: 1, start: 0, end: 2 }], [new Uint8Array(4)])).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_INPUT' }),
    );
    expect(() => itemCount(new Uint8Array(5), 2)).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
  });

  it('concatenates bytes and shares in order; slices are copies', () => {
    expect(concatBytes([Uint8Array.of(1, 2), Uint8Array.of(), Uint8Array.of(3)])).toEqual(Uint8Array.of(1, 2, 3));
    expect(concatBigUint64([BigUint64Array.of(1n), BigUint64Array.of(2n, 3n)])).toEqual(BigUint64Array.of(1n, 2n, 3n));
    const b = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const s = sliceItems(b, 2, { start: 1, end: 3 });
    expect(s).toEqual(Uint8Array.of(3, 4, 5, 6));
    expect(s.buffer).not.toBe(b.buffer);
    expect(s.byteOffset).toBe(0);
  });
});

describe('combineProducts', () => {
  it('partial sums and weighted sums over ranges combine into the whole', async () => {
    const sk = await generateKeys(1024);
    const pk = sk.publicKey;
    const rng = new PublicRandomness(pk);
    const values = Array.from({ length: 37 }, (_, i) => BigInt((i * 7919) % 2001) - 1000n);
    const weights = Array.from({ length: 37 }, (_, i) => BigInt((i * 104729) % 65536) - 32768n);
    const cs = values.map((v) => encrypt(pk, v, rng));
    const ranges = splitRange(cs.length, 3, 5);
    const sums = ranges.map((r) => sum(pk, cs.slice(r.start, r.end)));
    const wsums = ranges.map((r) => weightedSum(pk, cs.slice(r.start, r.end), weights.slice(r.start, r.end)));
    expect(decrypt(sk, combineProducts(sums, pk.n2))).toBe(values.reduce((a, b) => a + b, 0n));
    expect(decrypt(sk, combineProducts(wsums, pk.n2))).toBe(values.reduce((a, v, i) => a + v * weights[i]!, 0n));
    expect(combineProducts([], pk.n2)).toBe(1n);
    expect(() => combineProducts([0n], pk.n2)).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
    expect(ciphertextsToBytes(pk, cs).length).toBe(cs.length * 256);
  });
});
