// A local profile of a member's CSV, computed in its tab (nothing here sends anything): per column
// its type, count, missing values, min / max / mean and a small histogram, and the bad rows by
// their line number in the file (a row of the wrong width, a missing value, or text in a column of
// numbers), so the member can fix the data before it reaches a job.

/** Cells that count as missing: empty, or a usual spelling of "no value". */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '?']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Histogram bars per numeric column. */
export const HISTOGRAM_BINS = 12;
/** At most this many bad rows are listed (their total is counted). */
const MAX_BAD_ROWS_LISTED = 20;

interface ColumnProfile {
  name: string;
  /** 'number' when every present cell is a number, 'text' when one is not, 'empty' when none is present. */
  type: 'number' | 'text' | 'empty';
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

/** The delimiter of a CSV: comma, else semicolon, else tab, else runs of spaces. */
function splitterOf(firstLine: string): (line: string) => string[] {
  for (const d of [',', ';', '\t']) if (firstLine.includes(d)) return (l) => l.split(d).map((c) => c.trim());
  return (l) => l.trim().split(/\s+/);
}

const isMissing = (cell: string) => MISSING.has(cell.toLowerCase());

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
    count: present.length,
    missing: cells.length - present.length,
    min,
    max,
    mean: sum / numbers.length,
    histogram: histogram(numbers, min, max),
  };
}

/** Profiles a CSV's text (a first row without any number is its header). */
export function profileCsv(text: string): Profile {
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, text: l }))
    .filter((l) => l.text.trim().length > 0);
  if (lines.length === 0) return { header: null, rows: 0, columns: [], badRows: [], badRowCount: 0 };
  const split = splitterOf(lines[0]!.text);
  const cells = lines.map((l) => split(l.text));
  const first = cells[0]!;
  const header = first.every((c) => !NUMBER.test(c)) ? first : null;
  const data = header ? lines.slice(1) : lines;
  const rows = header ? cells.slice(1) : cells;
  const width = header ? header.length : Math.max(0, ...rows.map((r) => r.length));
  const names = header ?? Array.from({ length: width }, (_, j) => `c${j + 1}`);
  const columns = names.map((name, j) =>
    columnProfile(
      name,
      rows.map((r) => r[j] ?? ''),
    ),
  );

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
    const notNumber = r.findIndex((c) => !NUMBER.test(c));
    if (notNumber >= 0)
      bad.push({ line, reason: `"${names[notNumber]}" is not a number: "${r[notNumber]!.slice(0, 20)}"` });
  });
  return { header, rows: rows.length, columns, badRows: bad.slice(0, MAX_BAD_ROWS_LISTED), badRowCount: bad.length };
}
