// Z_2^64 kernels on BigUint64Array used by every protocol: element-wise ring ops and the matrix product secure matmul spends its time in.

import { ParleyError } from './errors.js';

/*
 * Why plain BigInt code is fast here: V8's optimising compiler (Node 20, Chrome) lowers BigInt
 * +, -, * to native 64-bit integer instructions when every result is truncated to 64 bits,
 * and a store into a BigUint64Array is such a truncation (it wraps mod 2^64). So
 * `out[i] = a[i] * b[i]` allocates nothing once hot. Measured (bench/ring-kernels.ts), that
 * beats every limb design on V8, so the element-wise kernels and ringMatmul use it;
 * ringMatmulPortable keeps a limb kernel that needs only int32/float64 arithmetic, for
 * engines without that lowering. Variable BigInt shifts are not lowered: shiftRightLogical
 * works on 32-bit words.
 */

/** True where the platform stores the low 32-bit word of a 64-bit element first. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

// ---- input checks ----------------------------------------------------------------------

function ringArray(x: unknown, name: string): BigUint64Array {
  if (!(x instanceof BigUint64Array)) {
    throw new ParleyError(
      'ERR_DTYPE',
      `expected ${name} to be a BigUint64Array, got ${Object.prototype.toString.call(x)}`,
    );
  }
  return x;
}

function sameLength(a: BigUint64Array, b: BigUint64Array): void {
  ringArray(a, 'a');
  ringArray(b, 'b');
  if (a.length !== b.length) {
    throw new ParleyError('ERR_LENGTH_MISMATCH', `expected equal lengths, got ${a.length} and ${b.length}`);
  }
}

function scalar(s: unknown): bigint {
  if (typeof s !== 'bigint') throw new ParleyError('ERR_DTYPE', `expected a bigint scalar, got ${typeof s}`);
  return BigInt.asUintN(64, s);
}

function dim(x: number, name: string): void {
  if (!Number.isSafeInteger(x) || x < 0)
    throw new ParleyError('ERR_SHAPE', `expected ${name} to be a non-negative integer, got ${x}`);
}

function checkMatmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): void {
  ringArray(a, 'a');
  ringArray(b, 'b');
  dim(m, 'm');
  dim(k, 'k');
  dim(n, 'n');
  if (a.length !== m * k)
    throw new ParleyError('ERR_SHAPE', `expected a of length m·k = ${m}·${k} = ${m * k}, got ${a.length}`);
  if (b.length !== k * n)
    throw new ParleyError('ERR_SHAPE', `expected b of length k·n = ${k}·${n} = ${k * n}, got ${b.length}`);
}

// ---- element-wise (every BigUint64Array store wraps mod 2^64) -----------------------------

/** a + b mod 2^64, element-wise. */
export function add(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  sameLength(a, b);
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}

/** a − b mod 2^64, element-wise (a negative difference wraps on the store). */
export function sub(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  sameLength(a, b);
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** a · b mod 2^64, element-wise. */
export function mul(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  sameLength(a, b);
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * b[i]!;
  return out;
}

/** −a mod 2^64, element-wise. */
export function neg(a: BigUint64Array): BigUint64Array {
  ringArray(a, 'a');
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = -a[i]!;
  return out;
}

/** a · s mod 2^64 for a bigint s (any sign or size; taken mod 2^64). */
export function mulScalar(a: BigUint64Array, s: bigint): BigUint64Array {
  ringArray(a, 'a');
  const t = scalar(s);
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * t;
  return out;
}

/** a + s mod 2^64 for a bigint s (any sign or size; taken mod 2^64). */
export function addScalar(a: BigUint64Array, s: bigint): BigUint64Array {
  ringArray(a, 'a');
  const t = scalar(s);
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + t;
  return out;
}

/** The top bit of each element (1n where a ≥ 2^63, the sign of a two's complement value). */
export function msb(a: BigUint64Array): BigUint64Array {
  ringArray(a, 'a');
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! >> 63n;
  return out;
}

/** Σ a_i·b_i mod 2^64. */
export function dot1(a: BigUint64Array, b: BigUint64Array): bigint {
  sameLength(a, b);
  let s = 0n;
  for (let i = 0; i < a.length; i++) s = BigInt.asUintN(64, s + a[i]! * b[i]!);
  return s;
}

// ---- 32-bit word views ---------------------------------------------------------------------

/** The 32-bit words of x, low word first: a view on little-endian platforms, else a copy. */
function wordsOf(x: BigUint64Array): Int32Array {
  if (LITTLE_ENDIAN) return new Int32Array(x.buffer, x.byteOffset, 2 * x.length);
  const w = new Int32Array(2 * x.length);
  for (let i = 0; i < x.length; i++) {
    w[2 * i] = Number(x[i]! & 0xffffffffn);
    w[2 * i + 1] = Number(x[i]! >> 32n);
  }
  return w;
}

/** The ring elements whose words (low first) are w; takes over w's buffer. */
function fromWords(w: Int32Array): BigUint64Array {
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < w.length; i += 2) [w[i], w[i + 1]] = [w[i + 1]!, w[i]!];
  }
  return new BigUint64Array(w.buffer, w.byteOffset, w.length / 2);
}

/** a >> bits as unsigned 64-bit values, element-wise, for an integer 0 ≤ bits ≤ 64. */
export function shiftRightLogical(a: BigUint64Array, bits: number): BigUint64Array {
  ringArray(a, 'a');
  if (!Number.isInteger(bits) || bits < 0 || bits > 64) {
    throw new ParleyError('ERR_BAD_REQUEST', `expected a shift of 0 to 64 bits, got ${bits}`);
  }
  if (bits === 0) return a.slice();
  const x = wordsOf(a);
  const w = new Int32Array(x.length);
  if (bits < 32) {
    // JS shift counts are taken mod 32, hence bits = 0 handled above.
    for (let i = 0; i < x.length; i += 2) {
      w[i] = (x[i]! >>> bits) | (x[i + 1]! << (32 - bits));
      w[i + 1] = x[i + 1]! >>> bits;
    }
  } else if (bits < 64) {
    for (let i = 0; i < x.length; i += 2) w[i] = x[i + 1]! >>> (bits - 32);
  }
  return fromWords(w);
}

// ---- matrix product --------------------------------------------------------------------

/**
 * Row-major (m×k)·(k×n) → m×n mod 2^64, any k. Rows of a go two at a time and k four at a
 * time, so each pass over the inner loop reads four rows of b once and updates two output
 * rows with eight multiply-adds; all loads are contiguous, so b needs no transpose.
 */
export function ringMatmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  checkMatmul(a, b, m, k, n);
  const out = new BigUint64Array(m * n);
  let i = 0;
  for (; i + 1 < m; i += 2) rowPair(a, b, out, i, k, n);
  if (i < m) rowSingle(a, b, out, i, k, n);
  return out;
}

/** Output rows i and i+1: out[i..i+1][·] = a[i..i+1][·]·b. */
function rowPair(a: BigUint64Array, b: BigUint64Array, out: BigUint64Array, i: number, k: number, n: number): void {
  const o0 = i * n;
  const o1 = o0 + n;
  const a0 = i * k;
  const a1 = a0 + k;
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const x0 = a[a0 + p]!,
      x1 = a[a0 + p + 1]!,
      x2 = a[a0 + p + 2]!,
      x3 = a[a0 + p + 3]!;
    const y0 = a[a1 + p]!,
      y1 = a[a1 + p + 1]!,
      y2 = a[a1 + p + 2]!,
      y3 = a[a1 + p + 3]!;
    const r0 = p * n,
      r1 = r0 + n,
      r2 = r1 + n,
      r3 = r2 + n;
    for (let j = 0; j < n; j++) {
      const v0 = b[r0 + j]!,
        v1 = b[r1 + j]!,
        v2 = b[r2 + j]!,
        v3 = b[r3 + j]!;
      out[o0 + j] = out[o0 + j]! + (x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3);
      out[o1 + j] = out[o1 + j]! + (y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3);
    }
  }
  for (; p < k; p++) {
    const x = a[a0 + p]!,
      y = a[a1 + p]!,
      r = p * n;
    for (let j = 0; j < n; j++) {
      const v = b[r + j]!;
      out[o0 + j] = out[o0 + j]! + x * v;
      out[o1 + j] = out[o1 + j]! + y * v;
    }
  }
}

/** Output row i alone (the last row when m is odd). */
function rowSingle(a: BigUint64Array, b: BigUint64Array, out: BigUint64Array, i: number, k: number, n: number): void {
  const o = i * n;
  for (let p = 0; p < k; p++) {
    const x = a[i * k + p]!,
      r = p * n;
    for (let j = 0; j < n; j++) out[o + j] = out[o + j]! + x * b[r + j]!;
  }
}

// ---- portable matrix product (int32 and float64 only) ------------------------------------

/**
 * Terms of k summed in float64 before the carry is read off; see addChunk for the bound.
 * Exported for the tests, which need a k above it.
 */
export const PORTABLE_CHUNK = 512;
const TWO32 = 4294967296;

/**
 * The same product as ringMatmul with no BigInt arithmetic, for engines that do not lower
 * 64-bit BigInt operations (on V8 it is about 3× slower than ringMatmul). Each element is
 * split into 32-bit words, a = aL + 2^32·aH, and
 *   a·b mod 2^64 = aL·bL + 2^32·(aL·bH + aH·bL) mod 2^64   (aH·bH·2^64 vanishes).
 * The cross terms matter only mod 2^32, so Math.imul sums them exactly in wrapping int32.
 * The 64-bit sum X = Σ aL·bL gets its low word exactly from Σ imul(aL, bL) and its high word
 * from a float64 sum that is within 2^30 of X (addChunk). Tiles are 2×2 outputs; m and n
 * are padded to even with zero rows and columns.
 */
export function ringMatmulPortable(
  a: BigUint64Array,
  b: BigUint64Array,
  m: number,
  k: number,
  n: number,
): BigUint64Array {
  checkMatmul(a, b, m, k, n);
  const mp = m + (m & 1);
  const np = n + (n & 1);
  const A = padRows(wordsOf(a), m, mp, k);
  const B = transposeWords(wordsOf(b), k, n, np);
  const O = new Int32Array(2 * mp * np);
  for (let i = 0; i < mp; i += 2) {
    for (let j = 0; j < np; j += 2) tile(A, B, O, i, j, k, np);
  }
  return fromWords(unpad(O, mp, np, m, n));
}

/** The m×k word matrix w with zero rows added up to mp rows. */
function padRows(w: Int32Array, m: number, mp: number, k: number): Int32Array {
  if (mp === m) return w;
  const p = new Int32Array(2 * mp * k);
  p.set(w);
  return p;
}

/** The transpose (np×k, zero rows past n) of the k×n word matrix w. */
function transposeWords(w: Int32Array, k: number, n: number, np: number): Int32Array {
  const t = new Int32Array(2 * np * k);
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) {
      t[2 * (j * k + p)] = w[2 * (p * n + j)]!;
      t[2 * (j * k + p) + 1] = w[2 * (p * n + j) + 1]!;
    }
  }
  return t;
}

/** The top-left m×n words of the mp×np word matrix O. */
function unpad(O: Int32Array, mp: number, np: number, m: number, n: number): Int32Array {
  if (mp === m && np === n) return O;
  const w = new Int32Array(2 * m * n);
  for (let i = 0; i < m; i++) w.set(O.subarray(2 * i * np, 2 * (i * np + n)), 2 * i * n);
  return w;
}

/** Outputs (i..i+1, j..j+1): dot products of rows i, i+1 of A with rows j, j+1 of B (= b^T). */
function tile(A: Int32Array, B: Int32Array, O: Int32Array, i: number, j: number, k: number, np: number): void {
  const ra = 2 * i * k,
    rd = ra + 2 * k,
    rb = 2 * j * k,
    rc = rb + 2 * k;
  const o0 = 2 * (i * np + j),
    o1 = o0 + 2 * np;
  for (let k0 = 0; k0 < k; k0 += PORTABLE_CHUNK) {
    const end = 2 * Math.min(k, k0 + PORTABLE_CHUNK);
    let l00 = 0,
      h00 = 0,
      f00 = 0,
      l01 = 0,
      h01 = 0,
      f01 = 0;
    let l10 = 0,
      h10 = 0,
      f10 = 0,
      l11 = 0,
      h11 = 0,
      f11 = 0;
    for (let p = 2 * k0; p < end; p += 2) {
      const aL = A[ra + p]!,
        aH = A[ra + p + 1]!,
        dL = A[rd + p]!,
        dH = A[rd + p + 1]!;
      const bL = B[rb + p]!,
        bH = B[rb + p + 1]!,
        cL = B[rc + p]!,
        cH = B[rc + p + 1]!;
      // The words are read as int32; >>> 0 gives their unsigned value for the float sums.
      const aF = aL >>> 0,
        dF = dL >>> 0,
        bF = bL >>> 0,
        cF = cL >>> 0;
      l00 = (l00 + Math.imul(aL, bL)) | 0;
      h00 = (h00 + Math.imul(aL, bH) + Math.imul(aH, bL)) | 0;
      f00 += aF * bF;
      l01 = (l01 + Math.imul(aL, cL)) | 0;
      h01 = (h01 + Math.imul(aL, cH) + Math.imul(aH, cL)) | 0;
      f01 += aF * cF;
      l10 = (l10 + Math.imul(dL, bL)) | 0;
      h10 = (h10 + Math.imul(dL, bH) + Math.imul(dH, bL)) | 0;
      f10 += dF * bF;
      l11 = (l11 + Math.imul(dL, cL)) | 0;
      h11 = (h11 + Math.imul(dL, cH) + Math.imul(dH, cL)) | 0;
      f11 += dF * cF;
    }
    addChunk(O, o0, l00, h00, f00);
    addChunk(O, o0 + 2, l01, h01, f01);
    addChunk(O, o1, l10, h10, f10);
    addChunk(O, o1 + 2, l11, h11, f11);
  }
}

/**
 * Adds one chunk's sum into the output element at words w, w+1. The chunk has X = Σ aL·bL
 * over at most PORTABLE_CHUNK = 2^9 terms, each below 2^64, so X < 2^73; lo is X mod 2^32
 * (as int32) and f the float64 sum. Recursive summation errs by at most about
 * (terms+1)·2^-53·Σ|terms| ≤ 513·2^-53·2^73 < 2^29.01, and f − lo rounds by at most 2^20,
 * so (f − lo)/2^32 lies within 1/4 of the integer q = (X − lo)/2^32 and Math.round finds it.
 * The chunk adds lo + 2^32·(q + hi) mod 2^64. Stores into Int32Array wrap mod 2^32 exactly
 * for any integral double, and every sum below stays under 2^53.
 */
function addChunk(O: Int32Array, w: number, lo: number, hi: number, f: number): void {
  const l = lo >>> 0;
  const q = Math.round((f - l) / TWO32);
  const s = (O[w]! >>> 0) + l;
  O[w] = s;
  O[w + 1] = O[w + 1]! + hi + q + (s >= TWO32 ? 1 : 0);
}
