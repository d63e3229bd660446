// The online two-party protocols on shares in Z_2^64 or Z_2^128 (Wire.ring): opening, Beaver
// products, fixed-point truncation, matrix products with matrix triples, AND of XOR-shared bits
// (low bits of ring-width triples) and bits to arithmetic shares at ring width (the packed
// boolean protocols for comparisons are in protocols-bool.ts). Each posts its
// messages under the caller's key, so protocols run by independent operations in the same turn
// share one round.
//
// TRUNCATION by s bits (s = f after a fixed-point product; other shifts where a public factor
// carries more fractional bits). Party 0 adds 2^62, so the shared value x' = x + 2^62 is known to
// lie in [0, 2^63) whenever |x| < 2^62 − 2^s. Each party shifts its own share: the shares wrapped
// around 2^64 iff either share's top bit is set (as x' < 2^63), so wrap = m0 + m1 − m0·m1, and
// Σ(x'_i >> s) − wrap·2^(64−s) = ⌊x'/2^s⌋ − carry with carry ∈ {0, 1} (from the low bits of the
// shares). Party 0 also adds 2^s first, which centres that error: the result differs from x/2^s by
// at most one unit in its last place, and it never fails while |x| < 2^62 − 2^s (no failure
// probability, unlike truncating shares locally). Both modes work this way; only where the bit
// products come from differs (OT dealer-free, seeds and a correction from a dealer). In Z_2^128
// (truncateWide) the same with 2^126, bit 127 and 2^(128−s): |x| < 2^126 − 2^s, the bit
// products' z at ring width (from the dealer; the wide ring has no dealer-free mode yet).
// The product m0·m1 of the parties' top bits comes from a bit product (α, z0 | β, z1 with
// z0 + z1 = αβ, one OT in preprocessing): party 0 sends e0 = m0 ⊕ α, party 1 e1 = m1 ⊕ β, packed
// 64 to a word. As m0 = α(1 − 2e0) + e0 and m1 = β(1 − 2e1) + e1,
//   m0·m1 = (1−2e0)(1−2e1)·αβ + (1−2e0)e1·α + e0(1−2e1)·β + e0e1,
// so party 0 takes (1−2e0)(1−2e1)·z0 + (1−2e0)e1·α + e0e1 and party 1 (1−2e0)(1−2e1)·z1 +
// e0(1−2e1)·β. What is opened (e0 and e1) is uniformly random and independent of x: α
// and β are uniform bits used once.

import { ParleyError } from '../../shared/errors.js';
import type { Ring } from '../../shared/rings.js';
import type { BitProducts, MatrixTriple, TripleShares } from './correlations.js';
import type { Exchange } from './exchange.js';
import type { TruncMaterial } from './preprocessing.js';

export interface Wire {
  party: 0 | 1;
  ex: Exchange;
  /** The session's ring (shares are ring.words words per element). */
  ring: Ring;
}

export function concat(parts: readonly BigUint64Array[]): BigUint64Array {
  const out = new BigUint64Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export async function takeWords(w: Wire, key: number, n: number): Promise<BigUint64Array> {
  const v = await w.ex.take(key);
  if (!(v instanceof BigUint64Array) || v.length !== n)
    throw new ParleyError('ERR_PROTOCOL', `expected ${n} ring elements from the peer`);
  return v;
}

/** Both parties learn x = x0 + x1. */
async function open(w: Wire, key: number, share: BigUint64Array): Promise<BigUint64Array> {
  w.ex.post(key, share);
  return w.ring.add(share, await takeWords(w, key, share.length));
}

/** Both parties learn the XOR of their bit shares. */
async function openBits(w: Wire, key: number, share: BigUint64Array): Promise<BigUint64Array> {
  w.ex.post(key, share);
  const theirs = await takeWords(w, key, share.length);
  const out = new BigUint64Array(share.length);
  for (let i = 0; i < out.length; i++) out[i] = (share[i]! ^ theirs[i]!) & 1n;
  return out;
}

function spend(t: TripleShares): void {
  t.a.fill(0n);
  t.b.fill(0n);
  t.c.fill(0n);
}

/** Shares of x·y element-wise (no truncation). One round. */
export async function beaverMul(
  w: Wire,
  key: number,
  x: BigUint64Array,
  y: BigUint64Array,
  t: TripleShares,
): Promise<BigUint64Array> {
  const n = x.length;
  if (y.length !== n || t.a.length !== n)
    throw new ParleyError('ERR_INTERNAL', 'beaverMul needs equal lengths and n triples');
  const de = await open(w, key, w.ring.beaverMask(x, y, t.a, t.b));
  const z = w.ring.beaverCombine(w.party, de, t.a, t.b, t.c);
  spend(t);
  return z;
}

/** Shares of ⌊x / 2^shift⌉ (see the header for the error and range). One round. */
export async function truncate(
  w: Wire,
  key: number,
  x: BigUint64Array,
  shift: number,
  m: TruncMaterial,
): Promise<BigUint64Array> {
  if (!Number.isInteger(shift) || shift < 1 || shift > w.ring.bits - 3)
    throw new ParleyError('ERR_INTERNAL', `cannot truncate by ${shift} bits`);
  if (w.ring.bits === 128) return truncateWide(w, key, x, shift, m);
  const F = BigInt(shift);
  // Party 0 adds 2^62 (so x' lies in [0, 2^63)) and 2^shift (one unit of the result, centring the carry).
  const xp = w.party === 0 ? w.ring.addScalar(x, (1n << 62n) + (1n << F)) : x;
  const top = 1n << (64n - F);
  const centre = w.party === 0 ? 1n << (62n - F) : 0n;
  const out = new BigUint64Array(x.length);
  const mine = w.ring.shiftRightLogical(xp, 63); // this party's top bit m_i
  const prod = await topBitProduct(w, key, mine, m.bits);
  const shifted = w.ring.shiftRightLogical(xp, shift);
  for (let i = 0; i < out.length; i++) out[i] = shifted[i]! - (mine[i]! - prod[i]!) * top - centre;
  return out;
}

/**
 * The same in Z_2^128: party 0 adds 2^126 + 2^shift, so x' lies in [0, 2^127) while
 * |x| < 2^126 − 2^shift; the top bit is bit 127 (the high word's bit 63) and the wrap is taken
 * off at 2^(128−shift). The bit products' z are ring elements (two words each).
 */
async function truncateWide(
  w: Wire,
  key: number,
  x: BigUint64Array,
  shift: number,
  m: TruncMaterial,
): Promise<BigUint64Array> {
  const { ring } = w;
  const F = BigInt(shift);
  const xp = w.party === 0 ? ring.addScalar(x, (1n << 126n) + (1n << F)) : x;
  const n = x.length / 2;
  const mine = new BigUint64Array(n);
  for (let i = 0; i < n; i++) mine[i] = xp[2 * i + 1]! >> 63n;
  const prod = await topBitProductWide(w, key, mine, m.bits);
  // (m_i − prod_i) as ring elements, then its multiple of 2^(128−shift).
  const minus = new BigUint64Array(2 * n);
  for (let i = 0; i < n; i++) minus[2 * i] = mine[i]!;
  const wrap = ring.mulScalar(ring.sub(minus, prod), 1n << (128n - F));
  const out = ring.sub(ring.shiftRightLogical(xp, shift), wrap);
  return w.party === 0 ? ring.addScalar(out, -(1n << (126n - F))) : out;
}

/** Opens e_i = m_i ⊕ α_i both ways (one packed bit per value); returns [e0, e1] in party order. */
async function openMaskedBits(
  w: Wire,
  key: number,
  mine: BigUint64Array,
  alpha: BigUint64Array,
): Promise<[BigUint64Array, BigUint64Array]> {
  const n = mine.length;
  const masked = new BigUint64Array(n);
  for (let i = 0; i < n; i++) masked[i] = mine[i]! ^ alpha[i]!;
  w.ex.post(key, packBits(masked));
  const theirs = unpackBits(await takeWords(w, key, Math.ceil(n / 64)), n);
  return w.party === 0 ? [masked, theirs] : [theirs, masked];
}

/** Shares of m0·m1 for bits m0 (party 0) and m1 (party 1), spending bit products. One round. */
async function topBitProduct(w: Wire, key: number, mine: BigUint64Array, bp: BitProducts): Promise<BigUint64Array> {
  const n = mine.length;
  if (bp.mine.length !== n || bp.z.length !== n)
    throw new ParleyError('ERR_INTERNAL', 'truncation needs one bit product per value');
  const [e0, e1] = await openMaskedBits(w, key, mine, bp.mine);
  const out = new BigUint64Array(n);
  for (let i = 0; i < n; i++) {
    const s0 = 1n - 2n * e0[i]!; // ±1; every store below wraps mod 2^64
    const s1 = 1n - 2n * e1[i]!;
    const shared = s0 * s1 * bp.z[i]!;
    out[i] = w.party === 0 ? shared + s0 * e1[i]! * bp.mine[i]! + e0[i]! * e1[i]! : shared + e0[i]! * s1 * bp.mine[i]!;
  }
  bp.mine.fill(0n);
  bp.z.fill(0n);
  return out;
}

/**
 * Shares (ring elements) of m0·m1 for bits m0 (party 0) and m1 (party 1), one bit product each,
 * in either ring: truncation's wrap product, and B2A by bit products (math-core.ts). One round.
 */
export function bitProduct(w: Wire, key: number, mine: BigUint64Array, bp: BitProducts): Promise<BigUint64Array> {
  return w.ring.words === 2 ? topBitProductWide(w, key, mine, bp) : topBitProduct(w, key, mine, bp);
}

/** topBitProduct in Z_2^128: the same masked bits, with the z of the bit products two words each. */
async function topBitProductWide(w: Wire, key: number, mine: BigUint64Array, bp: BitProducts): Promise<BigUint64Array> {
  const n = mine.length;
  if (bp.mine.length !== n || bp.z.length !== 2 * n)
    throw new ParleyError('ERR_INTERNAL', 'truncation needs one bit product per value');
  const [e0, e1] = await openMaskedBits(w, key, mine, bp.mine);
  // (1−2e0)(1−2e1) is ±1 (a ring element); the public part is 0 or ±1 at party 0, 0 or ±1 at 1.
  const ALL = 0xffffffffffffffffn;
  const sign = new BigUint64Array(2 * n);
  const rest = new BigUint64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const s0 = 1n - 2n * e0[i]!;
    const s1 = 1n - 2n * e1[i]!;
    const sg = s0 * s1;
    sign[2 * i] = sg === 1n ? 1n : ALL;
    sign[2 * i + 1] = sg === 1n ? 0n : ALL;
    const r = w.party === 0 ? s0 * e1[i]! * bp.mine[i]! + e0[i]! * e1[i]! : e0[i]! * s1 * bp.mine[i]!;
    rest[2 * i] = r & ALL;
    rest[2 * i + 1] = r < 0n ? ALL : 0n;
  }
  const out = w.ring.add(w.ring.mul(sign, bp.z), rest);
  bp.mine.fill(0n);
  bp.z.fill(0n);
  return out;
}

/** Bits (one per word, 0n or 1n) packed 64 to a word: bit i at position i mod 64 of word ⌊i/64⌋. */
export function packBits(bits: BigUint64Array): BigUint64Array {
  const halves = new Uint32Array(2 * Math.ceil(bits.length / 64));
  for (let i = 0; i < bits.length; i++) halves[i >>> 5]! |= Number(bits[i]! & 1n) << (i & 31);
  const out = new BigUint64Array(halves.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = BigInt(halves[2 * k]!) | (BigInt(halves[2 * k + 1]!) << 32n);
  return out;
}

/** The first n bits of packed words, one per word. */
export function unpackBits(words: BigUint64Array, n: number): BigUint64Array {
  const out = new BigUint64Array(n);
  for (let k = 0; k < words.length; k++) {
    const lo = Number(words[k]! & 0xffffffffn);
    const hi = Number(words[k]! >> 32n);
    for (let j = 0; j < 64 && 64 * k + j < n; j++) out[64 * k + j] = BigInt(((j < 32 ? lo : hi) >>> (j & 31)) & 1);
  }
  return out;
}

export interface MatmulPart {
  x: BigUint64Array;
  y: BigUint64Array;
  m: number;
  k: number;
  n: number;
  triple: MatrixTriple;
}

/** Shares of X·Y for each part (a batch of matrix products), all in one round. */
export async function matmulShares(w: Wire, key: number, parts: readonly MatmulPart[]): Promise<BigUint64Array[]> {
  const { add, sub, ringMatmul } = w.ring;
  const masked = parts.flatMap((p) => [sub(p.x, p.triple.A), sub(p.y, p.triple.B)]);
  const opened = await open(w, key, concat(masked));
  let off = 0;
  return parts.map((p) => {
    const W = w.ring.words;
    const D = opened.subarray(off, off + W * p.m * p.k);
    off += W * p.m * p.k;
    const E = opened.subarray(off, off + W * p.k * p.n);
    off += W * p.k * p.n;
    const { A, B, C } = p.triple;
    // Party 0: D·(B + E) + A·E + C; party 1: D·B + A·E + C (the D·E term once).
    const left = ringMatmul(D, w.party === 0 ? add(B, E) : B, p.m, p.k, p.n);
    const out = add(add(left, ringMatmul(A, E, p.m, p.k, p.n)), C);
    A.fill(0n);
    B.fill(0n);
    C.fill(0n);
    return out;
  });
}

/**
 * AND of XOR-shared bits (one per word, 0n or 1n), with the low bits of arithmetic triples (bit 0
 * of each element's low word: the low bits of c0 + c1 are the XOR of the shares' low bits). One
 * round; returns one bit per word.
 */
export async function andBits(
  w: Wire,
  key: number,
  u: BigUint64Array,
  v: BigUint64Array,
  t: TripleShares,
): Promise<BigUint64Array> {
  const n = u.length;
  const W = w.ring.words;
  if (v.length !== n || t.a.length !== W * n)
    throw new ParleyError('ERR_INTERNAL', 'andBits needs equal lengths and one triple per bit');
  const mine = new BigUint64Array(2 * n);
  for (let i = 0; i < n; i++) {
    mine[i] = (u[i]! ^ t.a[W * i]!) & 1n;
    mine[n + i] = (v[i]! ^ t.b[W * i]!) & 1n;
  }
  const de = await openBits(w, key, mine);
  const out = new BigUint64Array(n);
  for (let i = 0; i < n; i++) {
    const d = de[i]!;
    const e = de[n + i]!;
    let z = (t.c[W * i]! ^ (d & t.b[W * i]!) ^ (e & t.a[W * i]!)) & 1n;
    if (w.party === 0) z ^= d & e;
    out[i] = z;
  }
  spend(t);
  return out;
}

/**
 * Arithmetic shares (ring elements) of XOR-shared bits (one per word): u0 ⊕ u1 = u0 + u1 −
 * 2·u0·u1, the product by Beaver with party 0's bits as x and party 1's as y. One round, one
 * triple per bit.
 */
export async function bitsToArithmetic(
  w: Wire,
  key: number,
  u: BigUint64Array,
  t: TripleShares,
): Promise<BigUint64Array> {
  const { ring } = w;
  const mine = new BigUint64Array(ring.words * u.length);
  for (let i = 0; i < u.length; i++) mine[ring.words * i] = u[i]! & 1n;
  const zero = new BigUint64Array(mine.length);
  const prod = await beaverMul(w, key, w.party === 0 ? mine : zero, w.party === 0 ? zero : mine, t);
  return ring.sub(mine, ring.mulScalar(prod, 2n));
}

/** Hands out consecutive slices of a block of triples (ring elements, `words` words each). */
export function tripleSupply(t: TripleShares, words: number): (n: number) => TripleShares {
  let off = 0;
  return (n) => {
    if (off + n > t.a.length / words)
      throw new ParleyError('ERR_INTERNAL', `needed more than ${t.a.length / words} triples`);
    const [from, to] = [words * off, words * (off + n)];
    off += n;
    return { a: t.a.subarray(from, to), b: t.b.subarray(from, to), c: t.c.subarray(from, to) };
  };
}
