// Join keys as the private join hashes them: one canonical UTF-8 byte string per row, so that
// both parties turn "Alice@Example.com " and "alice@example.com" (or 42 and "42") into the same
// bytes exactly when the job's schema says they are the same key. Refuses what cannot be a key
// and duplicates within one party (a duplicate would make the join ambiguous), naming rows
// (counted from 1, as a table shows them) and never values: keys are private.
//
// Normalisation, in this order:
// 1. An integer (a JavaScript number that is a safe integer) becomes its decimal string
//    (`String(n)`: 42 → "42", -7 → "-7", -0 → "0"); any other number is refused.
// 2. Unicode NFC (`String.prototype.normalize('NFC')`), always: a composed and a decomposed "é"
//    are one key.
// 3. `trim`: `String.prototype.trim()` (Unicode White_Space and line terminators at both ends).
// 4. `caseFold`: `String.prototype.toLowerCase()` (Unicode default lowercase mapping, locale
//    independent: "İ" → "i̇", "ẞ" → "ß"; not full case folding, so "ß" and "ss" stay apart),
//    then NFC again.
// Refused with ERR_BAD_INPUT: not a string or number, a number that is not a safe integer, a
// string with a lone surrogate (it has no UTF-8 encoding), empty after normalisation, or longer
// than MAX_KEY_BYTES in UTF-8. Refused with ERR_DUPLICATE_KEY: two rows with the same normalised
// key.

import { ParleyError } from '../../shared/errors.js';

/** The longest key, in UTF-8 bytes after normalisation. */
export const MAX_KEY_BYTES = 256;

/** How keys are compared: the job's schema picks these for both parties. */
export interface KeyOptions {
  /** Strip leading and trailing white space. */
  trim: boolean;
  /** Compare case-insensitively (lowercase after NFC). */
  caseFold: boolean;
}

const LONE_SURROGATE = /\p{Cs}/u;
const utf8 = new TextEncoder();

/** The normalised text of one key; throws ERR_BAD_INPUT naming its row (counted from 1). */
function normaliseOne(key: unknown, row: number, options: KeyOptions): string {
  let text: string;
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) {
      throw new ParleyError('ERR_BAD_INPUT', `join key at row ${row} is a number but not a safe integer`);
    }
    text = String(key);
  } else if (typeof key === 'string') {
    if (LONE_SURROGATE.test(key)) {
      throw new ParleyError('ERR_BAD_INPUT', `join key at row ${row} has a lone surrogate (not valid Unicode)`);
    }
    text = key.normalize('NFC');
  } else {
    throw new ParleyError(
      'ERR_BAD_INPUT',
      `join key at row ${row} is of type ${key === null ? 'null' : typeof key}; expected a string or an integer`,
    );
  }
  if (options.trim) text = text.trim();
  if (options.caseFold) text = text.toLowerCase().normalize('NFC');
  if (text.length === 0) throw new ParleyError('ERR_BAD_INPUT', `join key at row ${row} is empty`);
  return text;
}

/**
 * The UTF-8 bytes of each key after normalisation (see the header), in row order.
 * @example normaliseKeys([' A@x.org', 42], { trim: true, caseFold: true }) // bytes of "a@x.org", "42"
 */
export function normaliseKeys(keys: readonly unknown[], options: KeyOptions): Uint8Array[] {
  const firstRow = new Map<string, number>();
  const out: Uint8Array[] = [];
  for (let row = 0; row < keys.length; row++) {
    const text = normaliseOne(keys[row], row + 1, options);
    const bytes = utf8.encode(text);
    if (bytes.length > MAX_KEY_BYTES) {
      throw new ParleyError(
        'ERR_BAD_INPUT',
        `join key at row ${row + 1} is ${bytes.length} bytes in UTF-8; at most ${MAX_KEY_BYTES}`,
      );
    }
    const earlier = firstRow.get(text);
    if (earlier !== undefined) {
      throw new ParleyError('ERR_DUPLICATE_KEY', `rows ${earlier + 1} and ${row + 1} have the same join key`);
    }
    firstRow.set(text, row);
    out.push(bytes);
  }
  return out;
}
