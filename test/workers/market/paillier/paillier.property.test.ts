// Paillier properties over random inputs (fast-check): encryption round trips, homomorphic
// operations against plaintext arithmetic, packing, blinding, share conversion, and the
// randomness sources (n-th residues, never repeated, stocked values handed out once).

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  add,
  addPlain,
  blind,
  ciphertextsFromBytes,
  ciphertextsToBytes,
  decrypt,
  decryptRaw,
  encrypt,
  encryptMany,
  type HolderRandomness,
  maskForShares,
  modPow,
  negate,
  type PrivateKey,
  type PublicRandomness,
  pack,
  packCapacity,
  packCiphertexts,
  RandomnessStock,
  scalarMul,
  sharesFromMasked,
  sum,
  unblind,
  unpack,
  weightedSum,
} from '../../../../workers/market/paillier/index.js';
import { fixedKey } from '../keys.js';

let sk: PrivateKey;
let holder: HolderRandomness;
let pub: PublicRandomness;
beforeAll(async () => {
  ({ sk, holder, pub } = await fixedKey());
});

const signed = (bits: number) =>
  fc.oneof(fc.constantFrom(0n, 1n, -1n), fc.bigInt(-(2n ** BigInt(bits)) + 1n, 2n ** BigInt(bits) - 1n));
const runs = { numRuns: 40 };

describe('Paillier encryption and homomorphism', () => {
  it('decrypts what it encrypted, for signed values up to n/2, with either randomness', () => {
    const half = (sk.publicKey.n - 1n) / 2n;
    fc.assert(
      fc.property(fc.oneof(signed(64), fc.bigInt(-half, half)), fc.boolean(), (v, useHolder) => {
        const c = encrypt(sk.publicKey, v, useHolder ? holder : pub);
        expect(decrypt(sk, c)).toBe(v);
      }),
      runs,
    );
    expect(decrypt(sk, encrypt(sk.publicKey, half, holder))).toBe(half);
    expect(decrypt(sk, encrypt(sk.publicKey, -half, holder))).toBe(-half);
  });

  it('encryptMany takes signed arrays and BigInt64Array, fresh randomness each', () => {
    const values = BigInt64Array.from([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 5n, 5n]);
    const cs = encryptMany(sk, values);
    expect(cs.map((c) => decrypt(sk, c))).toEqual(Array.from(values));
    expect(cs[4]).not.toBe(cs[5]);
    const stock = new RandomnessStock(holder);
    stock.fill(3);
    expect(encryptMany(sk, [7n, -8n, 9n], stock).map((c) => decrypt(sk, c))).toEqual([7n, -8n, 9n]);
    expect(stock.size).toBe(0);
  });

  it('add, addPlain, negate and scalarMul follow plaintext arithmetic', () => {
    const pk = sk.publicKey;
    fc.assert(
      fc.property(signed(200), signed(200), signed(150), (a, b, k) => {
        const ca = encrypt(pk, a, holder),
          cb = encrypt(pk, b, holder);
        expect(decrypt(sk, add(pk, ca, cb))).toBe(a + b);
        expect(decrypt(sk, addPlain(pk, ca, b))).toBe(a + b);
        expect(decrypt(sk, negate(pk, ca))).toBe(-a);
        expect(decrypt(sk, scalarMul(pk, ca, k))).toBe(a * k);
      }),
      runs,
    );
    expect(scalarMul(pk, encrypt(pk, 9n, holder), 0n)).toBe(1n);
  });

  it('sum and weightedSum follow plaintext arithmetic (empty, zero, negative, mixed weights)', () => {
    const pk = sk.publicKey;
    const pair = fc.tuple(signed(100), fc.oneof(fc.constant(0n), signed(8), signed(40)));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 12 }), (items) => {
        const cs = items.map(([v]) => encrypt(pk, v, holder));
        const ws = items.map(([, w]) => w);
        const progress: Array<[number, number]> = [];
        const ws1 = weightedSum(pk, cs, ws, (done, total) => progress.push([done, total]));
        expect(decrypt(sk, ws1)).toBe(items.reduce((acc, [v, w]) => acc + v * w, 0n));
        expect(decrypt(sk, sum(pk, cs))).toBe(items.reduce((acc, [v]) => acc + v, 0n));
        if (progress.length) expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
      }),
      runs,
    );
    expect(sum(pk, [])).toBe(1n);
    expect(weightedSum(pk, [], [])).toBe(1n);
    const one = encrypt(pk, -12n, holder);
    expect(decrypt(sk, weightedSum(pk, [one], [-3n]))).toBe(36n);
    expect(decrypt(sk, weightedSum(pk, [one, one], [0n, 0n]))).toBe(0n);
  });

  it('weightedSum handles many ciphertexts with wide weights (several Pippenger windows)', () => {
    const pk = sk.publicKey;
    const values = Array.from({ length: 300 }, (_, i) => BigInt(i * 7919 - 1000000));
    const weights = values.map((_, i) => BigInt((i % 3) - 1) * (2n ** 31n + BigInt(i * 104729)));
    const cs = encryptMany(sk, values);
    expect(decrypt(sk, weightedSum(pk, cs, weights))).toBe(values.reduce((a, v, i) => a + v * weights[i]!, 0n));
  });

  it('ciphertext bytes round trip at fixed width', () => {
    const pk = sk.publicKey;
    fc.assert(
      fc.property(fc.array(signed(300), { maxLength: 6 }), (vs) => {
        const cs = vs.map((v) => encrypt(pk, v, pub));
        const bytes = ciphertextsToBytes(pk, cs);
        expect(bytes.length).toBe(cs.length * 128);
        expect(ciphertextsFromBytes(pk, bytes)).toEqual(cs);
      }),
      runs,
    );
    expect(ciphertextsFromBytes(pk, ciphertextsToBytes(pk, [1n, 2n, pk.n2 - 1n]))).toEqual([1n, 2n, pk.n2 - 1n]);
  });
});

describe('Paillier packing, blinding and share conversion', () => {
  it('pack/unpack and packCiphertexts round trip', () => {
    const pk = sk.publicKey;
    const slotsArb = fc
      .integer({ min: 1, max: 64 })
      .chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.array(fc.bigInt(0n, 2n ** BigInt(s) - 1n), { maxLength: Math.min(12, packCapacity(pk, s)) }),
        ),
      );
    fc.assert(
      fc.property(slotsArb, ([s, values]) => {
        const m = pack(values, s, pk);
        expect(unpack(m, s, values.length, pk)).toEqual(values);
        const packed = packCiphertexts(
          pk,
          values.map((v) => encrypt(pk, v, holder)),
          s,
        );
        expect(decryptRaw(sk, packed)).toBe(m);
      }),
      runs,
    );
    const full = Array.from({ length: packCapacity(pk, 17) }, (_, i) => BigInt(i * 1000) % 2n ** 17n);
    expect(unpack(decryptRaw(sk, packCiphertexts(pk, encryptMany(sk, full), 17)), 17, full.length, pk)).toEqual(full);
  });

  it('blind/unblind recovers the result', () => {
    const pk = sk.publicKey;
    fc.assert(
      fc.property(fc.oneof(signed(64), signed(500)), (v) => {
        const { blinded, r } = blind(pk, encrypt(pk, v, holder), pub);
        expect(unblind(pk, decryptRaw(sk, blinded), r)).toBe(v);
      }),
      runs,
    );
  });

  it('maskForShares + sharesFromMasked give int64 shares of x for |x| < 2^ell', () => {
    const pk = sk.publicKey;
    const arb = fc.integer({ min: 1, max: 62 }).chain((ell) => {
      const lim = 2n ** BigInt(ell) - 1n;
      return fc.tuple(
        fc.constant(ell),
        fc.array(fc.oneof(fc.constantFrom(0n, lim, -lim), fc.bigInt(-lim, lim)), { maxLength: 5 }),
      );
    });
    fc.assert(
      fc.property(arb, ([ell, xs]) => {
        const { masked, shares } = maskForShares(
          pk,
          xs.map((x) => encrypt(pk, x, holder)),
          ell,
          pub,
        );
        const theirs = sharesFromMasked(sk, masked);
        expect(shares.length).toBe(xs.length);
        xs.forEach((x, i) => expect(BigInt.asUintN(64, shares[i]! + theirs[i]!)).toBe(BigInt.asUintN(64, x)));
      }),
      runs,
    );
  });
});

describe('Paillier randomness', () => {
  it('holder and public randomness are n-th residues that never repeat', () => {
    const { n2 } = sk.publicKey;
    for (const source of [holder, pub]) {
      const seen = new Set<bigint>();
      for (let i = 0; i < 200; i++) {
        const rho = source.next();
        expect(rho > 1n && rho < n2).toBe(true);
        expect(modPow(rho, sk.lambda, n2)).toBe(1n);
        seen.add(rho);
      }
      expect(seen.size).toBe(200);
    }
    // the holder's randomness covers both CRT components independently
    const a = holder.next(),
      b = holder.next();
    expect(a % sk.p2).not.toBe(b % sk.p2);
    expect(a % sk.q2).not.toBe(b % sk.q2);
  });

  it('a stock hands each value out once, then draws fresh ones', () => {
    let counter = 0n;
    const stock = new RandomnessStock({ next: () => ++counter });
    stock.fill(50);
    expect(stock.size).toBe(50);
    const taken = Array.from({ length: 80 }, () => stock.take());
    expect(new Set(taken).size).toBe(80);
    expect(stock.size).toBe(0);
    expect(counter).toBe(80n);
    const real = new RandomnessStock(holder);
    real.fill(40);
    const values = Array.from({ length: 60 }, () => real.take());
    expect(new Set(values).size).toBe(60);
  });
});
