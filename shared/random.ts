// Cryptographic randomness for shares and seeds (the seeds' PRG is the engine's,
// shared/prg.ts), base64url for binary in JSON, and a small seeded generator of
// replayable (not cryptographic) test and benchmark data.

import { ParleyError } from './errors.js';

const MAX_GETRANDOM_BYTES = 65536;

/** Fills a fresh byte array from the platform CSPRNG, 64 KiB per call. */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += MAX_GETRANDOM_BYTES) {
    crypto.getRandomValues(out.subarray(off, Math.min(n, off + MAX_GETRANDOM_BYTES)));
  }
  return out;
}

/** n uniformly random elements of Z_2^64. */
export function randomRing(n: number): BigUint64Array {
  return new BigUint64Array(randomBytes(n * 8).buffer);
}

export const SEED_BYTES = 32;

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new ParleyError('ERR_BAD_REQUEST', 'expected base64url text');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * mulberry32: a small seeded generator of uniform numbers in [0, 1), for synthetic data, tests and
 * benchmarks that must be replayable. NOT cryptographic: never use it for shares, masks or keys.
 */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
