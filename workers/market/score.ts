// A linear score per row, β0 + Σ_j β_j x_j, as exact integers: coefficients rounded to their
// declared decimals k, every column brought to the largest decimals D, so the score is an integer
// in units of 10^-(D+k). The same arithmetic runs on ciphertexts (linear.ts) and on plaintext
// (plain.ts), and gives the public bound a converted score's masks are sized by.

import { ParleyError } from '../../shared/errors.js';
import type { Column } from './table.js';

export interface Score {
  coefficients: Record<string, number>;
  intercept: number;
  weightDecimals: number;
}

export interface ScoreTerms {
  /** Column index, column, and its integer weight (coefficient at the common scale). */
  terms: { index: number; column: Column; weight: bigint }[];
  intercept: bigint;
  /** Decimals of the score's unit: D + k. */
  decimals: number;
}

/** A plaintext weight as an integer at `decimals` decimals. */
export const scaled = (w: number, decimals: number) => BigInt(Math.round(w * 10 ** decimals));

export function scoreTerms(score: Score, columns: readonly Column[]): ScoreTerms {
  const used = Object.entries(score.coefficients).map(([name, beta]) => {
    const index = columns.findIndex((c) => c.name === name);
    if (index < 0) throw new ParleyError('ERR_BAD_REQUEST', `no column named ${name}`);
    return { index, column: columns[index]!, beta };
  });
  const D = Math.max(0, ...used.map((u) => u.column.decimals));
  return {
    terms: used.map((u) => ({
      index: u.index,
      column: u.column,
      weight: scaled(u.beta, score.weightDecimals) * 10n ** BigInt(D - u.column.decimals),
    })),
    intercept: scaled(score.intercept, score.weightDecimals) * 10n ** BigInt(D),
    decimals: D + score.weightDecimals,
  };
}

const abs = (v: bigint) => (v < 0n ? -v : v);

/** The score as a column for conversion: its unit's decimals and public bounds from the columns'. */
export function scoreColumn(score: Score, columns: readonly Column[]): Column {
  const t = scoreTerms(score, columns);
  let bound = abs(t.intercept);
  for (const { column, weight } of t.terms) {
    const unit = 10 ** column.decimals;
    const maxAbs = BigInt(Math.round(Math.max(Math.abs(column.min), Math.abs(column.max)) * unit));
    bound += abs(weight) * maxAbs;
  }
  const b = Number(bound) / 10 ** t.decimals;
  return { name: 'score', type: 'decimal', decimals: t.decimals, min: -b, max: b };
}

/** Exact integer scores of plaintext rows (values[c][r] scaled integers). */
export function scoreValues(
  score: Score,
  columns: readonly Column[],
  values: readonly (readonly bigint[] | BigInt64Array)[],
  rows: number,
): bigint[] {
  const t = scoreTerms(score, columns);
  return Array.from({ length: rows }, (_, r) =>
    t.terms.reduce((a, u) => a + u.weight * BigInt(values[u.index]![r]!), t.intercept),
  );
}
