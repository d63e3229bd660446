// Key serialization: the public key as JSON (base64url big-endian, key id re-derived and checked
// on import), a listing's key as that JSON plus the modulus proof bound to its seller (checked by
// every buyer, modulus-proof.ts), and the private key as a compact self-describing byte string
// (p, q, h), validated.

import { ParleyError } from '../../../shared/errors.js';
import { fromBase64Url, toBase64Url } from '../../../shared/random.js';
import { bigintToBytes, bitLength, bytesToBigint, gcd } from './bigint.js';
import { type PrivateKey, type PublicKey, privateKeyFromPrimes, publicKeyOf } from './keys.js';
import { proveModulus, verifyModulus } from './modulus-proof.js';

const MIN_MODULUS_BITS = 512;
const MAX_MODULUS_BITS = 8192;

export interface PublicKeyJson {
  n: string;
  h: string;
  bits: number;
  keyId: string;
  /** A listing's key only: the modulus proof (base64url) bound to the seller's name. */
  proof?: string;
}

/** A listing's key as published: the proof is required. */
export type ListingKeyJson = PublicKeyJson & { proof: string };

export function publicKeyToJson(pk: PublicKey): PublicKeyJson {
  return { n: toBase64Url(bigintToBytes(pk.n)), h: toBase64Url(bigintToBytes(pk.h)), bits: pk.bits, keyId: pk.keyId };
}

/** Parses and checks a public key: sizes, n odd, 1 < h < n^2 coprime to n; keyId must match n. */
export async function publicKeyFromJson(j: unknown): Promise<PublicKey> {
  const o = j as Partial<Record<keyof PublicKeyJson, unknown>> | null;
  if (
    !o ||
    typeof o !== 'object' ||
    typeof o.n !== 'string' ||
    typeof o.h !== 'string' ||
    typeof o.bits !== 'number' ||
    typeof o.keyId !== 'string'
  ) {
    throw new ParleyError('ERR_BAD_REQUEST', 'expected { n, h, bits, keyId }');
  }
  const n = canonicalInteger(o.n, 'n');
  const h = canonicalInteger(o.h, 'h');
  const bits = bitLength(n);
  if (bits !== o.bits || bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS || (n & 1n) === 0n) {
    const range = `${MIN_MODULUS_BITS}-${MAX_MODULUS_BITS}`;
    throw new ParleyError(
      'ERR_BAD_REQUEST',
      `expected an odd ${range}-bit n matching bits=${String(o.bits)}, got ${bits} bits`,
    );
  }
  if (h <= 1n || h >= n * n || gcd(h, n) !== 1n) {
    throw new ParleyError('ERR_BAD_REQUEST', 'h must lie in (1, n^2) and be coprime to n');
  }
  const pk = await publicKeyOf(n, h);
  if (pk.keyId !== o.keyId) throw new ParleyError('ERR_WRONG_KEY', `key id ${o.keyId} does not match n (${pk.keyId})`);
  return pk;
}

/** A listing's public key as published by `seller`: the key JSON with the modulus proof. */
export function listingKeyToJson(sk: PrivateKey, seller: string): ListingKeyJson {
  return { ...publicKeyToJson(sk.publicKey), proof: toBase64Url(proveModulus(sk.p, sk.q, seller)) };
}

/**
 * A listing's public key as a buyer takes it: the key JSON checked as publicKeyFromJson does, and
 * its modulus proof checked for n and `seller` before anything uses the key; ERR_BAD_KEY if the
 * proof is missing, malformed, for another n or seller, or does not hold.
 */
export async function listingKeyFromJson(j: unknown, seller: string): Promise<PublicKey> {
  const pk = await publicKeyFromJson(j);
  const text = (j as { proof?: unknown }).proof;
  if (typeof text !== 'string') throw new ParleyError('ERR_BAD_KEY', 'the listing key carries no modulus proof');
  let proof: Uint8Array;
  try {
    proof = fromBase64Url(text);
  } catch {
    throw new ParleyError('ERR_BAD_KEY', 'the modulus proof is not base64url');
  }
  verifyModulus(pk.n, proof, seller);
  return pk;
}

function canonicalInteger(text: string, name: string): bigint {
  const bytes = fromBase64Url(text);
  if (bytes.length === 0 || (bytes[0] === 0 && bytes.length > 1)) {
    throw new ParleyError('ERR_BAD_REQUEST', `${name} must be minimal big-endian base64url`);
  }
  return bytesToBigint(bytes);
}

// Private key bytes: "PPK" 0x01 (magic, version), then p, q, h each as a 4-byte big-endian
// length followed by that many big-endian bytes. Nothing else; trailing bytes are refused.
const MAGIC = [0x50, 0x50, 0x4b, 0x01];

export function privateKeyToBytes(sk: PrivateKey): Uint8Array {
  const fields = [sk.p, sk.q, sk.publicKey.h].map((x) => bigintToBytes(x));
  const out = new Uint8Array(MAGIC.length + fields.reduce((s, f) => s + 4 + f.length, 0));
  out.set(MAGIC, 0);
  let off = MAGIC.length;
  for (const f of fields) {
    new DataView(out.buffer).setUint32(off, f.length);
    out.set(f, off + 4);
    off += 4 + f.length;
  }
  return out;
}

/** Parses and validates (primality, sizes, h an n-th residue) a private key; ERR_BAD_INPUT if not. */
export async function privateKeyFromBytes(b: Uint8Array): Promise<PrivateKey> {
  if (!(b instanceof Uint8Array) || b.length < MAGIC.length || MAGIC.some((m, i) => b[i] !== m)) {
    throw new ParleyError('ERR_BAD_INPUT', 'not a Parley Paillier private key (bad magic or version)');
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const fields: bigint[] = [];
  let off = MAGIC.length;
  for (let i = 0; i < 3; i++) {
    if (off + 4 > b.length) throw new ParleyError('ERR_BAD_INPUT', 'private key bytes are truncated');
    const len = view.getUint32(off);
    if (len === 0 || len > MAX_MODULUS_BITS / 4 || off + 4 + len > b.length) {
      throw new ParleyError('ERR_BAD_INPUT', `private key field ${i} has a bad length ${len}`);
    }
    fields.push(bytesToBigint(b.subarray(off + 4, off + 4 + len)));
    off += 4 + len;
  }
  if (off !== b.length) throw new ParleyError('ERR_BAD_INPUT', `expected ${off} private key bytes, got ${b.length}`);
  const [p, q, h] = fields as [bigint, bigint, bigint];
  const bits = bitLength(p * q);
  if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
    throw new ParleyError(
      'ERR_BAD_INPUT',
      `expected a ${MIN_MODULUS_BITS}-${MAX_MODULUS_BITS}-bit modulus, got ${bits} bits`,
    );
  }
  return privateKeyFromPrimes(p, q, h);
}
