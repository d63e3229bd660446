// A seller's table before encryption: CSV parsing (RFC 4180 quoting), typed columns with public
// bounds inferred from the data, exact scaled-integer encoding, and synthetic test rows with the
// same schema. Pure functions, used by the seller's tab and by tests.

import { ParleyError } from '../../shared/errors.js';
import type { Column } from '../../shared/market.js';
import { seededUniform } from '../../shared/random.js';

/** One published column: values are integers round(x * 10^decimals) within [min, max]. */
export type { Column };

export interface ParsedTable {
  header: string[];
  rows: string[][];
}

export interface TypedTable {
  /** Published columns: bounds rounded outward (publicBound), never the data's own extremes. */
  columns: Column[];
  /** The data's exact extremes per column: shown to the seller only, checked against edited bounds. */
  extremes: { min: number; max: number }[];
  /** Columns left out because a value is not a number, with the first offending value. */
  excluded: { name: string; example: string }[];
  /** values[c][r]: the scaled integer of row r in column c. */
  values: BigInt64Array[];
  rows: number;
}

const MAX_CSV_BYTES = 64 * 1024 * 1024;
const MAX_DECIMALS = 6;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const NUMBER = /^[+-]?(\d+)(?:\.(\d*))?$/;

/** Splits CSV text into a header and rows; quotes may hold commas, newlines and "" escapes. */
export function parseCsv(text: string): ParsedTable {
  if (text.length > MAX_CSV_BYTES)
    throw new ParleyError('ERR_TOO_LARGE', `CSV files are limited to ${MAX_CSV_BYTES} bytes`);
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') record.push(field.trim()), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field.trim());
      if (record.some((f) => f !== '')) records.push(record);
      (record = []), (field = '');
    } else field += ch;
  }
  if (quoted) throw new ParleyError('ERR_BAD_INPUT', 'the CSV ends inside a quoted field');
  record.push(field.trim());
  if (record.some((f) => f !== '')) records.push(record);
  const [header, ...rows] = records;
  if (!header || rows.length === 0)
    throw new ParleyError('ERR_BAD_INPUT', 'the CSV needs a header line and at least one row');
  for (const [i, r] of rows.entries()) {
    if (r.length !== header.length)
      throw new ParleyError('ERR_BAD_INPUT', `row ${i + 2} has ${r.length} fields; the header has ${header.length}`);
  }
  return { header: header.map(columnName), rows };
}

/** A header cell as a column name: letters, digits and _ (others become _), not starting with a digit. */
function columnName(h: string): string {
  const name = h.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64) || 'column';
  return IDENT.test(name) ? name : `_${name}`.slice(0, 64);
}

/** Types each column (int, or decimal with as many decimals as the data has, up to 6) and encodes it. */
export function typeTable(t: ParsedTable): TypedTable {
  const columns: Column[] = [];
  const extremes: TypedTable['extremes'] = [];
  const excluded: TypedTable['excluded'] = [];
  const values: BigInt64Array[] = [];
  t.header.forEach((name, c) => {
    let decimals = 0;
    const bad = t.rows.find((r) => {
      const m = NUMBER.exec(r[c]!);
      if (!m) return true;
      decimals = Math.max(decimals, (m[2] ?? '').replace(/0+$/, '').length);
      return false;
    });
    if (bad) return excluded.push({ name, example: bad[c]! });
    if (decimals > MAX_DECIMALS)
      throw new ParleyError('ERR_BAD_INPUT', `column ${name} has more than ${MAX_DECIMALS} decimals`);
    const scaled = BigInt64Array.from(t.rows, (r) => scaleExact(r[c]!, decimals));
    let lo = scaled[0]!;
    let hi = scaled[0]!;
    // biome-ignore lint/complexity/useMathMinMax: bigints, which Math.min and Math.max do not take
    for (const v of scaled) (lo = v < lo ? v : lo), (hi = v > hi ? v : hi);
    const unit = 10 ** decimals;
    const min = Number(lo) / unit;
    const max = Number(hi) / unit;
    columns.push({
      name,
      type: decimals === 0 ? 'int' : 'decimal',
      decimals,
      min: publicBound(min, 'down'),
      max: publicBound(max, 'up'),
    });
    extremes.push({ min, max });
    values.push(scaled);
  });
  if (columns.length === 0) throw new ParleyError('ERR_BAD_INPUT', 'no column holds only numbers');
  return { columns, extremes, excluded, values, rows: t.rows.length };
}

/**
 * A bound to publish for a data extreme: 0 stays 0, anything else moves outward to the next
 * power of ten (90 → 100, 1200.5 → 10000, -3 → -10, 0.25 → 1), so a listing never shows a
 * column's actual min or max. The seller may widen it further.
 */
export function publicBound(x: number, direction: 'up' | 'down'): number {
  if (x === 0) return 0;
  const outward = (direction === 'up') === x > 0;
  const m = Math.abs(x);
  const p = outward ? 10 ** Math.max(0, Math.floor(Math.log10(m)) + 1) : 0;
  return p === 0 ? 0 : Math.sign(x) * p;
}

/** Refuses bounds that do not contain the data (ERR_OUT_OF_RANGE) or are not ordered. */
export function checkBounds(col: Column, extremes: { min: number; max: number }): void {
  if (!(col.min <= extremes.min && extremes.max <= col.max)) {
    throw new ParleyError(
      'ERR_OUT_OF_RANGE',
      `${col.name}: the bounds [${col.min}, ${col.max}] must contain the data [${extremes.min}, ${extremes.max}]`,
    );
  }
}

/** round(text * 10^decimals) computed on the decimal digits, so no binary rounding creeps in. */
export function scaleExact(text: string, decimals: number): bigint {
  const m = NUMBER.exec(text.trim());
  if (!m) throw new ParleyError('ERR_BAD_INPUT', `"${text}" is not a number`);
  const frac = (m[2] ?? '').padEnd(decimals + 1, '0');
  let v = BigInt(m[1]! + frac.slice(0, decimals));
  if (frac.charCodeAt(decimals) >= 53) v += 1n; // round half away from zero on the next digit
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ParleyError('ERR_OUT_OF_RANGE', `"${text}" is too large`);
  return text.trim().startsWith('-') ? -v : v;
}

/** The integer a number encodes to in a column, refused outside the column's public bounds. */
export function encodeValue(x: number, col: Column): bigint {
  if (!Number.isFinite(x)) throw new ParleyError('ERR_BAD_INPUT', `${col.name}: ${x} is not a finite number`);
  if (x < col.min || x > col.max)
    throw new ParleyError('ERR_OUT_OF_RANGE', `${col.name}: ${x} lies outside [${col.min}, ${col.max}]`);
  return scaleExact(x.toFixed(col.decimals), col.decimals);
}

/** Synthetic rows with the same schema: uniform within each column's bounds, from a seed. */
export function syntheticValues(columns: readonly Column[], rows: number, seed: number): BigInt64Array[] {
  const next = seededUniform(seed);
  return columns.map((col) => {
    const unit = 10 ** col.decimals;
    const lo = Math.round(col.min * unit);
    const hi = Math.round(col.max * unit);
    return BigInt64Array.from({ length: rows }, () => BigInt(lo + Math.floor(next() * (hi - lo + 1))));
  });
}
