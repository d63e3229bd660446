// What a job's program receives as `input`: a hardened copy of this party's table. It is still the
// rows of numbers (`input[i][j]`, `input.length`, `input.map`, `snp.array(input, …)`) as programs
// written before named columns expect, and it reads by name where the job declares this party's
// columns (its schema): `input.col('balance')` is that column as a fresh array of numbers,
// `input.cols` the names in order, `input.rows` the rows. A name the party does not bring fails
// with ERR_SCHEMA. Nothing here is shared with the caller: rows are copied, and everything the
// program can reach (rows, names, the `col` function) is frozen (hardened once the realm is
// locked down), so a program can neither change its input for a later reader nor hang data on it.

import { ParleyError } from '../../shared/errors.js';

/** The program's `input`: rows of numbers, readable by column name. */
export interface InputTable extends ReadonlyArray<readonly number[]> {
  readonly rows: readonly (readonly number[])[];
  readonly cols: readonly string[];
  col(name: string): number[];
}

/** Freezes deeply: with lockdown, harden (the whole reachable graph), else each level. */
function seal<T extends object>(o: T): T {
  if (typeof globalThis.harden === 'function') return harden(o);
  return Object.freeze(o);
}

/**
 * The table for `rows` (already checked to be finite numbers) with the columns `cols` this party
 * declared, or none (`[]`: `col` then fails). Rows wider or narrower than `cols` fail with ERR_SCHEMA.
 */
export function inputTable(rows: readonly (readonly number[])[], cols: readonly string[] | null): InputTable {
  const names = cols ? [...cols] : [];
  if (cols) {
    const bad = rows.findIndex((r) => r.length !== names.length);
    if (bad >= 0) {
      throw new ParleyError(
        'ERR_SCHEMA',
        `row ${bad + 1} has ${rows[bad]!.length} values; the job declares ${names.length} columns for this party (${names.join(', ')})`,
      );
    }
  }
  const copy = rows.map((r) => Object.freeze([...r]));
  const col = (name: string): number[] => {
    const j = typeof name === 'string' ? names.indexOf(name) : -1;
    if (j < 0) {
      const known = names.length ? `it brings ${names.join(', ')}` : 'the job declares no columns for this party';
      throw new ParleyError('ERR_SCHEMA', `input.col: no column "${String(name).slice(0, 40)}" (${known})`);
    }
    return copy.map((r) => r[j]!);
  };
  const table = [...copy];
  for (const [key, value] of [
    ['rows', copy],
    ['cols', Object.freeze(names)],
    ['col', Object.freeze(col)],
  ] as const) {
    Object.defineProperty(table, key, { value, enumerable: false });
  }
  Object.freeze(copy);
  return seal(table) as unknown as InputTable;
}
