// Reads a vector of numbers typed by the analyst or loaded from a CSV file, with coded errors
// that name the bad cell. A first CSV row with no number at all is taken as a header.

import { ParleyError } from '../../../shared/errors.js';
import { checkInputs } from '../../../shared/fixed.js';
import { MAX_VECTOR_LENGTH } from '../../../shared/limits.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseVector(text: string): number[] {
  const rows = text.split(/\r?\n/).map((r) => r.trim()).filter((r) => r.length > 0);
  const cells = rows.map((r) => r.split(/[,;\t ]+/).filter((c) => c.length > 0));
  if (cells.length > 1 && cells[0]!.every((c) => !NUMBER.test(c))) cells.shift(); // header row
  const out: number[] = [];
  cells.forEach((row, i) =>
    row.forEach((cell, j) => {
      if (!NUMBER.test(cell)) {
        throw new ParleyError('ERR_BAD_INPUT', `row ${i + 1}, column ${j + 1}: "${cell.slice(0, 20)}" is not a number`);
      }
      out.push(Number(cell));
    }),
  );
  if (out.length === 0) throw new ParleyError('ERR_BAD_INPUT', 'enter at least one number');
  if (out.length > MAX_VECTOR_LENGTH) throw new ParleyError('ERR_TOO_LARGE', `at most ${MAX_VECTOR_LENGTH} values, got ${out.length}`);
  checkInputs(out);
  return out;
}
