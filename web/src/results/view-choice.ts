// Which view fits each revealed output, as a pure function of its name, shape and dtype and of
// the job's preset: a scalar as a figure, a short vector as bars, a long one as a line, a
// histogram (by name) as bars, a matrix as a heat map, a regression preset's coefficients as a
// bar chart labelled with the feature columns' names from the job's schema; and, where this tab holds the regression's features, a check computed
// locally (fitted against actual for linear regression, a confusion matrix for logistic).
// Anything else (3-D and up, empty arrays) stays a table only.

import type { ResultValue, StoredResult } from './result.js';

/** The preset a program came from, known by its first line (workers/programs/*.ts). */
export type Preset = 'linear-regression' | 'logistic-regression' | 'hnwc' | 'sum-product' | null;

const PRESET_HEADERS: [string, Exclude<Preset, null>][] = [
  ['// Linear regression by gradient descent', 'linear-regression'],
  ['// Logistic regression by full-batch gradient descent', 'logistic-regression'],
  ['// High-net-worth customers:', 'hnwc'],
  ['// Secure sum and product', 'sum-product'],
];

export function presetOf(programText: string): Preset {
  return PRESET_HEADERS.find(([head]) => programText.startsWith(head))?.[1] ?? null;
}

/**
 * The regression presets' feature names: party 0 brings X and every column it declares is a
 * feature (workers/programs/linear-regression.ts), so they are the names the job's schema gives
 * the first member's columns; null when the job declares none.
 */
export function featureNamesOf(result: Pick<StoredResult, 'members' | 'schema'>): string[] | null {
  return result.schema?.find((s) => s.member === result.members[0])?.columns ?? null;
}

/** Vectors longer than this are drawn as a line rather than bars. */
export const MAX_BARS = 60;

export type OutputView =
  | { kind: 'figure' }
  | { kind: 'bars'; labels: string[] }
  | { kind: 'line' }
  | { kind: 'histogram' }
  | { kind: 'heatmap'; rows: number; columns: number }
  | { kind: 'coefficients'; labels: string[]; check: 'fitted-vs-actual' | 'confusion-matrix' | null }
  | { kind: 'table' };

export interface ViewContext {
  preset: Preset;
  /** How many feature columns this tab brought (its own input's width), or null when it brought none. */
  featureColumns: number | null;
  /** The feature columns' names, from the job's schema (featureNamesOf), when it declares them. */
  featureNames?: readonly string[] | null;
}

/** The length of a vector-shaped output ([n], [n, 1] or [1, n]), or null when it is not one. */
function vectorLength(shape: number[]): number | null {
  if (shape.length === 1) return shape[0]!;
  if (shape.length === 2 && (shape[0] === 1 || shape[1] === 1)) return shape[0]! * shape[1]!;
  return null;
}

export function chooseView(name: string, value: Pick<ResultValue, 'shape' | 'dtype'>, ctx: ViewContext): OutputView {
  const { shape } = value;
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) return { kind: 'table' };
  if (size === 1 && shape.length <= 2) return { kind: 'figure' };
  const n = vectorLength(shape);
  const regression = ctx.preset === 'linear-regression' || ctx.preset === 'logistic-regression';
  if (regression && name === 'theta' && n !== null) {
    const holdsFeatures = ctx.featureColumns !== null && ctx.featureColumns === n - 1;
    const names = ctx.featureNames?.length === n - 1 ? ctx.featureNames : null;
    return {
      kind: 'coefficients',
      labels: ['intercept', ...Array.from({ length: n - 1 }, (_, i) => names?.[i] ?? `x${i + 1}`)],
      check: !holdsFeatures ? null : ctx.preset === 'linear-regression' ? 'fitted-vs-actual' : 'confusion-matrix',
    };
  }
  if (n !== null) {
    if (/hist|bins?$|counts$/i.test(name)) return { kind: 'histogram' };
    if (n > MAX_BARS) return { kind: 'line' };
    return { kind: 'bars', labels: Array.from({ length: n }, (_, i) => String(i)) };
  }
  if (shape.length === 2) return { kind: 'heatmap', rows: shape[0]!, columns: shape[1]! };
  return { kind: 'table' };
}
