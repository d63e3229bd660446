// What a chart draws, as data: the marks' rows and a text alternative (the caption, also the
// SVG's accessible name) for each view of results/view-choice.ts, for the regression checks and
// for HNWC's share of all customers (its count against the rest of the n rows, both known to the
// receiver: the count is revealed and n is the input size every member knows; nothing more).
// Chart.svelte turns a spec into an Observable Plot figure; keeping the spec plain keeps it testable.

import type { ConfusionMatrix } from './model-check.js';
import type { ResultValue, StoredResult } from './result.js';
import { type OutputView, presetOf } from './view-choice.js';

export type ChartSpec =
  | { mark: 'bar'; data: { label: string; value: number }[]; caption: string }
  | { mark: 'line'; data: { index: number; value: number }[]; caption: string }
  | { mark: 'cell'; data: { row: string; column: string; value: number }[]; x: string; y: string; caption: string }
  | { mark: 'dot'; data: { x: number; y: number }[]; x: string; y: string; caption: string };

const num = (v: number | boolean) => Number(v);
const fmt = (v: number) => String(Number(v.toPrecision(4)));

function extremes(values: number[]): string {
  let lo = 0;
  let hi = 0;
  values.forEach((v, i) => {
    if (v < values[lo]!) lo = i;
    if (v > values[hi]!) hi = i;
  });
  return `smallest ${fmt(values[lo]!)} at ${lo}, largest ${fmt(values[hi]!)} at ${hi}`;
}

/** The chart of an output's view, or null for views drawn without a chart (a figure, a table). */
export function chartOf(name: string, view: OutputView, v: ResultValue): ChartSpec | null {
  const values = v.values.map(num);
  switch (view.kind) {
    case 'coefficients':
    case 'bars': {
      const data = values.map((value, i) => ({ label: view.labels[i]!, value }));
      const what = view.kind === 'coefficients' ? 'Coefficients' : 'Bar chart';
      const list = data.length <= 12 ? `: ${data.map((d) => `${d.label} ${fmt(d.value)}`).join(', ')}` : '';
      return { mark: 'bar', data, caption: `${what} of ${name}, ${data.length} bars${list}` };
    }
    case 'histogram': {
      const data = values.map((value, i) => ({ label: String(i), value }));
      const total = values.reduce((a, b) => a + b, 0);
      return {
        mark: 'bar',
        data,
        caption: `Histogram of ${name}: ${data.length} bins, ${fmt(total)} in all; ${extremes(values)}`,
      };
    }
    case 'line':
      return {
        mark: 'line',
        data: values.map((value, index) => ({ index, value })),
        caption: `Line chart of ${name}, ${values.length} values; ${extremes(values)}`,
      };
    case 'heatmap': {
      const data = values.map((value, k) => ({
        row: String(Math.floor(k / view.columns)),
        column: String(k % view.columns),
        value,
      }));
      return {
        mark: 'cell',
        data,
        x: 'column',
        y: 'row',
        caption: `Heat map of ${name}, ${view.rows} rows × ${view.columns} columns; values from ${fmt(Math.min(...values))} to ${fmt(Math.max(...values))}`,
      };
    }
    default:
      return null;
  }
}

/** Fitted against actual: one dot per row of this tab's data. */
export function fittedChart(points: { actual: number; fitted: number }[], r2: number): ChartSpec {
  return {
    mark: 'dot',
    data: points.map((p) => ({ x: p.actual, y: p.fitted })),
    x: 'actual',
    y: 'fitted',
    caption: `Fitted against actual values for ${points.length} rows of this tab's data; R² = ${r2.toFixed(3)}`,
  };
}

/** The confusion matrix as a 2 × 2 heat map of counts. */
export function confusionChart(m: ConfusionMatrix): ChartSpec {
  const data = [0, 1].flatMap((a) =>
    [0, 1].map((p) => ({ row: `actual ${a}`, column: `predicted ${p}`, value: m.counts[a as 0 | 1][p as 0 | 1] })),
  );
  return {
    mark: 'cell',
    data,
    x: 'predicted',
    y: 'actual',
    caption: `Confusion matrix at threshold 0.5: ${data.map((d) => `${d.row}, ${d.column}: ${d.value}`).join('; ')}; accuracy ${(100 * m.accuracy).toFixed(1)}%`,
  };
}

/**
 * HNWC's result as a chart: the high-net-worth customers against the other customers, as two bars,
 * from the revealed count and the rows this tab brought (the same n at both parties, or the
 * program fails). Null for another program, a count revealed elsewhere, or no rows known here.
 */
export function hnwcShareChart(r: Pick<StoredResult, 'program' | 'outputs' | 'rows'>): ChartSpec | null {
  const count = r.outputs.count;
  if (presetOf(r.program.text) !== 'hnwc' || !count || count.values.length !== 1 || r.rows === undefined) return null;
  const hnwc = Number(count.values[0]);
  if (!Number.isInteger(hnwc) || hnwc < 0 || hnwc > r.rows) return null;
  const share = r.rows === 0 ? 0 : (100 * hnwc) / r.rows;
  return {
    mark: 'bar',
    data: [
      { label: 'high-net-worth', value: hnwc },
      { label: 'other customers', value: r.rows - hnwc },
    ],
    caption: `High-net-worth customers: ${hnwc} of ${r.rows} customers (${fmt(share)}%); ${r.rows - hnwc} others`,
  };
}
