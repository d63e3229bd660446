// Paillier known answers: textbook (1+n)^m r^n mod n^2 and paillier-bigint agree with our
// encryption and decryption both ways; key ids, JSON and private-key bytes round trip; one real
// 2048-bit WebCrypto key.

import { createHash } from 'node:crypto';
import * as paillier from 'paillier-bigint';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bigintToBytes,
  bitLength,
  decrypt,
  decryptRaw,
  encrypt,
  encryptWith,
  generateKeys,
  HolderRandomness,
  modInverse,
  modPow,
  type PrivateKey,
  privateKeyFromBytes,
  privateKeyFromPrimes,
  privateKeyToBytes,
  publicKeyFromJson,
  publicKeyToJson,
} from '../../../../workers/market/paillier/index.js';
import { P256, Q256 } from '../keys.js';

/** Textbook Paillier with g = n + 1 by plain square-and-multiply, independent of our modPow. */
function textbookEncrypt(n: bigint, m: bigint, r: bigint): bigint {
  const n2 = n * n;
  const pow = (b: bigint, e: bigint) => {
    let acc = 1n;
    for (b %= n2; e > 0n; e >>= 1n, b = (b * b) % n2) if (e & 1n) acc = (acc * b) % n2;
    return acc;
  };
  return (pow(n + 1n, m) * pow(r, n)) % n2;
}

let sk: PrivateKey;
beforeAll(async () => {
  sk = await privateKeyFromPrimes(P256, Q256);
});

describe('Paillier known answers', () => {
  it('matches the textbook formula on a tiny key for every plaintext', async () => {
    const tiny = await privateKeyFromPrimes(11n, 13n);
    const n = 143n;
    expect(tiny.publicKey.n).toBe(n);
    for (const r of [2n, 23n, 142n]) {
      for (let m = 0n; m < n; m++) {
        const c = encryptWith(tiny.publicKey, m, modPow(r, n, n * n));
        expect(c).toBe(textbookEncrypt(n, m, r));
        expect(decryptRaw(tiny, c)).toBe(m);
      }
    }
    // one pinned value: (1 + 42*143) * 23^143 mod 143^2
    expect(encryptWith(tiny.publicKey, 42n, modPow(23n, n, n * n))).toBe(textbookEncrypt(n, 42n, 23n));
    expect(textbookEncrypt(n, 42n, 23n)).toBe(((1n + 42n * n) * modPow(23n, n, n * n)) % (n * n));
  });

  it('agrees with paillier-bigint both ways on a 512-bit key with fixed r', () => {
    const { n, n2 } = sk.publicKey;
    const theirPk = new paillier.PublicKey(n, n + 1n);
    const theirSk = new paillier.PrivateKey(sk.lambda, modInverse(sk.lambda, n), theirPk, sk.p, sk.q);
    const cases: Array<[bigint, bigint]> = [
      [0n, 2n],
      [1n, 3n],
      [123456789n, 0x1234567890abcdefn],
      [n - 1n, n - 2n],
      [n / 3n, 65537n],
    ];
    for (const [m, r] of cases) {
      const ours = encryptWith(sk.publicKey, m, modPow(r, n, n2));
      expect(ours).toBe(theirPk.encrypt(m, r));
      expect(ours).toBe(textbookEncrypt(n, m, r));
      expect(theirSk.decrypt(ours)).toBe(m);
      expect(decryptRaw(sk, theirPk.encrypt(m, r))).toBe(m);
    }
    // their random encryptions decrypt under our CRT decryption
    for (const m of [5n, n - 5n]) expect(decryptRaw(sk, theirPk.encrypt(m))).toBe(m);
  });

  it('derives the key id as the first 16 bytes of SHA-256 over n', () => {
    const digest = createHash('sha256').update(bigintToBytes(sk.publicKey.n)).digest('hex');
    expect(sk.publicKey.keyId).toBe(digest.slice(0, 32));
    expect(sk.publicKey.bits).toBe(512);
    expect(sk.lambda).toBe(((P256 - 1n) * (Q256 - 1n)) / gcdOf(P256 - 1n, Q256 - 1n));
    expect(sk.lambda % (P256 - 1n)).toBe(0n);
    expect(sk.lambda % (Q256 - 1n)).toBe(0n);
  });

  it('round-trips the public key through JSON and the private key through bytes', async () => {
    const json = publicKeyToJson(sk.publicKey);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    const pk = await publicKeyFromJson(JSON.parse(JSON.stringify(json)));
    expect(pk).toEqual(sk.publicKey);
    const bytes = privateKeyToBytes(sk);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x50, 0x50, 0x4b, 0x01]);
    const back = await privateKeyFromBytes(bytes);
    expect(back).toEqual(sk);
    const c = encrypt(sk.publicKey, -77n, new HolderRandomness(sk, { window: 4 }));
    expect(decrypt(back, c)).toBe(-77n);
  });

  it('generates a working 2048-bit key with WebCrypto', async () => {
    const big = await generateKeys(2048);
    expect(bitLength(big.publicKey.n)).toBe(2048);
    expect(big.publicKey.bits).toBe(2048);
    expect(big.p).not.toBe(big.q);
    expect(big.p * big.q).toBe(big.publicKey.n);
    expect(modPow(big.publicKey.h, big.lambda, big.publicKey.n2)).toBe(1n);
    const rng = new HolderRandomness(big, { window: 4 });
    for (const v of [0n, -1n, 2n ** 2000n, -(2n ** 63n)]) expect(decrypt(big, encrypt(big.publicKey, v, rng))).toBe(v);
    const again = await publicKeyFromJson(publicKeyToJson(big.publicKey));
    expect(again.keyId).toBe(big.publicKey.keyId);
  });
});

function gcdOf(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}
