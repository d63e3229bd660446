// The join's DH-OPRF over WebCrypto X25519: unblind(evaluate(blind(H))) = evaluate(H) for random
// keys and fresh blindings, blinded points hide the hashed ones, keys differ, and the refusals
// (low-order points from a peer at every step, a buffer that is not whole points).

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashToCurve } from '../../../workers/join/hash-to-curve.js';
import { OprfBlinding, OprfKey } from '../../../workers/join/oprf.js';

const DST = new TextEncoder().encode('parley-oprf-test');
const hashed = (keys: string[]) =>
  hashToCurve(
    keys.map((k) => new TextEncoder().encode(k)),
    DST,
  );
const rows = (points: Uint8Array) =>
  Array.from({ length: points.length / 32 }, (_, i) => points.slice(32 * i, 32 * i + 32).join());

// The curve25519 u-coordinates of the points of order 1, 2, 4 and 8 (RFC 7748 section 6.1 and
// Bernstein's list of points to reject), little-endian; a 256-bit u is taken mod 2^255.
const P = (1n << 255n) - 19n;
const LOW_ORDER = [
  0n,
  1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
  P - 1n,
  P,
  P + 1n,
].map((u) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((u >> BigInt(8 * i)) & 0xffn);
  return out;
});

describe('OprfKey and OprfBlinding', () => {
  afterEach(() => vi.restoreAllMocks());

  it('unblinds to the key holder own evaluation, for random keys and fresh blindings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.string({ minLength: 1 }), { maxLength: 16 }), async (keys) => {
        const h = hashed(keys);
        const key = await OprfKey.create();
        const blinding = await OprfBlinding.create();
        const blinded = await blinding.blind(h);
        const direct = await key.evaluate(h);
        expect(await blinding.unblind(await key.evaluate(blinded))).toEqual(direct);
        const seen = new Set(rows(h));
        for (const row of rows(blinded)) expect(seen.has(row)).toBe(false);
        for (const row of rows(direct)) expect(seen.has(row)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });

  it('gives different values under different keys and blindings, equal values for equal points', async () => {
    const h = hashed(['a', 'b', 'a']);
    expect(rows(h)[0]).toBe(rows(h)[2]);
    const [k1, k2] = [await OprfKey.create(), await OprfKey.create()];
    const [f1, f2] = [rows(await k1.evaluate(h)), rows(await k2.evaluate(h))];
    expect(f1[0]).toBe(f1[2]);
    expect(new Set([...f1, ...f2]).size).toBe(4);
    const [b1, b2] = [await OprfBlinding.create(), await OprfBlinding.create()];
    expect(rows(await b1.blind(h))[0]).not.toBe(rows(await b2.blind(h))[0]);
    expect(await k1.evaluate(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });

  it('refuses a low-order point at each step with ERR_PROTOCOL, naming it', async () => {
    const key = await OprfKey.create();
    const blinding = await OprfBlinding.create();
    const good = hashed(['x', 'y']);
    for (const bad of LOW_ORDER) {
      const points = new Uint8Array(96);
      points.set(good);
      points.set(bad, 64);
      for (const step of [key.evaluate(points), blinding.blind(points), blinding.unblind(points)]) {
        await expect(step).rejects.toMatchObject({
          code: 'ERR_PROTOCOL',
          message: expect.stringMatching(/point 2 is a low-order/),
        });
      }
    }
  });

  it('refuses a buffer that is not whole 32-byte points with ERR_PROTOCOL', async () => {
    const key = await OprfKey.create();
    await expect(key.evaluate(new Uint8Array(33))).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    await expect((await OprfBlinding.create()).unblind(new Uint8Array(31))).rejects.toMatchObject({
      code: 'ERR_PROTOCOL',
    });
  });

  it('refuses the all-zero result of a WebCrypto that returns it instead of throwing', async () => {
    const key = await OprfKey.create();
    vi.spyOn(globalThis.crypto.subtle, 'deriveBits').mockResolvedValue(new ArrayBuffer(32));
    await expect(key.evaluate(hashed(['x']))).rejects.toMatchObject({
      code: 'ERR_PROTOCOL',
      message: expect.stringMatching(/point 0/),
    });
  });
});
