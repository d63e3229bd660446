// A regression preset's result checked in the receiving tab, on the tab's own rows: the fitted
// values from its features and the revealed coefficients (intercept first, as the presets return
// theta), and, against actual values the analyst supplies locally, the points of a
// fitted-against-actual plot (linear) or a confusion matrix at threshold 0.5 (logistic). Nothing
// here leaves the tab.

import { ParleyError } from '../../../shared/errors.js';

/** Xb·theta per row (Xb = [1, x…]): the linear predictor. Refuses a width that does not match theta. */
export function linearPredictor(X: number[][], theta: number[]): number[] {
  return X.map((row, i) => {
    if (row.length !== theta.length - 1) {
      throw new ParleyError(
        'ERR_SHAPE',
        `row ${i + 1} has ${row.length} features; the coefficients need ${theta.length - 1}`,
      );
    }
    return row.reduce((s, v, j) => s + v * theta[j + 1]!, theta[0]!);
  });
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The fitted values: the linear predictor (linear regression) or the probability of label 1 (logistic). */
export function fittedValues(kind: 'linear' | 'logistic', X: number[][], theta: number[]): number[] {
  const z = linearPredictor(X, theta);
  return kind === 'linear' ? z : z.map(sigmoid);
}

function sameLength(fitted: number[], actual: number[]): void {
  if (fitted.length !== actual.length) {
    throw new ParleyError(
      'ERR_SHAPE',
      `${actual.length} actual values for ${fitted.length} rows of features: give one per row`,
    );
  }
}

/** Points (actual, fitted) of the fitted-against-actual plot, and R² of the fit on these rows. */
export function fittedAgainstActual(
  fitted: number[],
  actual: number[],
): { points: { actual: number; fitted: number }[]; r2: number } {
  sameLength(fitted, actual);
  const mean = actual.reduce((s, v) => s + v, 0) / Math.max(actual.length, 1);
  const ssRes = actual.reduce((s, v, i) => s + (v - fitted[i]!) ** 2, 0);
  const ssTot = actual.reduce((s, v) => s + (v - mean) ** 2, 0);
  return {
    points: actual.map((a, i) => ({ actual: a, fitted: fitted[i]! })),
    r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot,
  };
}

export interface ConfusionMatrix {
  /** Counts by [actual][predicted], label 0 first. */
  counts: [[number, number], [number, number]];
  accuracy: number;
}

/** The confusion matrix of probabilities against 0/1 labels, predicting 1 at probability ≥ `threshold`. */
export function confusionMatrix(probabilities: number[], labels: number[], threshold = 0.5): ConfusionMatrix {
  sameLength(probabilities, labels);
  const counts: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  labels.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new ParleyError('ERR_BAD_INPUT', `label ${i + 1} is ${y}; labels are 0 or 1`);
    counts[y][probabilities[i]! >= threshold ? 1 : 0]++;
  });
  const right = counts[0][0] + counts[1][1];
  return { counts, accuracy: labels.length === 0 ? 0 : right / labels.length };
}
