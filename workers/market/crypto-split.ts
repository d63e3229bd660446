// How the page's crypto workers (crypto-workers.ts) split work between its workers and puts the
// pieces back together: contiguous, nearly equal ranges of items; a range over several columns
// as per-column segments; per-column bytes reassembled from the workers' pieces; partial
// ciphertexts combined by one multiplication each. Pure functions (tested in Node).

import { ParleyError } from '../../shared/errors.js';

/** Items [start, end). */
export interface Range {
  start: number;
  end: number;
}

/** Items [start, end) of one column. */
export interface Segment {
  column: number;
  start: number;
  end: number;
}

/**
 * At most `parts` contiguous ranges covering [0, total), sizes differing by at most one, none
 * empty; fewer ranges when there are fewer than `minPerPart` items per part.
 */
export function splitRange(total: number, parts: number, minPerPart = 1): Range[] {
  if (!Number.isSafeInteger(total) || total < 0)
    throw new ParleyError('ERR_BAD_INPUT', `expected an item count, got ${total}`);
  if (!Number.isSafeInteger(parts) || parts < 1)
    throw new ParleyError('ERR_BAD_INPUT', `expected at least one part, got ${parts}`);
  const k = Math.max(1, Math.min(parts, Math.floor(total / Math.max(1, minPerPart)), total));
  if (total === 0) return [];
  const base = Math.floor(total / k);
  const extra = total % k;
  const out: Range[] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    out.push({ start, end });
    start = end;
  }
  return out;
}

/** The per-column pieces of a range over the columns laid end to end (column 0 first). */
export function columnSegments(lengths: readonly number[], range: Range): Segment[] {
  const out: Segment[] = [];
  let offset = 0;
  for (let column = 0; column < lengths.length; column++) {
    const len = lengths[column]!;
    const start = Math.max(range.start, offset);
    const end = Math.min(range.end, offset + len);
    if (start < end) out.push({ column, start: start - offset, end: end - offset });
    offset += len;
  }
  return out;
}

/**
 * Columns of `width`-byte items from pieces: pieces[i] holds the bytes of segments[i]
 * ((end - start) * width bytes each). Every item of every column must be covered exactly once.
 */
export function assembleColumns(
  lengths: readonly number[],
  width: number,
  segments: readonly Segment[],
  pieces: readonly Uint8Array[],
): Uint8Array[] {
  if (segments.length !== pieces.length)
    throw new ParleyError('ERR_LENGTH_MISMATCH', `${segments.length} segments but ${pieces.length} pieces`);
  const out = lengths.map((len) => new Uint8Array(len * width));
  let covered = 0;
  segments.forEach((s, i) => {
    const piece = pieces[i]!;
    const col = out[s.column];
    if (!col || s.start < 0 || s.end > lengths[s.column]! || s.start >= s.end)
      throw new ParleyError('ERR_BAD_INPUT', `segment ${i} is outside its column`);
    if (piece.length !== (s.end - s.start) * width)
      throw new ParleyError(
        'ERR_LENGTH_MISMATCH',
        `piece ${i} has ${piece.length} bytes, expected ${(s.end - s.start) * width}`,
      );
    col.set(piece, s.start * width);
    covered += s.end - s.start;
  });
  const total = lengths.reduce((a, b) => a + b, 0);
  if (covered !== total) throw new ParleyError('ERR_LENGTH_MISMATCH', `pieces cover ${covered} of ${total} items`);
  return out;
}

/** One typed array from pieces in order. */
function concatTyped<T extends Uint8Array | BigUint64Array>(pieces: readonly T[], make: (length: number) => T): T {
  const out = make(pieces.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of pieces) {
    (out as Uint8Array).set(p as Uint8Array, off);
    off += p.length;
  }
  return out;
}

/** One byte string from pieces in order. */
export const concatBytes = (pieces: readonly Uint8Array[]): Uint8Array => concatTyped(pieces, (n) => new Uint8Array(n));

/** One typed array from pieces in order (shares, plaintexts). */
export const concatBigUint64 = (pieces: readonly BigUint64Array[]): BigUint64Array =>
  concatTyped(pieces, (n) => new BigUint64Array(n));

/** The bytes of items [r.start, r.end) of `width` bytes each, as a copy (its own buffer, transferable). */
export function sliceItems(bytes: Uint8Array, width: number, r: Range): Uint8Array {
  return bytes.slice(r.start * width, r.end * width);
}

/** The number of `width`-byte items in bytes; ERR_PROTOCOL if not a whole number. */
export function itemCount(bytes: Uint8Array, width: number): number {
  if (!(bytes instanceof Uint8Array) || width < 1 || bytes.length % width !== 0) {
    throw new ParleyError('ERR_PROTOCOL', `expected a multiple of ${width} bytes, got ${bytes?.length}`);
  }
  return bytes.length / width;
}

/**
 * Combines partial homomorphic results (each Enc of a partial sum) into Enc of the total: the
 * product mod n^2, one multiplication per part. No parts gives 1 = Enc(0; 1).
 */
export function combineProducts(partials: readonly bigint[], n2: bigint): bigint {
  let acc = 1n;
  for (const c of partials) {
    if (typeof c !== 'bigint' || c < 1n || c >= n2)
      throw new ParleyError('ERR_PROTOCOL', 'a partial result is not a ciphertext in [1, n^2)');
    acc = (acc * c) % n2;
  }
  return acc;
}
