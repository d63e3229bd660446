// Hashing join keys to curve25519 points, the input of the private join's OPRF (oprf.ts).
//
// RFC 9380 ("Hashing to Elliptic Curves"), suite curve25519_XMD:SHA-512_ELL2_RO_ (section 8.5):
// expand_message_xmd (5.3.1) with SHA-512 (b = 512, r = 1024 bits), L = 48 bytes per field
// element, k = 128, two field elements u0, u1 (hash_to_field, 5.2, m = 1, p = 2^255 - 19), the
// Elligator 2 map of Appendix G.2.1 (map_to_curve_elligator2_curve25519, Z = 2, J = A = 486662,
// K = B = 1) on each, and the Montgomery-curve sum Q0 + Q1 (v^2 = u^3 + A·u^2 + u).
// The output is u(Q0 + Q1): the u-coordinate, 32 bytes little-endian, as X25519 (RFC 7748,
// section 5) takes it. Two departures, both on purpose:
// - no clear_cofactor (h_eff = 8): every scalar X25519 uses is clamped to a multiple of 8, so
//   [k]·(Q0 + Q1) = [k/8]·P with P the RFC's hash_to_curve output; the OPRF values are those of
//   the RFC's points under the key k/8, and the u-coordinate says nothing about v's sign, which
//   X25519 never needs. The known-answer tests check 8·u(Q0 + Q1) against the RFC's P.
// - the sum's coordinates are kept as fractions and all denominators of a chunk are inverted at
//   once (Montgomery's trick): two square-root exponentiations per key, one inversion per chunk.
// A batch runs in WebAssembly (hash-to-curve-wasm.ts: SHA-512, the maps, the division); the
// BigInt and @noble/hashes code here computes the same for the known-answer helpers and for the
// one case the batch hands back.
// In the (probability ~2^-250) case Q0 = -Q1 the sum is the point at infinity, encoded as u = 0,
// which the OPRF refuses as a low-order point.

import { sha512 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../shared/errors.js';
import { CHUNK, hashChunk } from './hash-to-curve-wasm.js';

/** The field prime of curve25519, 2^255 - 19. */
const P = (1n << 255n) - 19n;
const MASK = (1n << 255n) - 1n;
/** A = J of the Montgomery form, 486662; x1n = -J (G.2.1 step 4). */
const J = 486662n;
const X1N = P - J;

/** a·b mod p, canonical (< p), for a, b < 2^256: two folds by 2^255 ≡ 19. */
function mul(a: bigint, b: bigint): bigint {
  let x = a * b;
  x = (x & MASK) + 19n * (x >> 255n);
  x = (x & MASK) + 19n * (x >> 255n);
  return x >= P ? x - P : x;
}
const add = (a: bigint, b: bigint) => (a + b >= P ? a + b - P : a + b);
const sub = (a: bigint, b: bigint) => (a >= b ? a - b : a - b + P);

function squareTimes(x: bigint, times: number): bigint {
  for (let i = 0; i < times; i++) x = mul(x, x);
  return x;
}

/** z^((p-5)/8) = z^(2^252 - 3), the addition chain of ref10's fe_pow22523. */
function pow22523(z: bigint): bigint {
  const z2 = mul(z, z);
  const z9 = mul(squareTimes(z2, 2), z);
  const z11 = mul(z9, z2);
  const z5 = mul(mul(z11, z11), z9); // z^(2^5 - 1)
  const z10 = mul(squareTimes(z5, 5), z5);
  const z20 = mul(squareTimes(z10, 10), z10);
  const z40 = mul(squareTimes(z20, 20), z20);
  const z50 = mul(squareTimes(z40, 10), z10);
  const z100 = mul(squareTimes(z50, 50), z50);
  const z200 = mul(squareTimes(z100, 100), z100);
  const z250 = mul(squareTimes(z200, 50), z50); // z^(2^250 - 1)
  return mul(squareTimes(z250, 2), z);
}

/** z^-1 = z^(p - 2) = (z^(2^252 - 3))^8 · z^3. */
function invert(z: bigint): bigint {
  return mul(squareTimes(pow22523(z), 3), mul(mul(z, z), z));
}

/** c3 = sqrt(-1) = 2^((p-1)/4), c2 = 2^((p+3)/8) (RFC 9380 G.2.1 constants). */
const C3 = mul(mul(pow22523(2n), pow22523(2n)), 2n); // 2^(2·(p-5)/8 + 1)
const C2 = mul(pow22523(2n), 2n); // 2^((p-5)/8 + 1)

const L = 48;
const Z_PAD = new Uint8Array(128);

function bigFromBE(bytes: Uint8Array): bigint {
  let hex = '0x';
  for (const b of bytes) hex += (b < 16 ? '0' : '') + b.toString(16);
  return BigInt(hex);
}

/** DST_prime = DST || I2OSP(len(DST), 1); RFC 9380 refuses a DST longer than 255 bytes. */
function dstPrime(dst: Uint8Array): Uint8Array {
  if (dst.length === 0 || dst.length > 255) {
    throw new ParleyError('ERR_BAD_INPUT', `hash-to-curve DST is ${dst.length} bytes; expected 1 to 255`);
  }
  const out = new Uint8Array(dst.length + 1);
  out.set(dst);
  out[dst.length] = dst.length;
  return out;
}

type Sha512 = ReturnType<typeof sha512.create>;

/**
 * RFC 9380 expand_message_xmd(msg, DST, 48·count) with SHA-512 (count 2 for RO, 1 for NU), from
 * DST_prime; `padded` is SHA-512 after the Z_pad block, which is the same for every key.
 */
function expandXmd(msg: Uint8Array, dstP: Uint8Array, padded: Sha512, count: 1 | 2): Uint8Array {
  const b0 = padded
    .clone()
    .update(msg)
    .update(Uint8Array.of(0, L * count, 0))
    .update(dstP)
    .digest();
  const b1 = sha512.create().update(b0).update(Uint8Array.of(1)).update(dstP).digest();
  if (count === 1) return b1.subarray(0, L);
  const mix = new Uint8Array(64);
  for (let i = 0; i < 64; i++) mix[i] = (b0[i] as number) ^ (b1[i] as number);
  const b2 = sha512.create().update(mix).update(Uint8Array.of(2)).update(dstP).digest();
  const uniform = new Uint8Array(2 * L);
  uniform.set(b1);
  uniform.set(b2.subarray(0, 2 * L - 64), 64);
  return uniform;
}

/** RFC 9380 hash_to_field: OS2IP of each 48-byte slice mod p. */
function hashToFieldWith(msg: Uint8Array, dstP: Uint8Array, padded: Sha512, count: 1 | 2): bigint[] {
  const uniform = expandXmd(msg, dstP, padded, count);
  return Array.from({ length: count }, (_, i) => bigFromBE(uniform.subarray(L * i, L * (i + 1))) % P);
}

/** RFC 9380 hash_to_field(msg, count) with this suite's parameters (exported for the KATs). */
export function hashToField(msg: Uint8Array, dst: Uint8Array, count: 1 | 2): bigint[] {
  return hashToFieldWith(msg, dstPrime(dst), sha512.create().update(Z_PAD), count);
}

/** A point of curve25519 as (xn / xd, y). */
interface MapOutput {
  xn: bigint;
  xd: bigint;
  y: bigint;
}

/** RFC 9380 G.2.1 map_to_curve_elligator2_curve25519(u) in BigInt (CMOVs as branches). */
export function mapToCurveElligator2(u: bigint): MapOutput {
  const tv1 = mul(2n, mul(u, u)); // 1-2. tv1 = 2·u^2
  const xd = add(tv1, 1n); // 3. nonzero: -1/2 is not a square mod p
  const xd2 = mul(xd, xd); // 5
  const gxd = mul(xd2, xd); // 6. gxd = xd^3
  const gx1 = mul(add(mul(mul(J, tv1), X1N), xd2), X1N); // 4, 7-10
  const gxd2 = mul(gxd, gxd); // 11
  const tv3 = mul(mul(gxd2, gxd), gx1); // 13-14. gx1·gxd^3
  const y11 = mul(pow22523(mul(mul(gxd2, gxd2), tv3)), tv3); // 12, 15-17
  const y1 = mul(mul(y11, y11), gxd) === gx1 ? y11 : mul(y11, C3); // 18-22
  const y21 = mul(mul(y11, u), C2); // 24-25
  const gx2 = mul(gx1, tv1); // 27
  const y2 = mul(mul(y21, y21), gxd) === gx2 ? y21 : mul(y21, C3); // 26, 28-31
  const e3 = mul(mul(y1, y1), gxd) === gx1; // 32-34
  const xn = e3 ? X1N : mul(X1N, tv1); // 23, 35
  let y = e3 ? y1 : y2; // 36
  const e4 = (y & 1n) === 1n; // 37. sgn0(y)
  if (e3 !== e4) y = y === 0n ? 0n : P - y; // 38
  return { xn, xd, y };
}

/**
 * u(Q0 + Q1) as a fraction (num / den) on v^2 = u^3 + J·u^2 + u: chord through the two points,
 * the tangent when they coincide, and 0 / 1 (the point at infinity) when Q0 = -Q1.
 */
function sumU(q0: MapOutput, q1: MapOutput): [bigint, bigint] {
  const dx = sub(mul(q1.xn, q0.xd), mul(q0.xn, q1.xd)); // (x1 - x0)·xd0·xd1
  const d01 = mul(q0.xd, q1.xd);
  if (dx === 0n) {
    if (q0.y !== q1.y || q0.y === 0n) return [0n, 1n];
    // λ = (3x^2 + 2Jx + 1) / 2y with x = xn / xd: λ = (3xn^2 + 2J·xn·xd + xd^2) / (2y·xd^2)
    const { xn, xd, y } = q0;
    const ln = add(add(mul(3n, mul(xn, xn)), mul(2n * J, mul(xn, xd))), mul(xd, xd));
    const ld = mul(mul(2n, y), mul(xd, xd));
    // u = λ^2 - J - 2x = (ln^2·xd - (J·xd + 2xn)·ld^2) / (ld^2·xd)
    const ld2 = mul(ld, ld);
    return [sub(mul(mul(ln, ln), xd), mul(add(mul(J, xd), mul(2n, xn)), ld2)), mul(ld2, xd)];
  }
  // λ = (y1 - y0)·xd0·xd1 / dx; u = λ^2 - J - x0 - x1
  const ln = mul(sub(q1.y, q0.y), d01);
  const dx2 = mul(dx, dx);
  const rest = add(add(mul(J, d01), mul(q0.xn, q1.xd)), mul(q1.xn, q0.xd)); // (J + x0 + x1)·d01
  return [sub(mul(mul(ln, ln), d01), mul(rest, dx2)), mul(dx2, d01)];
}

/** u(map(u0) + map(u1)) in BigInt: the RO output for the keys the batch flags (x0 = x1). */
export function sumOfMaps(u0: bigint, u1: bigint): bigint {
  const [num, den] = sumU(mapToCurveElligator2(u0), mapToCurveElligator2(u1));
  return mul(num, invert(den));
}

function writeLE(out: Uint8Array, offset: number, x: bigint): void {
  for (let i = 0; i < 32; i++) {
    out[offset + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

function hashBatch(keys: readonly Uint8Array[], dst: Uint8Array, variant: 'ro' | 'nu'): Uint8Array {
  const dstP = dstPrime(dst);
  const padded = sha512.create().update(Z_PAD);
  const out = new Uint8Array(32 * keys.length);
  for (let start = 0; start < keys.length; start += CHUNK) {
    const m = Math.min(CHUNK, keys.length - start);
    const { points, flagged } = hashChunk(keys.slice(start, start + m), dstP, variant);
    out.set(points, 32 * start);
    for (const i of flagged) {
      const [u0, u1] = hashToFieldWith(keys[start + i] as Uint8Array, dstP, padded, 2) as [bigint, bigint];
      writeLE(out, 32 * (start + i), sumOfMaps(u0, u1));
    }
  }
  return out;
}

/**
 * The u-coordinates of Q0 + Q1 for each key (RFC 9380 curve25519_XMD:SHA-512_ELL2_RO_ before the
 * cofactor; see the header), n × 32 bytes little-endian. `dst`: 1 to 255 bytes, one per join.
 */
export function hashToCurve(keys: readonly Uint8Array[], dst: Uint8Array): Uint8Array {
  return hashBatch(keys, dst, 'ro');
}

/**
 * The u-coordinates of Q = map_to_curve(hash_to_field(key, 1)) for each key: RFC 9380
 * encode_to_curve of curve25519_XMD:SHA-512_ELL2_NU_ before the cofactor, n × 32 bytes. Half the
 * work of hashToCurve, but a nonuniform encoding (about half the points are reachable), not a
 * random oracle: measured by bench/join-prf.ts for comparison, not used by the join.
 */
export function encodeToCurve(keys: readonly Uint8Array[], dst: Uint8Array): Uint8Array {
  return hashBatch(keys, dst, 'nu');
}
