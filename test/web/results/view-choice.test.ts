// The choice of view per output (web/src/results/view-choice.ts): by shape, dtype, name and preset.

import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/protocol.js';
import { resultOf } from '../../../web/src/results/result.js';
import {
  chooseView,
  featureNamesOf,
  MAX_BARS,
  presetOf,
  type ViewContext,
} from '../../../web/src/results/view-choice.js';
import { hnwcProgram } from '../../../workers/programs/hnwc.js';
import { linearRegressionProgram } from '../../../workers/programs/linear-regression.js';
import { logisticRegressionProgram } from '../../../workers/programs/logistic-regression.js';
import { sumProductProgram } from '../../../workers/programs/sum-product.js';

const none: ViewContext = { preset: null, featureColumns: null };
const f64 = (...shape: number[]) => ({ shape, dtype: 'float64' as const });

describe('presetOf', () => {
  it('knows each preset program by its text, and nothing else', () => {
    expect(presetOf(linearRegressionProgram({ receivers: [0] }))).toBe('linear-regression');
    expect(presetOf(logisticRegressionProgram({ receivers: [1] }))).toBe('logistic-regression');
    expect(presetOf(hnwcProgram({ receivers: [1] }))).toBe('hnwc');
    expect(presetOf(sumProductProgram({ receivers: [0] }))).toBe('sum-product');
    expect(presetOf('return { x: 1 };')).toBeNull();
  });
});

describe('chooseView', () => {
  it('shows a scalar (or a 1 × 1) as a figure', () => {
    expect(chooseView('count', f64(), none)).toEqual({ kind: 'figure' });
    expect(chooseView('m', f64(1, 1), none)).toEqual({ kind: 'figure' });
  });

  it('shows a short vector as bars, a long one as a line, in any vector shape', () => {
    expect(chooseView('v', f64(3), none)).toEqual({ kind: 'bars', labels: ['0', '1', '2'] });
    expect(chooseView('v', f64(3, 1), none).kind).toBe('bars');
    expect(chooseView('v', { shape: [1, 4], dtype: 'bool' }, none).kind).toBe('bars');
    expect(chooseView('v', f64(MAX_BARS), none).kind).toBe('bars');
    expect(chooseView('v', f64(MAX_BARS + 1), none).kind).toBe('line');
  });

  it('shows a histogram by its name as bars of counts, whatever its length', () => {
    expect(chooseView('histogram', { shape: [10], dtype: 'int64' }, none).kind).toBe('histogram');
    expect(chooseView('age_counts', f64(200, 1), none).kind).toBe('histogram');
    expect(chooseView('bins', f64(5), none).kind).toBe('histogram');
  });

  it('shows a matrix as a heat map; 3-D and empty arrays as a table only', () => {
    expect(chooseView('cov', f64(3, 4), none)).toEqual({ kind: 'heatmap', rows: 3, columns: 4 });
    expect(chooseView('t', f64(2, 2, 2), none)).toEqual({ kind: 'table' });
    expect(chooseView('e', f64(0), none)).toEqual({ kind: 'table' });
  });

  it('labels a regression preset’s theta; adds the local check only where the tab holds the features', () => {
    const lin = chooseView('theta', f64(3, 1), { preset: 'linear-regression', featureColumns: 2 });
    expect(lin).toEqual({ kind: 'coefficients', labels: ['intercept', 'x1', 'x2'], check: 'fitted-vs-actual' });
    const named = chooseView('theta', f64(3, 1), {
      preset: 'logistic-regression',
      featureColumns: 2,
      featureNames: ['age', 'income'],
    });
    expect(named).toEqual({ kind: 'coefficients', labels: ['intercept', 'age', 'income'], check: 'confusion-matrix' });
    // The label holder (one column) or a tab with no input: coefficients without a check.
    for (const featureColumns of [1, null]) {
      expect(chooseView('theta', f64(3, 1), { preset: 'linear-regression', featureColumns })).toMatchObject({
        kind: 'coefficients',
        check: null,
      });
    }
    // The label holder sees the names too (the schema is known to every member); a count that
    // does not match theta's length falls back to x1, x2.
    expect(
      chooseView('theta', f64(3, 1), {
        preset: 'linear-regression',
        featureColumns: 1,
        featureNames: ['age', 'income'],
      }),
    ).toMatchObject({ labels: ['intercept', 'age', 'income'], check: null });
    expect(
      chooseView('theta', f64(3, 1), { preset: 'linear-regression', featureColumns: 2, featureNames: ['age'] }),
    ).toMatchObject({ labels: ['intercept', 'x1', 'x2'] });
    // Not a preset, or not theta: the generic views.
    expect(chooseView('theta', f64(3, 1), { preset: null, featureColumns: 2 }).kind).toBe('bars');
    expect(chooseView('w', f64(3, 1), { preset: 'linear-regression', featureColumns: 2 }).kind).toBe('bars');
  });
});

describe('featureNamesOf', () => {
  const job = (schema?: Record<string, string[]>) =>
    ({
      id: '12345678-aaaa-bbbb-cccc-000000000000',
      program: { text: linearRegressionProgram({ receivers: [0, 1] }), hash: 'ab'.repeat(32) },
      members: ['alice', 'bob'],
      reveal: [{ output: 'theta', to: ['alice', 'bob'] }],
      ring: 64,
      dealer: null,
      ...(schema ? { schema } : {}),
    }) as unknown as Job;

  it('names the features as the job’s schema names party 0’s columns, and labels theta with them', () => {
    const result = resultOf(job({ bob: ['price'], alice: ['age', 'income'] }), {}, 0);
    expect(featureNamesOf(result)).toEqual(['age', 'income']);
    const view = chooseView('theta', f64(3, 1), {
      preset: presetOf(result.program.text),
      featureColumns: null,
      featureNames: featureNamesOf(result),
    });
    expect(view).toEqual({ kind: 'coefficients', labels: ['intercept', 'age', 'income'], check: null });
  });

  it('is null for a job without named columns', () => {
    expect(featureNamesOf(resultOf(job(), {}, 0))).toBeNull();
    expect(featureNamesOf(resultOf(job({ bob: ['y'] }), {}, 0))).toBeNull();
  });
});
