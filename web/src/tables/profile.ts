// A local profile of a member's CSV, computed in its tab (nothing here sends anything): per column
// its type, count, missing values, min / max / mean and a small histogram, and the bad rows by
// their line number in the file (a row of the wrong width, a missing value, or text in a column of
// numbers), so the member can fix the data before it reaches a job. A job's join key column is
// text, never a number ("007" stays "007"): its profile is count, missing and distinct keys (as
// the job normalises them), and a repeated key is listed as a bad row.

import { type KeyNormalisation, normaliseKey } from '../../../shared/join-keys.js';

/** Cells that count as missing: empty, or a usual spelling of "no value". */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '?']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Histogram bars per numeric column. */
export const HISTOGRAM_BINS = 12;
/** At most this many bad rows are listed (their total is counted). */
const MAX_BAD_ROWS_LISTED = 20;

interface ColumnProfile {
  name: string;
  /**
   * 'key' for the job's join key column (text whatever it holds); otherwise 'number' when every
   * present cell is a number, 'text' when one is not, 'empty' when none is present.
   */
  type: 'key' | 'number' | 'text' | 'empty';
  /** For the key column: how many distinct keys (normalised as the job says); null for other columns. */
  distinct: number | null;
  /** Present (non-missing) cells. */
  count: number;
  missing: number;
  /** Over the numeric cells; null when there are none. */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Counts of the numeric cells in HISTOGRAM_BINS equal bins from min to max (empty if none). */
  histogram: number[];
}

interface BadRow {
  /** 1-based line number in the text (the header is line 1 when there is one). */
  line: number;
  reason: string;
}

export interface Profile {
  /** The header row's names, or null when the first row holds a number (then columns are c1, c2, …). */
  header: string[] | null;
  /** Data rows (non-blank lines after the header). */
  rows: number;
  columns: ColumnProfile[];
  /** The first bad rows (at most 20) and how many there are. */
  badRows: BadRow[];
  badRowCount: number;
}

/** The job's join key column and how the job normalises keys (Job.join). */
export interface KeyColumn {
  name: string;
  normalise: KeyNormalisation;
}

/** The delimiter of a CSV: comma, else semicolon, else tab, else runs of spaces; cells are trimmed. */
export function splitterOf(firstLine: string): (line: string) => string[] {
  for (const d of [',', ';', '\t']) if (firstLine.includes(d)) return (l) => l.split(d).map((c) => c.trim());
  return (l) => l.trim().split(/\s+/);
}

/** Whether a (trimmed) cell counts as missing: empty, or a usual spelling of "no value". */
export const isMissing = (cell: string) => MISSING.has(cell.toLowerCase());

function histogram(values: number[], min: number, max: number): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (max - min) / HISTOGRAM_BINS;
  for (const v of values) {
    const i = width === 0 ? 0 : Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width));
    bins[i]!++;
  }
  return bins;
}

function columnProfile(name: string, cells: string[]): ColumnProfile {
  const present = cells.filter((c) => !isMissing(c));
  const numbers = present.filter((c) => NUMBER.test(c)).map(Number);
  const type = present.length === 0 ? 'empty' : numbers.length === present.length ? 'number' : 'text';
  if (numbers.length === 0) {
    return {
      name,
      type,
      distinct: null,
      count: present.length,
      missing: cells.length - present.length,
      min: null,
      max: null,
      mean: null,
      histogram: [],
    };
  }
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of numbers) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return {
    name,
    type,
    distinct: null,
    count: present.length,
    missing: cells.length - present.length,
    min,
    max,
    mean: sum / numbers.length,
    histogram: histogram(numbers, min, max),
  };
}

function keyProfile(name: string, cells: string[], normalise: KeyNormalisation): ColumnProfile {
  const present = cells.filter((c) => !isMissing(c));
  const distinct = new Set(present.map((c) => normaliseKey(c, normalise))).size;
  const none = { min: null, max: null, mean: null, histogram: [] };
  return { name, type: 'key', distinct, count: present.length, missing: cells.length - present.length, ...none };
}

/** Why a row of a keyed table is bad: its key is repeated (after normalisation) from an earlier line. */
function repeatedKeys(rows: string[][], lines: number[], key: number, column: KeyColumn): Map<number, string> {
  const first = new Map<string, number>();
  const bad = new Map<number, string>();
  rows.forEach((r, i) => {
    const cell = r[key];
    if (cell === undefined || isMissing(cell)) return;
    const k = normaliseKey(cell, column.normalise);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, lines[i]!);
    else bad.set(i, `the key "${column.name}" repeats line ${seen}: "${cell.slice(0, 20)}"`);
  });
  return bad;
}

/**
 * Profiles a CSV's text (a first row without any number is its header). With the job's join `key`
 * column, that column is profiled as keys (text) and its repeated keys are bad rows.
 */
export function profileCsv(text: string, key: KeyColumn | null = null): Profile {
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, text: l }))
    .filter((l) => l.text.trim().length > 0);
  if (lines.length === 0) return { header: null, rows: 0, columns: [], badRows: [], badRowCount: 0 };
  const split = splitterOf(lines[0]!.text);
  const cells = lines.map((l) => split(l.text));
  const first = cells[0]!;
  const header = key || first.every((c) => !NUMBER.test(c)) ? first : null; // a keyed table always has one
  const data = header ? lines.slice(1) : lines;
  const rows = header ? cells.slice(1) : cells;
  const width = header ? header.length : Math.max(0, ...rows.map((r) => r.length));
  const names = header ?? Array.from({ length: width }, (_, j) => `c${j + 1}`);
  const keyIndex = key ? names.indexOf(key.name) : -1;
  const columns = names.map((name, j) => {
    const cells = rows.map((r) => r[j] ?? '');
    return j === keyIndex ? keyProfile(name, cells, key!.normalise) : columnProfile(name, cells);
  });
  const repeated =
    keyIndex >= 0
      ? repeatedKeys(
          rows,
          data.map((d) => d.line),
          keyIndex,
          key!,
        )
      : new Map();

  const bad: BadRow[] = [];
  rows.forEach((r, i) => {
    const line = data[i]!.line;
    if (r.length !== width) {
      bad.push({ line, reason: `${r.length} values, the ${header ? 'header has' : 'table has'} ${width}` });
      return;
    }
    const missing = r.findIndex(isMissing);
    if (missing >= 0) {
      bad.push({ line, reason: `"${names[missing]}" is missing` });
      return;
    }
    const notNumber = r.findIndex((c, j) => j !== keyIndex && !NUMBER.test(c));
    if (notNumber >= 0) {
      bad.push({ line, reason: `"${names[notNumber]}" is not a number: "${r[notNumber]!.slice(0, 20)}"` });
      return;
    }
    const twice = repeated.get(i);
    if (twice) bad.push({ line, reason: twice });
  });
  return { header, rows: rows.length, columns, badRows: bad.slice(0, MAX_BAD_ROWS_LISTED), badRowCount: bad.length };
}
