// A kept result as files the analyst takes away: JSON (the whole record: job, program hash,
// members, reveal list, number range, inputs' schema when present, each output's shape, dtype and
// values) and CSV (one line per element: output, row, column, value; row is the first axis,
// column the other axes flattened, as the tables show them). Outputs revealed to others only
// appear in the JSON as null and not in the CSV.

import type { StoredResult } from './result.js';

/** The JSON export's format tag; bump it when the shape changes. */
export const RESULT_FORMAT = 'parley-result/1';

export function resultJson(r: StoredResult): string {
  return `${JSON.stringify({ format: RESULT_FORMAT, ...r, savedAt: new Date(r.savedAt).toISOString() }, null, 2)}\n`;
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const field = (v: string | number | boolean) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function resultCsv(r: StoredResult): string {
  const lines = ['output,row,column,value'];
  for (const [name, v] of Object.entries(r.outputs)) {
    if (!v) continue;
    const width = v.shape.length < 2 ? 1 : v.shape.slice(1).reduce((a, b) => a * b, 1);
    v.values.forEach((x, k) => {
      lines.push([name, Math.floor(k / width), k % width, x].map(field).join(','));
    });
  }
  return `${lines.join('\n')}\n`;
}

/** The file name stem for a job's exports. */
export const exportName = (r: StoredResult, ext: 'csv' | 'json') => `parley-result-${r.jobId.slice(0, 8)}.${ext}`;
