// The private join's oblivious PRF: F(x) = [k]·H(x) on curve25519, H = hash-to-curve.ts, keyed by
// party B's secret scalar k, computed with WebCrypto's X25519 (RFC 7748, section 5: Montgomery
// ladder over p = 2^255 - 19, A = 486662, base-point order l = 2^252 +
// 27742317777372353535851937790883648493, cofactor 8; scalars clamped to 8·[2^251, 2^252)).
// The DH-OPRF of Jarecki, Kiayias, Krawczyk and Xu (ASIACRYPT 2014 / Meadows 1986), semi-honest:
//   B: F(b) = X25519(k, H(b)) on its own keys (OprfKey.evaluate), no traffic.
//   A: blinds with one random clamped scalar R per join, sends X25519(R, H(a)) (OprfBlinding.blind);
//      B answers X25519(k, ·) (OprfKey.evaluate); A unblinds with X25519(S, ·) (OprfBlinding.unblind)
//      where S ≡ R^-1 (mod l). X25519 clamps every scalar, so S must itself be clamped: S = 8t with
//      t ≡ R^-1·8^-1 (mod l) in [2^251, 2^252); create() redraws R until that holds (about every
//      second draw). Then [S][k][R]H = [k]·[SR mod l]·([8]-cleared H) = [k]H, because every clamped
//      scalar is a multiple of 8 and after the first one the point lies in the order-l subgroup.
// What each side learns: B sees [R]H(a_i), uniformly random points of the subgroup independent of
// the keys (DDH, H a random oracle), so nothing beyond their number; A sees [k][R]H(a_i) and learns
// only F(a_i), which is pseudorandom on keys B does not hold.
// A peer's point that drives X25519 to the all-zero output (a low-order point, RFC 7748 section 6.1)
// is refused with ERR_PROTOCOL; so is a point buffer that is not a whole number of 32-byte points.

import { ParleyError } from '../../shared/errors.js';

/** The order of curve25519's prime-order subgroup. */
const ORDER = (1n << 252n) + 27742317777372353535851937790883648493n;
const POINT = 32;
/** X25519 operations in flight at once (a sliding window): WebCrypto runs them off the calling thread. */
const CONCURRENCY = 512;
/** PKCS #8 PrivateKeyInfo for an X25519 key (RFC 8410), before the 32 scalar bytes. */
const PKCS8_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x6e,
  0x04,
  0x22,
  0x04,
  0x20,
);
const ALGORITHM = { name: 'X25519' } as const;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  for (; exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
  }
  return result;
}

const INV8 = modPow(8n, ORDER - 2n, ORDER);

function leToBig(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i] as number);
  return x;
}

function bigToLE(x: bigint, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/** RFC 7748 decodeScalar25519 on 32 random bytes, in place. */
function clamp(scalar: Uint8Array): Uint8Array {
  scalar[0] = (scalar[0] as number) & 248;
  scalar[31] = ((scalar[31] as number) & 127) | 64;
  return scalar;
}

/** A non-extractable X25519 private key holding exactly `scalar` (clamped); wipes `scalar`. */
async function importScalar(scalar: Uint8Array): Promise<CryptoKey> {
  const der = new Uint8Array(PKCS8_PREFIX.length + POINT);
  der.set(PKCS8_PREFIX);
  der.set(scalar, PKCS8_PREFIX.length);
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['deriveBits']);
  } finally {
    der.fill(0);
    scalar.fill(0);
  }
}

async function multiplyOne(key: CryptoKey, points: Uint8Array, i: number, out: Uint8Array): Promise<void> {
  const subtle = globalThis.crypto.subtle;
  const lowOrder = () => new ParleyError('ERR_PROTOCOL', `point ${i} is a low-order point (X25519 output all zero)`);
  let bits: ArrayBuffer;
  try {
    const peer = await subtle.importKey('raw', points.slice(POINT * i, POINT * (i + 1)), ALGORITHM, false, []);
    bits = await subtle.deriveBits({ name: 'X25519', public: peer }, key, 8 * POINT);
  } catch (e) {
    // WebCrypto throws OperationError instead of returning the all-zero secret.
    if (e instanceof DOMException && e.name === 'OperationError') throw lowOrder();
    throw e;
  }
  const u = new Uint8Array(bits);
  if (u.every((b) => b === 0)) throw lowOrder();
  out.set(u, POINT * i);
}

/** X25519(key, ·) on each 32-byte point of `points`, CONCURRENCY operations in flight. */
async function multiplyAll(key: CryptoKey, points: Uint8Array): Promise<Uint8Array> {
  if (points.length % POINT !== 0) {
    throw new ParleyError('ERR_PROTOCOL', `a point buffer of ${points.length} bytes is not whole 32-byte points`);
  }
  const n = points.length / POINT;
  const out = new Uint8Array(points.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < n && !failed) {
      const i = next++;
      try {
        await multiplyOne(key, points, i, out);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, lane));
  return out;
}

/** B's OPRF key k: evaluates F on its own hashed keys and on A's blinded points. */
export class OprfKey {
  private constructor(private readonly key: CryptoKey) {}

  /** A fresh random key (one per join). */
  static async create(): Promise<OprfKey> {
    return new OprfKey(await importScalar(clamp(globalThis.crypto.getRandomValues(new Uint8Array(POINT)))));
  }

  /** [k]·point for each 32-byte u-coordinate (n × 32 bytes in, n × 32 out). */
  evaluate(points: Uint8Array): Promise<Uint8Array> {
    return multiplyAll(this.key, points);
  }
}

/** A's blinding R and its clamped inverse S (one pair per join). */
export class OprfBlinding {
  private constructor(
    private readonly blinding: CryptoKey,
    private readonly unblinding: CryptoKey,
  ) {}

  /** Draws R until S = 8·(R^-1·8^-1 mod l) is a clamped scalar (see the header). */
  static async create(): Promise<OprfBlinding> {
    for (;;) {
      const r = clamp(globalThis.crypto.getRandomValues(new Uint8Array(POINT)));
      const t = (modPow(leToBig(r) % ORDER, ORDER - 2n, ORDER) * INV8) % ORDER;
      if (t < 1n << 251n || t >= 1n << 252n) continue;
      const s = new Uint8Array(POINT);
      bigToLE(8n * t, s);
      return new OprfBlinding(await importScalar(r), await importScalar(s));
    }
  }

  /** [R]·H for each hashed key: what A sends to B. */
  blind(points: Uint8Array): Promise<Uint8Array> {
    return multiplyAll(this.blinding, points);
  }

  /** [S]·([k][R]H) = [k]H = F for each of B's answers. */
  unblind(points: Uint8Array): Promise<Uint8Array> {
    return multiplyAll(this.unblinding, points);
  }
}
