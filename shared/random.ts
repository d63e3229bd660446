// Cryptographic randomness for shares and seeds, and a seeded PRG (AES-256-CTR via WebCrypto,
// present in browsers, workers and Node 20) that expands a 32-byte seed into ring elements.

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

/**
 * Expands a 32-byte seed into `words` ring elements: AES-256-CTR keystream with the seed as
 * key and a zero counter block. One seed names one stream; callers slice it, never reuse it.
 */
export async function expandSeed(seed: Uint8Array, words: number): Promise<BigUint64Array> {
  if (seed.length !== SEED_BYTES) {
    throw new ParleyError('ERR_BAD_REQUEST', `expected a ${SEED_BYTES}-byte seed, got ${seed.length} bytes`);
  }
  const key = await crypto.subtle.importKey('raw', seed as BufferSource, 'AES-CTR', false, ['encrypt']);
  const zeros = new Uint8Array(words * 8);
  const stream = await crypto.subtle.encrypt(
    { name: 'AES-CTR', counter: new Uint8Array(16), length: 64 },
    key,
    zeros,
  );
  return new BigUint64Array(stream);
}

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
