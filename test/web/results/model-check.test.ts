// Fitted values, fitted-against-actual and the confusion matrix (web/src/results/model-check.ts).

import { describe, expect, it } from 'vitest';
import {
  confusionMatrix,
  fittedAgainstActual,
  fittedValues,
  linearPredictor,
} from '../../../web/src/results/model-check.js';

describe('fitted values', () => {
  it('applies theta with the intercept first', () => {
    expect(
      linearPredictor(
        [
          [1, 2],
          [0, 0],
          [-1, 3],
        ],
        [0.5, 2, -1],
      ),
    ).toEqual([0.5, 0.5, -4.5]);
  });

  it('gives probabilities for logistic regression', () => {
    const p = fittedValues('logistic', [[0], [100], [-100]], [0, 1]);
    expect(p[0]).toBeCloseTo(0.5, 12);
    expect(p[1]).toBeCloseTo(1, 12);
    expect(p[2]).toBeCloseTo(0, 12);
  });

  it('refuses rows whose width does not match the coefficients (ERR_SHAPE, naming the row)', () => {
    expect(() => linearPredictor([[1, 2], [3]], [0, 1, 1])).toThrow(/row 2 has 1 features; the coefficients need 2/);
    expect(() => linearPredictor([[1]], [0, 1, 1])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });
});

describe('fitted against actual', () => {
  it('pairs the points and gives R²', () => {
    const { points, r2 } = fittedAgainstActual([1, 2, 3], [1, 2, 3]);
    expect(points).toEqual([
      { actual: 1, fitted: 1 },
      { actual: 2, fitted: 2 },
      { actual: 3, fitted: 3 },
    ]);
    expect(r2).toBe(1);
    // Predicting the mean everywhere explains nothing.
    expect(fittedAgainstActual([2, 2, 2], [1, 2, 3]).r2).toBe(0);
  });

  it('refuses a count of actual values that differs from the rows (ERR_SHAPE)', () => {
    expect(() => fittedAgainstActual([1, 2], [1])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });
});

describe('confusion matrix', () => {
  it('counts by actual and predicted label at 0.5 and gives the accuracy', () => {
    const m = confusionMatrix([0.9, 0.2, 0.5, 0.4, 0.7], [1, 0, 0, 1, 1]);
    expect(m.counts).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
  });

  it('refuses labels other than 0 and 1 (ERR_BAD_INPUT, naming the row)', () => {
    expect(() => confusionMatrix([0.1, 0.2], [0, 2])).toThrow(/label 2 is 2/);
    expect(() => confusionMatrix([0.1], [0.5])).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
  });
});
