// Bit-matrix helpers behind IKNP (workers/ot/bits.ts): known answers on fixed
// matrices, agreement with a naive bit-by-bit transpose, and the choice-bit padding.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getBit, roundUp, setBit, transpose32, transposeBits, transposeRows } from '../../../workers/ot/bits.js';
import { choiceWords, paddedLength } from '../../../workers/ot/iknp.js';

function naiveTranspose(src: Uint32Array, rows: number, cols: number): Uint32Array {
  const out = new Uint32Array(src.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) setBit(out, c * rows + r, getBit(src, r * cols + c));
  }
  return out;
}

describe('transpose32', () => {
  it('turns an upper-triangular block into a lower-triangular one (known answer)', () => {
    const a = Uint32Array.from({ length: 32 }, (_, r) => (0xffffffff << r) >>> 0); // bits c >= r
    transpose32(a);
    const expected = Uint32Array.from({ length: 32 }, (_, c) => (c === 31 ? 0xffffffff : (1 << (c + 1)) - 1) >>> 0); // bits r <= c
    expect(a).toEqual(expected);
  });

  it('maps a permutation matrix to its inverse', () => {
    const a = Uint32Array.from({ length: 32 }, (_, r) => (1 << ((r * 5 + 3) % 32)) >>> 0); // row r has column 5r+3
    transpose32(a);
    for (let c = 0; c < 32; c++) {
      const r = a[c]!.toString(2).length - 1;
      expect(a[c]).toBe((1 << r) >>> 0);
      expect((r * 5 + 3) % 32).toBe(c);
    }
  });

  it('is an involution on random blocks', () => {
    fc.assert(
      fc.property(fc.uint32Array({ minLength: 32, maxLength: 32 }), (words) => {
        const a = Uint32Array.from(words);
        transpose32(a);
        transpose32(a);
        expect(a).toEqual(Uint32Array.from(words));
      }),
    );
  });
});

describe('transposeBits', () => {
  it('transposes a fixed 32 × 64 matrix (known answer)', () => {
    // Row r (two words) has the single bit r set; the 64 × 32 result has bit c in row c < 32.
    const src = new Uint32Array(64);
    for (let r = 0; r < 32; r++) src[2 * r] = (1 << r) >>> 0;
    const out = transposeBits(src, 32, 64);
    expect(out).toEqual(Uint32Array.from({ length: 64 }, (_, c) => (c < 32 ? (1 << c) >>> 0 : 0)));
  });

  it('agrees with a naive transpose on random matrices (128 × M as in IKNP, and others)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(32, 64, 128),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (rows, colBlocks, seed) => {
          const cols = 32 * colBlocks;
          let x = seed | 1;
          const src = Uint32Array.from(
            { length: (rows * cols) / 32 },
            () => ((x = (x * 1103515245 + 12345) >>> 0), x ^ (x << 7)) >>> 0,
          );
          const out = transposeBits(src, rows, cols);
          expect(out).toEqual(naiveTranspose(src, rows, cols));
          expect(transposeBits(out, cols, rows)).toEqual(src);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("transposes rows given as separate arrays (IKNP's PRG columns) like one matrix", () => {
    const rows = Array.from({ length: 64 }, (_, r) =>
      Uint32Array.from({ length: 5 }, (_, w) => (Math.imul(r * 7 + w, 0x9e3779b1) ^ (w << 13)) >>> 0),
    );
    const flat = new Uint32Array(64 * 4);
    rows.forEach((row, r) => flat.set(row.subarray(0, 4), 4 * r)); // a 5th word per row is ignored
    expect(transposeRows(rows, 128)).toEqual(naiveTranspose(flat, 64, 128));
    expect(() => transposeRows(rows, 192)).toThrow(RangeError);
  });

  it('refuses dimensions that are not multiples of 32', () => {
    expect(() => transposeBits(new Uint32Array(3), 32, 3)).toThrow(RangeError);
  });
});

describe('bit vectors', () => {
  it('reads and writes single bits, little-endian', () => {
    const w = new Uint32Array(2);
    setBit(w, 0, 1);
    setBit(w, 33, 1);
    setBit(w, 63, 1);
    expect([...w]).toEqual([1, (2 | 0x80000000) >>> 0]);
    setBit(w, 33, 0);
    expect(getBit(w, 33)).toBe(0);
    expect(getBit(w, 63)).toBe(1);
    expect(new Uint8Array(w.buffer)[7]).toBe(0x80); // the same bit as byte 7, bit 7
  });

  it('pads choice bits with zeros up to a multiple of 128', () => {
    expect([1, 127, 128, 129, 1000].map(paddedLength)).toEqual([128, 128, 128, 256, 1024]);
    expect(roundUp(0, 128)).toBe(0);
    const choices = new Uint8Array(20).fill(0xff);
    const r = choiceWords(choices, 13, 128);
    expect(r.length).toBe(4);
    expect([...r]).toEqual([0x1fff, 0, 0, 0]);
  });
});
