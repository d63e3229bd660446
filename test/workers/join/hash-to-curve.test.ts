// Hashing join keys to curve25519: RFC 9380's known answers for curve25519_XMD:SHA-512_ELL2_RO_
// (u0, u1, Q0, Q1, and P = 8·(Q0 + Q1) through independent x-only doublings), batches against
// single keys, domain separation, and the refused DSTs.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashToCurve, hashToField, mapToCurveElligator2 } from '../../../workers/join/hash-to-curve.js';

// RFC 9380 Appendix J.4.1, as published in cfrg/draft-irtf-cfrg-hash-to-curve,
// poc/vectors/curve25519_XMD:SHA-512_ELL2_RO_.json (commit 664b135): x-coordinates only.
const DST = 'QUUX-V01-CS02-with-curve25519_XMD:SHA-512_ELL2_RO_';
const VECTORS = [
  {
    msg: '',
    u0: '005fe8a7b8fef0a16c105e6cadf5a6740b3365e18692a9c05bfbb4d97f645a6a',
    u1: '1347edbec6a2b5d8c02e058819819bee177077c9d10a4ce165aab0fd0252261a',
    q0: '36b4df0c864c64707cbf6cf36e9ee2c09a6cb93b28313c169be29561bb904f98',
    q1: '3fa114783a505c0b2b2fbeef0102853c0b494e7757f2a089d0daae7ed9a0db2b',
    p: '2de3780abb67e861289f5749d16d3e217ffa722192d16bbd9d1bfb9d112b98c0',
  },
  {
    msg: 'abc',
    u0: '49bed021c7a3748f09fa8cdfcac044089f7829d3531066ac9e74e0994e05bc7d',
    u1: '5c36525b663e63389d886105cee7ed712325d5a97e60e140aba7e2ce5ae851b6',
    q0: '16b3d86e056b7970fa00165f6f48d90b619ad618791661b7b5e1ec78be10eac1',
    q1: '7ec29ddbf34539c40adfa98fcb39ec36368f47f30e8f888cc7e86f4d46e0c264',
    p: '2b4419f1f2d48f5872de692b0aca72cc7b0a60915dd70bde432e826b6abc526d',
  },
  {
    msg: 'abcdef0123456789',
    u0: '6412b7485ba26d3d1b6c290a8e1435b2959f03721874939b21782df17323d160',
    u1: '24c7b46c1c6d9a21d32f5707be1380ab82db1054fde82865d5c9e3d968f287b2',
    q0: '71de3dadfe268872326c35ac512164850860567aea0e7325e6b91a98f86533ad',
    q1: '5704069021f61e41779e2ba6b932268316d6d2a6f064f997a22fef16d1eaeaca',
    p: '68ca1ea5a6acf4e9956daa101709b1eee6c1bb0df1de3b90d4602382a104c036',
  },
  {
    msg: `q128_${'q'.repeat(128)}`,
    u0: '5e123990f11bbb5586613ffabdb58d47f64bb5f2fa115f8ea8df0188e0c9e1b5',
    u1: '5e8553eb00438a0bb1e7faa59dec6d8087f9c8011e5fb8ed9df31cb6c0d4ac19',
    q0: '7a94d45a198fb5daa381f45f2619ab279744efdd8bd8ed587fc5b65d6cea1df0',
    q1: '30506fb7a32136694abd61b6113770270debe593027a968a01f271e146e60c18',
    p: '096e9c8bae6c06b554c1ee69383bb0e82267e064236b3a30608d4ed20b73ac5a',
  },
  {
    msg: `a512_${'a'.repeat(512)}`,
    u0: '20f481e85da7a3bf60ac0fb11ed1d0558fc6f941b3ac5469aa8b56ec883d6d7d',
    u1: '017d57fd257e9a78913999a23b52ca988157a81b09c5442501d07fed20869465',
    q0: '02d606e2699b918ee36f2818f2bc5013e437e673c9f9b9cdc15fd0c5ee913970',
    q1: '38920e9b988d1ab7449c0fa9a6058192c0c797bb3d42ac345724341a1aa98745',
    p: '1bc61845a138e912f047b5e70ba9606ba2a447a4dade024c8ef3dd42b7bbc5fe',
  },
];

// Plain textbook arithmetic mod p, independent of the module's reductions and addition chains.
const P = (1n << 255n) - 19n;
const mod = (x: bigint) => ((x % P) + P) % P;
function pow(base: bigint, e: bigint): bigint {
  let r = 1n;
  for (let b = mod(base); e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}
const inv = (x: bigint) => pow(x, P - 2n);
/** u([2]Q) from u(Q) on v^2 = u^3 + 486662u^2 + u (RFC 7748's x-only doubling). */
const double = (u: bigint) => mod((u * u - 1n) ** 2n * inv(4n * u * (u * u + 486662n * u + 1n)));
const onCurve = (u: bigint) => pow(mod(u ** 3n + 486662n * u * u + u), (P - 1n) / 2n) !== P - 1n;
const enc = (s: string) => new TextEncoder().encode(s);
const hex = (x: bigint) => x.toString(16).padStart(64, '0');
const uAt = (points: Uint8Array, i: number) => {
  let x = 0n;
  for (let j = 31; j >= 0; j--) x = (x << 8n) | BigInt(points[32 * i + j] as number);
  return x;
};

describe('hashToCurve (RFC 9380 curve25519_XMD:SHA-512_ELL2_RO_)', () => {
  it('matches the RFC 9380 J.4.1 vectors at every step', () => {
    for (const v of VECTORS) {
      const [u0, u1] = hashToField(enc(v.msg), enc(DST));
      expect([hex(u0), hex(u1)]).toEqual([v.u0, v.u1]);
      const q0 = mapToCurveElligator2(u0);
      const q1 = mapToCurveElligator2(u1);
      expect([hex(mod(q0.xn * inv(q0.xd))), hex(mod(q1.xn * inv(q1.xd)))]).toEqual([v.q0, v.q1]);
    }
    // One batch: P = clear_cofactor(Q0 + Q1) = 8·(Q0 + Q1), three doublings of the output.
    const out = hashToCurve(
      VECTORS.map((v) => enc(v.msg)),
      enc(DST),
    );
    expect(out.length).toBe(32 * VECTORS.length);
    VECTORS.forEach((v, i) => expect(hex(double(double(double(uAt(out, i)))))).toBe(v.p));
  });

  it('hashes a batch exactly as key by key, onto the curve, and depends on the DST', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 12 }), (keys) => {
        const batch = hashToCurve(keys, enc('parley-test'));
        keys.forEach((k, i) => {
          expect(hashToCurve([k], enc('parley-test'))).toEqual(batch.subarray(32 * i, 32 * i + 32));
          expect(uAt(batch, i) < P && onCurve(uAt(batch, i))).toBe(true);
          expect(hashToCurve([k], enc('parley-other'))).not.toEqual(batch.subarray(32 * i, 32 * i + 32));
        });
      }),
      { numRuns: 20 },
    );
    expect(hashToCurve([], enc('x'))).toEqual(new Uint8Array(0));
  });

  it('refuses an empty DST and one longer than 255 bytes with ERR_BAD_INPUT', () => {
    expect(() => hashToCurve([enc('a')], new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_INPUT' }),
    );
    expect(() => hashToCurve([enc('a')], new Uint8Array(256))).toThrow(/DST is 256 bytes/);
    expect(hashToCurve([enc('a')], new Uint8Array(255)).length).toBe(32);
  });
});
