// Native-BigInt arithmetic the Paillier code shares: bit lengths, fast big-endian byte
// conversion (via hex), modular inverse and gcd, and uniform sampling from the platform CSPRNG.

import { ParleyError } from '../../../shared/errors.js';
import { randomBytes } from '../../../shared/random.js';

const HEX_OF_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Number of bits in |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < 0n) x = -x;
  return x === 0n ? 0 : x.toString(2).length;
}

/** Big-endian bytes of a non-negative x: minimal length (0 -> one zero byte) or exactly `width`. */
export function bigintToBytes(x: bigint, width?: number): Uint8Array {
  const hexLength = x < 0n ? 0 : x.toString(16).length;
  const out = new Uint8Array(width ?? Math.max(1, Math.ceil(hexLength / 2)));
  writeBigint(x, out, 0, out.length);
  return out;
}

/** Writes x big-endian into out[offset, offset + width); ERR_OUT_OF_RANGE if it does not fit. */
export function writeBigint(x: bigint, out: Uint8Array, offset: number, width: number): void {
  if (x < 0n) throw new ParleyError('ERR_OUT_OF_RANGE', 'expected a non-negative integer');
  const hex = x.toString(16);
  const len = (hex.length + 1) >> 1;
  if (len > width) throw new ParleyError('ERR_OUT_OF_RANGE', `expected at most ${width} bytes, got ${len}`);
  out.fill(0, offset, offset + width - len);
  let pos = offset + width - len;
  let i = 0;
  if (hex.length % 2) out[pos++] = nibble(hex.charCodeAt(i++));
  for (; i < hex.length; i += 2) out[pos++] = (nibble(hex.charCodeAt(i)) << 4) | nibble(hex.charCodeAt(i + 1));
}

function nibble(code: number): number {
  return code <= 57 ? code - 48 : code - 87; // '0'-'9', 'a'-'f'
}

/** The non-negative integer whose big-endian bytes these are (empty -> 0). */
export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX_OF_BYTE[bytes[i]!];
  return BigInt(`0x${hex}`);
}

/** x mod m in [0, m). */
export function mod(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** a^-1 mod m by the extended Euclidean algorithm; ERR_PROTOCOL when a is not invertible. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const qt = oldR / r;
    [oldR, r] = [r, oldR - qt * r];
    [oldS, s] = [s, oldS - qt * s];
  }
  if (oldR !== 1n) throw new ParleyError('ERR_PROTOCOL', 'value is not invertible modulo the key');
  return mod(oldS, m);
}

/** Uniform integer in [0, 2^bits) from crypto.getRandomValues. */
export function randomBits(bits: number): bigint {
  if (!Number.isInteger(bits) || bits < 0) throw new ParleyError('ERR_BAD_INPUT', `expected a bit count, got ${bits}`);
  if (bits === 0) return 0n;
  const bytes = randomBytes(Math.ceil(bits / 8));
  const extra = bytes.length * 8 - bits;
  bytes[0] = bytes[0]! & (0xff >> extra);
  return bytesToBigint(bytes);
}

/** Uniform integer in [0, bound) by rejection sampling (expected < 2 draws). */
export function randomBelow(bound: bigint): bigint {
  if (bound <= 0n) throw new ParleyError('ERR_BAD_INPUT', 'expected a positive bound');
  const bits = bitLength(bound - 1n);
  for (;;) {
    const x = randomBits(bits);
    if (x < bound) return x;
  }
}
