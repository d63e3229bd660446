// What each chart draws and its text alternative (web/src/results/chart-spec.ts).

import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/protocol.js';
import { chartOf, confusionChart, fittedChart, hnwcShareChart } from '../../../web/src/results/chart-spec.js';
import { resultOf } from '../../../web/src/results/result.js';
import { chooseView } from '../../../web/src/results/view-choice.js';
import { hnwcProgram } from '../../../workers/programs/hnwc.js';
import { linearRegressionProgram } from '../../../workers/programs/linear-regression.js';

const value = (shape: number[], values: number[]) => ({ shape, dtype: 'float64' as const, values });
const chart = (name: string, shape: number[], values: number[], preset: 'linear-regression' | null = null) => {
  const v = value(shape, values);
  return chartOf(name, chooseView(name, v, { preset, featureColumns: null }), v);
};

describe('chartOf', () => {
  it('draws coefficients as labelled bars and lists them in the caption', () => {
    const spec = chart('theta', [3, 1], [0.5, 1.25, -2], 'linear-regression');
    expect(spec).toMatchObject({
      mark: 'bar',
      data: [{ label: 'intercept', value: 0.5 }, { label: 'x1' }, { label: 'x2' }],
    });
    expect(spec!.caption).toBe('Coefficients of theta, 3 bars: intercept 0.5, x1 1.25, x2 -2');
  });

  it('draws a histogram with its total and extremes, a long vector as a line, a matrix as cells', () => {
    expect(chart('hist', [4], [1, 5, 2, 0])!.caption).toBe(
      'Histogram of hist: 4 bins, 8 in all; smallest 0 at 3, largest 5 at 1',
    );
    const line = chart(
      'v',
      [100],
      Array.from({ length: 100 }, (_, i) => i),
    );
    expect(line).toMatchObject({ mark: 'line' });
    expect(line!.data).toHaveLength(100);
    const cells = chart('m', [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(cells).toMatchObject({ mark: 'cell', x: 'column', y: 'row' });
    expect(cells!.data[5]).toEqual({ row: '1', column: '2', value: 6 });
    expect(cells!.caption).toBe('Heat map of m, 2 rows × 3 columns; values from 1 to 6');
  });

  it('draws no chart for a figure or a table-only output', () => {
    expect(chart('count', [], [7])).toBeNull();
    expect(chart('t', [1, 2, 2], [1, 2, 3, 4])).toBeNull();
  });
});

describe('check charts', () => {
  it('fitted against actual: one dot per row, R² in the caption', () => {
    const spec = fittedChart(
      [
        { actual: 1, fitted: 1.1 },
        { actual: 2, fitted: 1.9 },
      ],
      0.96,
    );
    expect(spec.data).toEqual([
      { x: 1, y: 1.1 },
      { x: 2, y: 1.9 },
    ]);
    expect(spec.caption).toContain('for 2 rows');
    expect(spec.caption).toContain('R² = 0.960');
  });

  it('confusion matrix: four cells with their counts and the accuracy', () => {
    const spec = confusionChart({
      counts: [
        [3, 1],
        [0, 4],
      ],
      accuracy: 7 / 8,
    });
    expect(spec.data).toMatchObject([{ value: 3 }, { value: 1 }, { value: 0 }, { value: 4 }]);
    expect(spec.caption).toContain('actual 0, predicted 1: 1');
    expect(spec.caption).toContain('accuracy 87.5%');
  });
});

describe('HNWC share chart', () => {
  const job = (text: string) =>
    ({
      id: '12345678-aaaa-bbbb-cccc-000000000000',
      program: { text, hash: 'ab'.repeat(32) },
      members: ['alice', 'bob'],
      reveal: [
        { output: 'count', to: ['alice'] },
        { output: 'average', to: ['alice'] },
      ],
      ring: 128,
      dealer: null,
    }) as unknown as Job;
  const outputs = {
    count: { shape: [], dtype: 'int64' as const, data: new BigInt64Array([12n]) },
    average: { shape: [], dtype: 'float64' as const, data: new Float64Array([8_500_000]) },
  };
  const hnwc = hnwcProgram({ receivers: [0] });

  it('draws the count against the rest of the rows this tab brought, nothing else', () => {
    const spec = hnwcShareChart(resultOf(job(hnwc), outputs, 0, 200));
    expect(spec).toEqual({
      mark: 'bar',
      data: [
        { label: 'high-net-worth', value: 12 },
        { label: 'other customers', value: 188 },
      ],
      caption: 'High-net-worth customers: 12 of 200 customers (6%); 188 others',
    });
  });

  it('is null without the rows, for a count revealed elsewhere, an impossible count or another program', () => {
    expect(hnwcShareChart(resultOf(job(hnwc), outputs, 0))).toBeNull();
    expect(hnwcShareChart(resultOf(job(hnwc), { ...outputs, count: null }, 0, 200))).toBeNull();
    expect(hnwcShareChart(resultOf(job(hnwc), outputs, 0, 10))).toBeNull();
    expect(hnwcShareChart(resultOf(job(linearRegressionProgram({ receivers: [0] })), outputs, 0, 200))).toBeNull();
  });
});
