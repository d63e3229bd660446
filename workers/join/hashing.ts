// Three bin positions for a pseudorandom 64-bit key word under a public 128-bit seed, shared by
// cuckoo hashing (cuckoo.ts: a key's candidate bins) and the OKVS (okvs.ts: a key's table cells).
// The key words come from SHA-256 bin digests or the KDF, so they are already uniform; the seed only
// has to give an independent placement when a table is retried, which murmur3's fmix32
// finaliser over the key and seed words does. Positions are public structure, not secrets.

/** murmur3's 32-bit finaliser. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform index in [0, range) from a 32-bit value (multiply-shift). */
const scale = (x: number, range: number) => Math.floor((x / 4294967296) * range);

/**
 * The three positions of a key given as two 32-bit words (lo, hi) under `seed` (4 words):
 * with `distinct`, three different positions of [0, range) (range ≥ 3); otherwise three
 * independent ones (they may coincide). Written into out[0..3).
 */
export function positions3(
  lo: number,
  hi: number,
  seed: Uint32Array,
  range: number,
  distinct: boolean,
  out: Int32Array,
): void {
  const a = fmix32(lo ^ seed[0]!);
  const b = fmix32(hi ^ seed[1]! ^ a);
  const c = fmix32(a ^ seed[2]! ^ Math.imul(b, 0x9e3779b1));
  const d = fmix32(b ^ seed[3]! ^ c);
  if (!distinct) {
    out[0] = scale(b, range);
    out[1] = scale(c, range);
    out[2] = scale(d, range);
    return;
  }
  const p0 = scale(b, range);
  let p1 = scale(c, range - 1);
  if (p1 >= p0) p1++;
  let p2 = scale(d, range - 2);
  const [x, y] = p0 < p1 ? [p0, p1] : [p1, p0];
  if (p2 >= x) p2++;
  if (p2 >= y) p2++;
  out[0] = p0;
  out[1] = p1;
  out[2] = p2;
}
