// The catalogue's computations on plaintext scaled integers: the test flow's answers (the
// buyer decrypts synthetic test data with the published test key) and the reference the
// encrypted paths are tested against.

import { ParleyError } from '../../shared/errors.js';
import type { ComputationSpec } from './computations.js';
import { scoreTerms, scoreValues } from './score.js';
import type { Column } from './table.js';

/** values[c][r] as in TypedTable. */
export function evaluatePlain(
  spec: ComputationSpec,
  columns: readonly Column[],
  values: readonly (readonly bigint[] | BigInt64Array)[],
  rows: number,
): number[] {
  const idx = (name: string) => {
    const c = columns.findIndex((x) => x.name === name);
    if (c < 0) throw new ParleyError('ERR_BAD_REQUEST', `no column named ${name}`);
    return c;
  };
  const col = (name: string) => ({ column: columns[idx(name)]!, xs: Array.from(values[idx(name)]!, (v) => Number(v)) });
  switch (spec.kind) {
    case 'count':
      return [rows];
    case 'sum':
    case 'mean': {
      const { column, xs } = col(spec.column);
      const s = xs.reduce((a, b) => a + b, 0) / 10 ** column.decimals;
      return [spec.kind === 'mean' ? s / rows : s];
    }
    case 'weighted-sum': {
      const { column, xs } = col(spec.column);
      const k = 10 ** spec.weightDecimals;
      const s = xs.reduce((a, x, i) => a + x * Math.round(spec.weights[i]! * k), 0);
      return [s / k / 10 ** column.decimals];
    }
    case 'linear-score': {
      const unit = 10 ** scoreTerms(spec, columns).decimals;
      return scoreValues(spec, columns, values, rows).map((v) => Number(v) / unit);
    }
    case 'threshold-count': {
      const t = spec.threshold;
      const test = {
        gt: (x: number) => x > t,
        ge: (x: number) => x >= t,
        lt: (x: number) => x < t,
        le: (x: number) => x <= t,
      }[spec.op];
      if (spec.score) {
        const unit = 10 ** scoreTerms(spec.score, columns).decimals;
        return [scoreValues(spec.score, columns, values, rows).filter((v) => test(Number(v) / unit)).length];
      }
      const { column, xs } = col(spec.column!);
      return [xs.filter((x) => test(x / 10 ** column.decimals)).length];
    }
    case 'min':
    case 'max': {
      const { column, xs } = col(spec.column);
      return [(spec.kind === 'min' ? Math.min(...xs) : Math.max(...xs)) / 10 ** column.decimals];
    }
    case 'histogram': {
      const { column, xs } = col(spec.column);
      const e = spec.edges;
      const k = e.length - 1;
      return Array.from(
        { length: k },
        (_, j) =>
          xs.filter((raw) => {
            const x = raw / 10 ** column.decimals;
            return x >= e[j]! && (j === k - 1 ? x <= e[j + 1]! : x < e[j + 1]!);
          }).length,
      );
    }
  }
}
