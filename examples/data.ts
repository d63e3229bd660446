// Deterministic synthetic data for the examples, their test (test/examples/presets.test.ts) and the e2e
// (e2e/examples.e2e.ts): the same seed always gives the same rows.

import { seededUniform } from '../shared/random.js';

/** A seeded PRNG with uniform values in [0, 1) (mulberry32, not cryptographic). */
export const prng = seededUniform;

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/**
 * Customers of Company A and Company B, amounts in natural units to the cent (the HNWC program's
 * units, on the wide ring).
 * data0: [purchase frequency 0..6, purchase amount 500..15,000];
 * data1: [account balance 100,000..12,000,000, wealth-management amount 10,000..3,000,000].
 */
export function hnwcData(n: number, seed = 1): { data0: number[][]; data1: number[][] } {
  const r = prng(seed);
  const data0 = Array.from({ length: n }, () => [Math.floor(r() * 7), round(500 + r() * 14_500, 2)]);
  const data1 = Array.from({ length: n }, () => [
    round(100_000 + r() * 11_900_000, 2),
    round(10_000 + r() * 2_990_000, 2),
  ]);
  return { data0, data1 };
}

/** One company's customers for the joined HNWC: customer ids (text) and, per row, its two columns. */
interface KeyedRows {
  keys: string[];
  rows: number[][];
}

/**
 * Customers of Company A (nA) and Company B (nB) for HNWC joined on customer id, with `common`
 * customers in both, each company's rows in its own shuffled order; ids like "C0004711" (a
 * leading zero that a number would lose). Columns and units as hnwcData's.
 */
export function hnwcJoinData(nA: number, nB: number, common: number, seed = 4): { a: KeyedRows; b: KeyedRows } {
  const r = prng(seed);
  const id = (i: number) => `C${String(i).padStart(7, '0')}`;
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  // Ids 0..nA-1 are A's; B has the first `common` of them and nB - common ids of its own.
  const aIds = shuffle(Array.from({ length: nA }, (_, i) => id(i)));
  const bIds = shuffle([
    ...Array.from({ length: common }, (_, i) => id(i)),
    ...Array.from({ length: nB - common }, (_, i) => id(nA + i)),
  ]);
  const { data0 } = hnwcData(nA, seed + 1);
  const { data1 } = hnwcData(nB, seed + 2);
  return { a: { keys: aIds, rows: data0 }, b: { keys: bIds, rows: data1 } };
}

/** n rows × 2 features in [-2, 2]; label 1 when 1.5·x1 − x2 + 0.3 + noise > 0 (noise ±0.5). */
export function logisticData(n: number, seed = 2): { X: number[][]; y: number[] } {
  const r = prng(seed);
  const X = Array.from({ length: n }, () => [round(r() * 4 - 2, 4), round(r() * 4 - 2, 4)]);
  const y = X.map(([a, b]) => (1.5 * a! - b! + 0.3 + (r() - 0.5) > 0 ? 1 : 0));
  return { X, y };
}

/** n rows × 2 features in [-1, 1]; y = X·[1.5, −2] + 0.5 + small noise (as test/workers/program.test.ts). */
export function regressionData(n: number): { X: number[][]; y: number[] } {
  const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 0.7), Math.cos(i * 1.1)]);
  const y = X.map(([a, b], i) => 1.5 * a! - 2 * b! + 0.5 + 0.01 * Math.sin(i * 2.3));
  return { X, y };
}

/**
 * Two vectors for the sum and product, n values each in [-46340, 46340] (its range), with every
 * fourth value an arbitrary double (not on the 2^-16 grid) so that rounding is exercised.
 */
export function sumProductData(n: number, seed = 3): { x: number[]; y: number[] } {
  const r = prng(seed);
  const value = (i: number) => (i % 4 === 3 ? (r() * 2 - 1) * 46340 : round((r() * 2 - 1) * 46340, 2));
  return { x: Array.from({ length: n }, (_, i) => value(i)), y: Array.from({ length: n }, (_, i) => value(i)) };
}

/** Keyed rows as CSV text: the header, then per row its key and its values. */
export function toKeyedCsv(header: string[], { keys, rows }: KeyedRows): string {
  return `${[header.join(','), ...rows.map((row, i) => `${keys[i]},${row.join(',')}`)].join('\n')}\n`;
}

/** Rows as CSV text with a header line. */
export function toCsv(header: string[], rows: number[][]): string {
  return `${[header.join(','), ...rows.map((row) => row.join(','))].join('\n')}\n`;
}
