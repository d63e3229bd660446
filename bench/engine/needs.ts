// The correlations each op of the "math" section of `npm run bench:engine` consumes (the
// engine's own counts), so snp.preprocess makes exactly those before the op's online phase, and
// the dealer-free runs can be extrapolated linearly in them.

export interface MathNeeds {
  andWords: number;
  triples: number;
  truncations: number;
  /** Matrix triples by (m, k, n) (logistic regression). */
  matrices?: [number, number, number][];
}

/**
 * Per value in Z_2^64 (the engine's counts: ops-math.ts divide per divisor + per output, ops-exp.ts
 * expNeeds; sigmoid = lt(x, 0) + 2 where + exp + 1/(1 + e)). B2A in the math runs on bit products,
 * counted with the truncations (33 per divisor, 30 per exp).
 */
const PER_VALUE = {
  div: { andWords: 17, triples: 10 + 1, truncations: 8 + 33 + 1 },
  exp: { andWords: 12, triples: 29, truncations: 24 + 30 },
  sigmoid: { andWords: 12 + 12, triples: 2 * 2 + 29 + 6, truncations: 24 + 30 + 7 },
} as const;

/** Correlations of one math op over `size` values (divisor and numerator of the same shape). */
export function mathNeeds(op: 'div' | 'exp' | 'sigmoid', size: number): MathNeeds {
  const k = PER_VALUE[op];
  return { andWords: k.andWords * size, triples: k.triples * size, truncations: k.truncations * size };
}

/** Scalar correlations in a MathNeeds (a matrix triple counted as m·k·n scalar triples, its cost dealer-free). */
export function needsCount(n: MathNeeds): number {
  return n.andWords + n.triples + n.truncations + (n.matrices ?? []).reduce((t, [m, k, c]) => t + m * k * c, 0);
}

/**
 * Correlations of logistic regression (the shipped program, logreg.ts) on rows × cols (ones
 * included), per epoch: Xb·theta (a matrix triple [rows, cols, 1] + rows truncations), sigmoid of
 * rows values, Xbᵀ(p − y) ([cols, rows, 1] + cols truncations), times 1/n (a public fraction: cols
 * truncations), times lr (cols truncations more unless lr is an integer, which multiplies exactly).
 */
export function logregNeeds(rows: number, cols: number, epochs: number, lr: number): MathNeeds {
  const sig = mathNeeds('sigmoid', rows);
  const perEpoch = sig.truncations + rows + 2 * cols + (Number.isInteger(lr) ? 0 : cols);
  return {
    andWords: epochs * sig.andWords,
    triples: epochs * sig.triples,
    truncations: epochs * perEpoch,
    matrices: Array.from({ length: epochs }, (): [number, number, number][] => [
      [rows, cols, 1],
      [cols, rows, 1],
    ]).flat(),
  };
}
