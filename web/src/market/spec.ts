// The buyer's computation builder as data: form fields → a computation spec for a table of
// `rows` rows (weights default to all ones; decimal weights declare their decimals).

import { ParleyError } from '../../../shared/errors.js';
import type { Computation } from '../../../shared/market.js';

export interface SpecForm {
  kind: Computation;
  column: string;
  weights: string;
  op: 'gt' | 'ge' | 'lt' | 'le';
  threshold: string;
  edges: string;
  coefficients: string;
  intercept: string;
}

const numbers = (text: string): string[] => text.split(/[\s,;]+/).filter((t) => t !== '');

function num(text: string, what: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw new ParleyError('ERR_BAD_INPUT', `${what}: "${text}" is not a number`);
  return v;
}

const decimalsOf = (t: string) => (t.split('.')[1] ?? '').replace(/[eE].*$/, '').length;

/** name=value coefficient pairs and an intercept; decimals as many as the numbers have (≤ 6). */
function scoreOf(f: SpecForm) {
  const pairs = numbers(f.coefficients).map((p) => {
    const [name, value] = p.split('=');
    if (!name || value === undefined)
      throw new ParleyError('ERR_BAD_INPUT', `coefficients are name=value pairs, not "${p}"`);
    return [name.trim(), value.trim()] as const;
  });
  if (pairs.length === 0) throw new ParleyError('ERR_BAD_INPUT', 'give at least one coefficient (name=value)');
  const texts = [...pairs.map(([, v]) => v), f.intercept.trim() || '0'];
  return {
    coefficients: Object.fromEntries(pairs.map(([n, v]) => [n, num(v, n)])),
    intercept: num(f.intercept.trim() || '0', 'intercept'),
    weightDecimals: Math.min(6, Math.max(0, ...texts.map(decimalsOf))),
  };
}

export function buildSpec(f: SpecForm, rows: number): unknown {
  switch (f.kind) {
    case 'count':
      return { kind: 'count' };
    case 'sum':
    case 'mean':
    case 'min':
    case 'max':
      return { kind: f.kind, column: f.column };
    case 'weighted-sum': {
      const parts = numbers(f.weights);
      const weights = parts.length === 0 ? Array<number>(rows).fill(1) : parts.map((t) => num(t, 'weight'));
      return {
        kind: 'weighted-sum',
        column: f.column,
        weights,
        weightDecimals: Math.min(6, Math.max(0, ...parts.map(decimalsOf))),
      };
    }
    case 'linear-score':
      return { kind: 'linear-score', ...scoreOf(f) };
    case 'threshold-count': {
      // With coefficients it compares each row's score (computed on ciphertexts), else the column.
      const target = f.coefficients.trim() ? { score: scoreOf(f) } : { column: f.column };
      return { kind: 'threshold-count', ...target, op: f.op, threshold: num(f.threshold, 'threshold') };
    }
    case 'histogram':
      return { kind: 'histogram', column: f.column, edges: numbers(f.edges).map((t) => num(t, 'edge')) };
  }
}
