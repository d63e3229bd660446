// What a job's program receives as `input`: a hardened copy of this party's table. It is still the
// rows of numbers (`input[i][j]`, `input.length`, `input.map`, `snp.array(input, …)`) as programs
// written before named columns expect, and it reads by name where the job declares this party's
// columns (its schema): `input.col('balance')` is that column as a fresh array of numbers,
// `input.cols` the names in order, `input.rows` the rows. A name the party does not bring fails
// with ERR_SCHEMA. Nothing here is shared with the caller: rows are copied, and everything the
// program can reach (rows, names, the `col` function) is frozen (hardened once the realm is
// locked down), so a program can neither change its input for a later reader nor hang data on it.
//
// In a job that joins on a key (Job.join), the key column is text and stays out of the rows:
// `input.col(input.key)` (the key column by its name) is a fresh array of strings, normalised as
// the job says (trim, or trim + case-fold: shared/join-keys.ts), ready for
// `snp.privateJoin({ keys, values })`; `input.key` names it, `input.cols` and `input.rows` are the
// other (number) columns. (Not `input.keys()`: that is Array.prototype.keys, the row indices.) A
// missing key fails with ERR_BAD_INPUT, a key two rows share (after normalisation) with
// ERR_DUPLICATE_KEY, both naming the rows, before the program runs.

import { ParleyError } from '../../shared/errors.js';
import { type KeyNormalisation, normaliseKey } from '../../shared/join-keys.js';

/** The program's `input`: rows of numbers, readable by column name, and the join key column if any. */
export interface InputTable extends ReadonlyArray<readonly number[]> {
  readonly rows: readonly (readonly number[])[];
  /** The number columns' names (without the key column). */
  readonly cols: readonly string[];
  /** The join key column's name, or null when the job joins on no key. */
  readonly key: string | null;
  /** A number column by name, or the join key column (strings, in row order, normalised as the job says). */
  col(name: string): number[] | string[];
}

/** This party's join key column as its table holds it (raw cells in row order) and the job's normalisation. */
export interface InputKeys {
  column: string;
  values: readonly string[];
  normalise: KeyNormalisation;
}

/** Freezes deeply: with lockdown, harden (the whole reachable graph), else each level. */
function seal<T extends object>(o: T): T {
  if (typeof globalThis.harden === 'function') return harden(o);
  return Object.freeze(o);
}

/** The normalised keys of `k`, one per row; refuses a missing or repeated key naming the rows. */
function joinKeys(k: InputKeys, rows: number): string[] {
  if (!Array.isArray(k.values) || k.values.length !== rows || !k.values.every((v) => typeof v === 'string')) {
    throw new ParleyError('ERR_SHAPE', `the key column "${k.column}" must hold one text key per row (${rows} rows)`);
  }
  const first = new Map<string, number>();
  return k.values.map((raw, i) => {
    const key = normaliseKey(raw, k.normalise);
    if (key === '') throw new ParleyError('ERR_BAD_INPUT', `row ${i + 1}: the key "${k.column}" is missing`);
    const seen = first.get(key);
    if (seen !== undefined) {
      throw new ParleyError(
        'ERR_DUPLICATE_KEY',
        `rows ${seen + 1} and ${i + 1} have the same key "${k.column}" = "${key.slice(0, 40)}" (keys must be distinct)`,
      );
    }
    first.set(key, i);
    return key;
  });
}

/**
 * The table for `rows` (already checked to be finite numbers) with the columns `cols` this party
 * declared, or none (`[]`: `col` then fails), and its join `keys` where the job joins on one (the
 * key column is one of `cols`; the rows hold the others). Rows wider or narrower than the number
 * columns fail with ERR_SCHEMA.
 */
export function inputTable(
  rows: readonly (readonly number[])[],
  cols: readonly string[] | null,
  keys: InputKeys | null = null,
): InputTable {
  if (keys && !cols?.includes(keys.column)) {
    throw new ParleyError('ERR_SCHEMA', `the key column "${keys.column}" is not among this party's columns`);
  }
  const names = cols ? cols.filter((c) => c !== keys?.column) : [];
  if (cols) {
    const bad = rows.findIndex((r) => r.length !== names.length);
    if (bad >= 0) {
      throw new ParleyError(
        'ERR_SCHEMA',
        `row ${bad + 1} has ${rows[bad]!.length} values; the job declares ${names.length} columns for this party (${names.join(', ')})`,
      );
    }
  }
  const normalised = keys ? Object.freeze(joinKeys(keys, rows.length)) : null;
  const copy = rows.map((r) => Object.freeze([...r]));
  const col = (name: string): number[] | string[] => {
    if (normalised && name === keys?.column) return [...normalised];
    const j = typeof name === 'string' ? names.indexOf(name) : -1;
    if (j < 0) {
      const all = keys ? [keys.column, ...names] : names;
      const known = all.length ? `it brings ${all.join(', ')}` : 'the job declares no columns for this party';
      throw new ParleyError('ERR_SCHEMA', `input.col: no column "${String(name).slice(0, 40)}" (${known})`);
    }
    return copy.map((r) => r[j]!);
  };
  const table = [...copy];
  for (const [key, value] of [
    ['rows', copy],
    ['cols', Object.freeze(names)],
    ['key', keys?.column ?? null],
    ['col', Object.freeze(col)],
  ] as const) {
    Object.defineProperty(table, key, { value, enumerable: false });
  }
  Object.freeze(copy);
  return seal(table) as unknown as InputTable;
}
