// Reads a vector (or, for programs, a table) of numbers typed by the analyst or loaded from a
// CSV file, with coded errors that name the bad cell. A first row with no number at all is a
// header. A program's table is checked against the job's number range here, at its owner. In a job
// that joins on a key, the key column is read as text (never as a number) and every row needs a
// key that no other row repeats (as the job normalises keys), refused here naming the line.

import { ParleyError } from '../../../shared/errors.js';
import { normaliseKey } from '../../../shared/join-keys.js';
import { MAX_VECTOR_LENGTH } from '../../../shared/limits.js';
import type { JobRing } from '../../../shared/protocol.js';
import { MAX_KEY_BYTES } from '../../../workers/join/keys.js';
import { checkTableRange } from '../../../workers/programs/number-range.js';
import { checkSumProductInput } from '../../../workers/programs/sum-product.js';
import { isMissing, type KeyColumn, splitterOf } from '../tables/profile.js';
import { checkHeader } from '../tables/schema.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The first non-blank line's cells when none is a number (a header), else null. */
function headerOf(text: string): string[] | null {
  const first = text.split(/\r?\n/).find((l) => l.trim().length > 0);
  const cells =
    first
      ?.trim()
      .split(/[,;\t ]+/)
      .filter((c) => c.length > 0) ?? [];
  return cells.length > 0 && cells.every((c) => !NUMBER.test(c)) ? cells : null;
}

/** Rows of numbers and the header (if any); fails on the first cell that is not a number. */
function numericRows(text: string): { header?: string[]; rows: number[][] } {
  const lines = text
    .split(/\r?\n/)
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  const cells = lines.map((r) => r.split(/[,;\t ]+/).filter((c) => c.length > 0));
  const header = cells.length > 1 && cells[0]!.every((c) => !NUMBER.test(c)) ? cells.shift() : undefined;
  const rows = cells.map((row, i) =>
    row.map((cell, j) => {
      if (!NUMBER.test(cell)) {
        throw new ParleyError('ERR_BAD_INPUT', `row ${i + 1}, column ${j + 1}: "${cell.slice(0, 20)}" is not a number`);
      }
      return Number(cell);
    }),
  );
  return header ? { header, rows } : { rows };
}

export function parseVector(text: string): number[] {
  const out = numericRows(text).rows.flat();
  if (out.length === 0) throw new ParleyError('ERR_BAD_INPUT', 'enter at least one number');
  if (out.length > MAX_VECTOR_LENGTH)
    throw new ParleyError('ERR_TOO_LARGE', `at most ${MAX_VECTOR_LENGTH} values, got ${out.length}`);
  checkSumProductInput(out);
  return out;
}

/**
 * A rectangular table (n rows × d columns) for a SecureNumpy program's `input`, every value within
 * the job's number range (`ring`; ERR_OUT_OF_RANGE names the row and column). Where the job declares
 * this member's `columns`, the header must name them in order (ERR_SCHEMA, web/src/tables/schema.ts).
 */
export function parseTable(text: string, ring: JobRing, columns: readonly string[] | null = null): number[][] {
  if (columns) checkHeader(headerOf(text), columns);
  const { header, rows } = numericRows(text);
  if (rows.length === 0) throw new ParleyError('ERR_BAD_INPUT', 'enter at least one row of numbers');
  const width = rows[0]!.length;
  const bad = rows.findIndex((r) => r.length !== width);
  if (bad >= 0)
    throw new ParleyError('ERR_SHAPE', `row ${bad + 1} has ${rows[bad]!.length} values, row 1 has ${width}`);
  if (rows.length * width > MAX_VECTOR_LENGTH)
    throw new ParleyError('ERR_TOO_LARGE', `at most ${MAX_VECTOR_LENGTH} values, got ${rows.length * width}`);
  checkTableRange(rows, ring, header);
  return rows;
}

const utf8 = new TextEncoder();

/** A member's table in a job that joins on a key: the key cells as text, and the other columns' numbers. */
export interface KeyedTable {
  /** The key column's cells in row order, as written (the program's `input.col(key)` normalises them). */
  keys: string[];
  /** The other columns, in the job's order without the key. */
  rows: number[][];
}

/**
 * A table whose header names the job's `columns` in order, one of them the join `key` (text): a
 * row of the wrong width is ERR_SHAPE, a missing key (or one over 256 UTF-8 bytes) ERR_BAD_INPUT, a key an earlier row already
 * has (after normalisation) ERR_DUPLICATE_KEY, a value that is not a number ERR_BAD_INPUT, each
 * naming the line of the file; values outside the job's number range ERR_OUT_OF_RANGE.
 */
export function parseKeyedTable(text: string, ring: JobRing, columns: readonly string[], key: KeyColumn): KeyedTable {
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, text: l }))
    .filter((l) => l.text.trim().length > 0);
  if (lines.length === 0) throw new ParleyError('ERR_BAD_INPUT', 'enter the header row and at least one row');
  const split = splitterOf(lines[0]!.text);
  checkHeader(split(lines[0]!.text), columns);
  const k = columns.indexOf(key.name);
  if (k < 0) throw new ParleyError('ERR_SCHEMA', `the key column "${key.name}" is not among your columns`);
  if (lines.length === 1) throw new ParleyError('ERR_BAD_INPUT', 'enter at least one row after the header');
  if ((lines.length - 1) * columns.length > MAX_VECTOR_LENGTH)
    throw new ParleyError(
      'ERR_TOO_LARGE',
      `at most ${MAX_VECTOR_LENGTH} values, got ${(lines.length - 1) * columns.length}`,
    );
  const keys: string[] = [];
  const rows: number[][] = [];
  const seen = new Map<string, number>();
  for (const { line, text: l } of lines.slice(1)) {
    const cells = split(l);
    if (cells.length !== columns.length)
      throw new ParleyError('ERR_SHAPE', `line ${line} has ${cells.length} values, the header has ${columns.length}`);
    const raw = cells[k]!;
    if (isMissing(raw)) throw new ParleyError('ERR_BAD_INPUT', `line ${line}: the key "${key.name}" is missing`);
    const normal = normaliseKey(raw, key.normalise);
    if (utf8.encode(normal).length > MAX_KEY_BYTES)
      throw new ParleyError(
        'ERR_BAD_INPUT',
        `line ${line}: the key "${key.name}" is longer than ${MAX_KEY_BYTES} bytes`,
      );
    const earlier = seen.get(normal);
    if (earlier !== undefined) {
      throw new ParleyError(
        'ERR_DUPLICATE_KEY',
        `line ${line}: the key "${key.name}" = "${raw.slice(0, 40)}" repeats line ${earlier} (keys must be distinct)`,
      );
    }
    seen.set(normal, line);
    keys.push(raw);
    rows.push(
      cells.flatMap((cell, j) => {
        if (j === k) return [];
        if (!NUMBER.test(cell)) {
          throw new ParleyError(
            'ERR_BAD_INPUT',
            `line ${line}, column "${columns[j]}": "${cell.slice(0, 20)}" is not a number`,
          );
        }
        return [Number(cell)];
      }),
    );
  }
  checkTableRange(
    rows,
    ring,
    columns.filter((_, j) => j !== k),
  );
  return { keys, rows };
}
