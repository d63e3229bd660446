// The job setting "number range" (issue 15) as members see it: which ring a program job runs in,
// standard (Z_2^64) or wide (Z_2^128), and the largest float64 input magnitude each allows
// (securenumpy/values.ts's inputBound at the engine's default fractional bits), as short text for
// the proposal form and the job card, and the owner's own check of its table against it.

import { ParleyError } from '../../shared/errors.js';
import type { JobRing } from '../../shared/protocol.js';
import { ringOf } from '../../shared/rings.js';
import { DEFAULT_FRAC_BITS, inputBound } from '../securenumpy/values.js';

const RANGE_NAMES: Record<JobRing, string> = { 64: 'standard', 128: 'wide' };

/** Largest float64 input magnitude (exclusive) in `ring` with `fracBits` fractional bits. */
function rangeBound(ring: JobRing, fracBits = DEFAULT_FRAC_BITS): number {
  return inputBound(fracBits, ringOf(ring));
}

/** A bound as people write it: 32,768 below a million, else 1.4·10^14. */
function shortNumber(b: number): string {
  if (b < 1e6) return b.toLocaleString('en-US');
  const e = Math.floor(Math.log10(b));
  return `${(b / 10 ** e).toFixed(1)}·10^${e}`;
}

/** "standard |x| < 32,768" or "wide |x| < 1.4·10^14" (at 16 fractional bits). */
export function rangeText(ring: JobRing, fracBits = DEFAULT_FRAC_BITS): string {
  return `${RANGE_NAMES[ring]} |x| < ${shortNumber(rangeBound(ring, fracBits))}`;
}

/**
 * The owner's check of its table before it is shared, as `snp.array(input)` will see it: a table
 * of whole numbers is int64 (safe integers), any other table float64 within the job's range.
 * Refuses with ERR_OUT_OF_RANGE naming the row (counted from 1, the header not counted) and the
 * column (its header name when there is one), and pointing at the wide range when it would fit.
 */
export function checkTableRange(rows: readonly (readonly number[])[], ring: JobRing, header?: readonly string[]): void {
  const whole = rows.every((r) => r.every((v) => Number.isInteger(v)));
  const bound = whole ? Number.MAX_SAFE_INTEGER + 1 : rangeBound(ring);
  rows.forEach((row, i) =>
    row.forEach((v, j) => {
      if (Math.abs(v) < bound) return;
      const column = header?.[j] ? `column ${j + 1} ("${header[j]}")` : `column ${j + 1}`;
      const kind = whole ? 'whole numbers (int64) up to 2^53' : `the job's number range (${rangeText(ring)})`;
      const wider =
        !whole && ring === 64 && Math.abs(v) < rangeBound(128)
          ? `; propose the job with the wide number range (${rangeText(128)})`
          : '';
      throw new ParleyError('ERR_OUT_OF_RANGE', `row ${i + 1}, ${column}: ${v} is outside ${kind}${wider}`);
    }),
  );
}
