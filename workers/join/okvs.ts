// The OKVS (oblivious key-value store) B programs and A decodes: a 3-hash XOR table, PaXoS's
// "garbled cuckoo table" without the dense part (Pinkas, Rosulek, Trieu, Yanai, "PSI from PaXoS:
// fast, malicious private set intersection", EUROCRYPT 2020; Garimella, Pinkas, Rosulek, Trieu,
// Yanai, "Oblivious key-value stores and amplification for private set intersection", CRYPTO
// 2021, §4: random 3-hypergraphs peel when the table has more than 1.222 cells per key).
//
// PARAMETERS. N keys (B pads to exactly N = 3·n_B with random dummy keys, so nothing depends on
// how many distinct candidate bins its keys have), S = ⌈1.3·N⌉ + 16 cells of w words each; a
// key's three distinct cells come from hashing.ts on its two position words (KDF words, kdf.ts)
// under a public seed. decode(key) = T[p0] ⊕ T[p1] ⊕ T[p2]. Encoding peels the hypergraph
// (repeatedly take a cell of degree 1, whose key is then fixed by it), fills every cell with
// random words, and assigns the peeled keys' free cells in reverse order so each key decodes to
// its value. If peeling leaves a 2-core the seed is retried (at most MAX_SEEDS; failure at
// 1.3·N is rare and decreases with N). Cells no key fixes stay random, so a key that was not
// programmed decodes to a value independent of the programmed values (given that they are
// pseudorandom, as the KDF pads make them).

import { ParleyError } from '../../shared/errors.js';
import { randomRing } from '../../shared/random.js';
import { randomSeed } from './cuckoo.js';
import { positions3 } from './hashing.js';

const MAX_SEEDS = 64;

/** Cells of a table for N keys: ⌈1.3·N⌉ + 16 (a function of N only). */
export function okvsSize(n: number): number {
  return Math.ceil(1.3 * n) + 16;
}

/** The cells of each key (2 position words each, as 64-bit words: lo, hi 32 bits), 3 per key. */
function cellsOf(keys: BigUint64Array, seed: Uint32Array, size: number): Int32Array {
  const words = new Uint32Array(keys.buffer, keys.byteOffset, keys.length * 2);
  const out = new Int32Array(3 * keys.length);
  const one = new Int32Array(3);
  for (let i = 0; i < keys.length; i++) {
    positions3(words[2 * i]!, words[2 * i + 1]!, seed, size, true, one);
    out.set(one, 3 * i);
  }
  return out;
}

/** The order keys peel in with the cell that fixes each, or null if a 2-core remains. */
function peel(cells: Int32Array, n: number, size: number): { order: Int32Array; free: Int32Array } | null {
  const degree = new Int32Array(size);
  const edges = new Int32Array(size); // XOR of the incident keys' indices
  for (let e = 0; e < n; e++)
    for (let h = 0; h < 3; h++) {
      const c = cells[3 * e + h]!;
      degree[c]!++;
      edges[c]! ^= e;
    }
  const stack = new Int32Array(size);
  let top = 0;
  for (let c = 0; c < size; c++) if (degree[c] === 1) stack[top++] = c;
  const order = new Int32Array(n);
  const free = new Int32Array(n);
  let done = 0;
  while (top > 0) {
    const c = stack[--top]!;
    if (degree[c] !== 1) continue;
    const e = edges[c]!;
    order[done] = e;
    free[done++] = c;
    for (let h = 0; h < 3; h++) {
      const d = cells[3 * e + h]!;
      degree[d]!--;
      edges[d]! ^= e;
      if (degree[d] === 1) stack[top++] = d;
    }
  }
  return done === n ? { order, free } : null;
}

/**
 * A table of `size` cells of w words in which key i (keys[i], its position words) decodes to
 * values[w·i .. w·i + w), and its seed; seeds are retried while peeling fails.
 */
export function okvsEncode(
  keys: BigUint64Array,
  values: BigUint64Array,
  w: number,
  size: number = okvsSize(keys.length),
  nextSeed: () => Uint32Array = randomSeed,
): { seed: Uint32Array; table: BigUint64Array } {
  const n = keys.length;
  if (values.length !== n * w || size < 3)
    throw new ParleyError('ERR_INTERNAL', 'okvsEncode needs w words per key and at least 3 cells');
  for (let attempt = 0; attempt < MAX_SEEDS; attempt++) {
    const seed = nextSeed();
    const cells = cellsOf(keys, seed, size);
    const peeled = peel(cells, n, size);
    if (!peeled) continue;
    const table = randomRing(size * w);
    const { order, free } = peeled;
    for (let k = n - 1; k >= 0; k--) {
      const e = order[k]!;
      const c = free[k]!;
      const [p0, p1, p2] = [cells[3 * e]!, cells[3 * e + 1]!, cells[3 * e + 2]!];
      const [x, y] = p0 === c ? [p1, p2] : p1 === c ? [p0, p2] : [p0, p1];
      for (let j = 0; j < w; j++) table[c * w + j] = values[e * w + j]! ^ table[x * w + j]! ^ table[y * w + j]!;
    }
    return { seed, table };
  }
  throw new ParleyError('ERR_INTERNAL', `the OKVS could not be encoded under ${MAX_SEEDS} seeds`);
}

/** The w words each key decodes to from `table` (cells of w words) under `seed`. */
export function okvsDecode(table: BigUint64Array, w: number, seed: Uint32Array, keys: BigUint64Array): BigUint64Array {
  const size = table.length / w;
  const cells = cellsOf(keys, seed, size);
  const out = new BigUint64Array(keys.length * w);
  for (let i = 0; i < keys.length; i++) {
    const [p0, p1, p2] = [cells[3 * i]! * w, cells[3 * i + 1]! * w, cells[3 * i + 2]! * w];
    for (let j = 0; j < w; j++) out[i * w + j] = table[p0 + j]! ^ table[p1 + j]! ^ table[p2 + j]!;
  }
  return out;
}
