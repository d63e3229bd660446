// Inputs the Paillier library must refuse, each with its stable code: ciphertexts under another
// key, tampered public keys, malformed bytes, out-of-range plaintexts and slots, conversion
// parameters that could wrap, and private-key bytes that are not a valid key.

import { beforeAll, describe, expect, it } from 'vitest';
import { type ErrorCode, ParleyError } from '../../../../shared/errors.js';
import { toBase64Url } from '../../../../shared/random.js';
import {
  add,
  bigintToBytes,
  checkKey,
  ciphertextBytes,
  ciphertextsFromBytes,
  decrypt,
  decryptRaw,
  encodeSigned,
  encrypt,
  fromTagged,
  HolderRandomness,
  maskForShares,
  type PrivateKey,
  pack,
  packCapacity,
  packCiphertexts,
  privateKeyFromBytes,
  privateKeyFromPrimes,
  privateKeyToBytes,
  publicKeyFromJson,
  publicKeyToJson,
  sharesFromMasked,
  toTagged,
  unpack,
  weightedSum,
} from '../../../../workers/market/paillier/index.js';
import { P256, Q256 } from '../keys.js';

const P512 =
  0xd7f4a277d971a95adf3483db3c2fdd2cc7e2d505569b80f3cb6458ab89955a5070f54fe07707fe7dd98d6d922a2c19c2e4a545062e577849ed89e34fb76bf411n;
const Q512 =
  0xe64f2aa438df0979adf9c86491198bacb2f51a9a323f402d7dd4d97a90cfa262905c21051666424ca80cde6d8959aa9fb9a32fa96068f550efd31607283b928dn;

function expectCode(f: () => unknown, code: ErrorCode): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ParleyError);
  expect((caught as ParleyError).code).toBe(code);
}

async function expectRejects(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(p).rejects.toMatchObject({ name: 'ParleyError', code });
}

let realKey: PrivateKey; // the listing's real key (1024-bit)
let testKey: PrivateKey; // the published test key (512-bit)
beforeAll(async () => {
  realKey = await privateKeyFromPrimes(P512, Q512);
  testKey = await privateKeyFromPrimes(P256, Q256);
});

describe('Paillier refusals', () => {
  it('refuses ciphertexts under another key; the test key decrypts a real ciphertext to junk', () => {
    const c = encrypt(realKey.publicKey, 42n, new HolderRandomness(realKey, { window: 4 }));
    const tagged = toTagged(realKey.publicKey, [c]);
    expectCode(() => checkKey(testKey.publicKey, tagged), 'ERR_WRONG_KEY');
    expectCode(() => fromTagged(testKey.publicKey, tagged), 'ERR_WRONG_KEY');
    expect(() => checkKey(realKey.publicKey, tagged)).not.toThrow();
    expect(fromTagged(realKey.publicKey, tagged)).toEqual([c]);
    // a real ciphertext reduced into the test key's range decrypts to an unrelated number
    const forced = c % testKey.publicKey.n2;
    expect(decrypt(testKey, forced)).not.toBe(42n);
    expectCode(() => decryptRaw(testKey, c), 'ERR_PROTOCOL'); // c >= n_test^2
  });

  it('refuses tampered or malformed public keys', async () => {
    const json = publicKeyToJson(testKey.publicKey);
    await expectRejects(publicKeyFromJson({ ...json, keyId: realKey.publicKey.keyId }), 'ERR_WRONG_KEY');
    await expectRejects(
      publicKeyFromJson({ ...json, n: publicKeyToJson(realKey.publicKey).n, bits: 1024 }),
      'ERR_WRONG_KEY',
    );
    await expectRejects(publicKeyFromJson({ ...json, bits: 1024 }), 'ERR_BAD_REQUEST');
    await expectRejects(publicKeyFromJson({ ...json, h: toBase64Url(new Uint8Array([1])) }), 'ERR_BAD_REQUEST');
    await expectRejects(
      publicKeyFromJson({ ...json, n: toBase64Url(new Uint8Array([0, ...bigintToBytes(testKey.publicKey.n)])) }),
      'ERR_BAD_REQUEST',
    );
    await expectRejects(publicKeyFromJson({ ...json, n: 'not base64!' }), 'ERR_BAD_REQUEST');
    await expectRejects(publicKeyFromJson({ n: json.n }), 'ERR_BAD_REQUEST');
    await expectRejects(publicKeyFromJson(null), 'ERR_BAD_REQUEST');
  });

  it('refuses ciphertext bytes of the wrong length, zero, or >= n^2', () => {
    const pk = testKey.publicKey;
    const width = ciphertextBytes(pk);
    expect(width).toBe(128);
    expectCode(() => ciphertextsFromBytes(pk, new Uint8Array(width + 1)), 'ERR_PROTOCOL');
    expectCode(() => ciphertextsFromBytes(pk, new Uint8Array(width)), 'ERR_PROTOCOL');
    expectCode(() => ciphertextsFromBytes(pk, new Uint8Array(width).fill(0xff)), 'ERR_PROTOCOL');
    expectCode(() => ciphertextsFromBytes(pk, bigintToBytes(pk.n2, width)), 'ERR_PROTOCOL');
    expect(ciphertextsFromBytes(pk, bigintToBytes(pk.n2 - 1n, width))).toEqual([pk.n2 - 1n]);
  });

  it('refuses ciphertexts outside [1, n^2) or sharing a factor with n', () => {
    const pk = testKey.publicKey;
    for (const c of [0n, -1n, pk.n2, pk.n2 + 5n, testKey.p, testKey.q * 12345n])
      expectCode(() => decryptRaw(testKey, c), 'ERR_PROTOCOL');
    expectCode(() => add(pk, 0n, 1n), 'ERR_PROTOCOL');
    expectCode(() => weightedSum(pk, [1n, 1n], [1n]), 'ERR_BAD_INPUT');
  });

  it('refuses plaintexts with |v| >= n/2', () => {
    const pk = testKey.publicKey;
    const half = (pk.n - 1n) / 2n;
    expect(encodeSigned(half, pk)).toBe(half);
    expect(encodeSigned(-half, pk)).toBe(pk.n - half);
    expectCode(() => encodeSigned(half + 1n, pk), 'ERR_OUT_OF_RANGE');
    expectCode(() => encodeSigned(-half - 1n, pk), 'ERR_OUT_OF_RANGE');
    expectCode(() => encodeSigned(pk.n * 3n, pk), 'ERR_OUT_OF_RANGE');
  });

  it('refuses negative, too-wide or too-many slots', () => {
    const pk = testKey.publicKey;
    expectCode(() => pack([1n, -1n], 8), 'ERR_OUT_OF_RANGE');
    expectCode(() => pack([256n], 8), 'ERR_OUT_OF_RANGE');
    expect(pack([255n], 8)).toBe(255n);
    expectCode(() => pack([0n], 0), 'ERR_OUT_OF_RANGE');
    const cap = packCapacity(pk, 16);
    expect(cap).toBe(31);
    expectCode(() => pack(new Array<bigint>(cap + 1).fill(1n), 16, pk), 'ERR_OUT_OF_RANGE');
    expectCode(() => packCiphertexts(pk, new Array<bigint>(cap + 1).fill(1n), 16), 'ERR_OUT_OF_RANGE');
    expectCode(() => unpack(1n << 24n, 8, 3), 'ERR_OUT_OF_RANGE');
    expectCode(() => unpack(-1n, 8, 3), 'ERR_OUT_OF_RANGE');
  });

  it('refuses conversion parameters that could wrap, and unmasked values at the holder', async () => {
    const pk = testKey.publicKey;
    const c = encrypt(pk, 1n, new HolderRandomness(testKey, { window: 4 }));
    const rng = { next: () => 1n };
    expectCode(() => maskForShares(pk, [c], 63, rng), 'ERR_OUT_OF_RANGE');
    expectCode(() => maskForShares(pk, [c], 0, rng), 'ERR_OUT_OF_RANGE');
    expect(maskForShares(pk, [c], 62, rng).masked).toHaveLength(1);
    const tiny = await privateKeyFromPrimes(11n, 13n);
    expectCode(() => maskForShares(tiny.publicKey, [2n], 1, rng), 'ERR_OUT_OF_RANGE');
    const minusOne = encrypt(pk, -1n, rng); // plaintext n - 1: not a masked share
    expectCode(() => sharesFromMasked(testKey, [minusOne]), 'ERR_PROTOCOL');
  });

  it('refuses private-key bytes that are garbage or not a valid key', async () => {
    const good = privateKeyToBytes(testKey);
    await expectRejects(privateKeyFromBytes(new Uint8Array(0)), 'ERR_BAD_INPUT');
    await expectRejects(privateKeyFromBytes(crypto.getRandomValues(new Uint8Array(200))), 'ERR_BAD_INPUT');
    await expectRejects(privateKeyFromBytes(good.subarray(0, good.length - 1)), 'ERR_BAD_INPUT');
    await expectRejects(privateKeyFromBytes(new Uint8Array([...good, 0])), 'ERR_BAD_INPUT');
    const build = (p: bigint, q: bigint, h: bigint) =>
      privateKeyToBytes({ ...testKey, p, q, publicKey: { ...testKey.publicKey, h } });
    await expectRejects(privateKeyFromBytes(build(P256 + 2n, Q256, testKey.publicKey.h)), 'ERR_BAD_INPUT'); // composite
    await expectRejects(privateKeyFromBytes(build(P256, P256, testKey.publicKey.h)), 'ERR_BAD_INPUT'); // p = q
    await expectRejects(privateKeyFromBytes(build(P256, Q256, 2n)), 'ERR_BAD_INPUT'); // h not an n-th residue
    await expectRejects(privateKeyFromBytes(build(11n, 13n, 4n)), 'ERR_BAD_INPUT'); // too small
    await expectRejects(privateKeyFromPrimes(15n, 13n), 'ERR_BAD_INPUT');
    expect((await privateKeyFromBytes(good)).publicKey.keyId).toBe(testKey.publicKey.keyId);
  });
});
