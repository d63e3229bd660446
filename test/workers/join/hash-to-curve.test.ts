// Hashing join keys to curve25519: RFC 9380's known answers for curve25519_XMD:SHA-512_ELL2_RO_
// and _NU_ (u, Q, and P = 8·Q through independent x-only doublings), the WebAssembly batch against
// textbook affine arithmetic and across chunk boundaries, the case it hands back (Q0 = Q1), domain
// separation, and the refused DSTs.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeToCurve,
  hashToCurve,
  hashToField,
  mapToCurveElligator2,
  sumOfMaps,
} from '../../../workers/join/hash-to-curve.js';
import { CHUNK, curvePoints, IN_STRIDE } from '../../../workers/join/hash-to-curve-wasm.js';

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

// RFC 9380 Appendix J.4.2, same source (poc/vectors/curve25519_XMD:SHA-512_ELL2_NU_.json).
const NU_DST = 'QUUX-V01-CS02-with-curve25519_XMD:SHA-512_ELL2_NU_';
const NU_VECTORS = [
  {
    msg: '',
    u: '608d892b641f0328523802a6603427c26e55e6f27e71a91a478148d45b5093cd',
    q: '51125222da5e763d97f3c10fcc92ea6860b9ccbbd2eb1285728f566721c1e65b',
    p: '1bb913f0c9daefa0b3375378ffa534bda5526c97391952a7789eb976edfe4d08',
  },
  {
    msg: 'abc',
    u: '46f5b22494bfeaa7f232cc8d054be68561af50230234d7d1d63d1d9abeca8da5',
    q: '7d56d1e08cb0ccb92baf069c18c49bb5a0dcd927eff8dcf75ca921ef7f3e6eeb',
    p: '7c22950b7d900fa866334262fcaea47a441a578df43b894b4625c9b450f9a026',
  },
  {
    msg: 'abcdef0123456789',
    u: '235fe40c443766ce7e18111c33862d66c3b33267efa50d50f9e8e5d252a40aaa',
    q: '3fbe66b9c9883d79e8407150e7c2a1c8680bee496c62fabe4619a72b3cabe90f',
    p: '31ad08a8b0deeb2a4d8b0206ca25f567ab4e042746f792f4b7973f3ae2096c52',
  },
  {
    msg: `q128_${'q'.repeat(128)}`,
    u: '001e92a544463bda9bd04ddbe3d6eed248f82de32f522669efc5ddce95f46f5b',
    q: '227e0bb89de700385d19ec40e857db6e6a3e634b1c32962f370d26f84ff19683',
    p: '027877759d155b1997d0d84683a313eb78bdb493271d935b622900459d52ceaa',
  },
  {
    msg: `a512_${'a'.repeat(512)}`,
    u: '1a68a1af9f663592291af987203393f707305c7bac9c8d63d6a729bdc553dc19',
    q: '3bcd651ee54d5f7b6013898aab251ee8ecc0688166fce6e9548d38472f6bd196',
    p: '5fd892c0958d1a75f54c3182a18d286efab784e774d1e017ba2fb252998b5dc1',
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
      const [u0 = 0n, u1 = 0n] = hashToField(enc(v.msg), enc(DST), 2);
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

  it('encodes as RFC 9380 J.4.2 curve25519_XMD:SHA-512_ELL2_NU_ (encodeToCurve, for the bench)', () => {
    for (const v of NU_VECTORS) expect(hashToField(enc(v.msg), enc(NU_DST), 1).map(hex)).toEqual([v.u]);
    const out = encodeToCurve(
      NU_VECTORS.map((v) => enc(v.msg)),
      enc(NU_DST),
    );
    NU_VECTORS.forEach((v, i) => {
      expect(hex(uAt(out, i))).toBe(v.q);
      expect(hex(double(double(double(uAt(out, i)))))).toBe(v.p);
    });
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

  it('equals textbook affine addition of the two mapped points, across chunk boundaries', () => {
    const affine = (u: bigint) => {
      const q = mapToCurveElligator2(u);
      return { x: mod(q.xn * inv(q.xd)), y: q.y };
    };
    const keys = Array.from({ length: CHUNK + 3 }, (_, i) => enc(`key-${i}`));
    const out = hashToCurve(keys, enc(DST));
    for (const i of [0, 1, CHUNK - 1, CHUNK, CHUNK + 2]) {
      const [u0 = 0n, u1 = 0n] = hashToField(keys[i] as Uint8Array, enc(DST), 2);
      const [a, b] = [affine(u0), affine(u1)];
      const lambda = mod((b.y - a.y) * inv(b.x - a.x));
      expect(uAt(out, i)).toBe(mod(lambda * lambda - 486662n - a.x - b.x));
    }
  });

  it('hands back a key whose two points coincide, and doubles it in BigInt', () => {
    const u = 0x1234567890abcdef1234567890abcdefn;
    const le = new Uint8Array(48);
    for (let j = 0; j < 48; j++) le[j] = Number((u >> BigInt(8 * j)) & 0xffn);
    const { flagged } = curvePoints(2, 'ro', (input) => {
      input.set(le, 0); // key 0: u0 = u1 = u, so Q0 = Q1
      input.set(le, 64);
      input.set(le, IN_STRIDE); // key 1: u0 = u, u1 = 0
      input.fill(0, IN_STRIDE + 64, IN_STRIDE + 112);
    });
    expect(flagged).toEqual([0]);
    const q = mapToCurveElligator2(u);
    const x = mod(q.xn * inv(q.xd));
    expect(sumOfMaps(u, u)).toBe(double(x));
  });

  it('refuses an empty DST and one longer than 255 bytes with ERR_BAD_INPUT', () => {
    expect(() => hashToCurve([enc('a')], new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_INPUT' }),
    );
    expect(() => hashToCurve([enc('a')], new Uint8Array(256))).toThrow(/DST is 256 bytes/);
    // the longest DST (3 SHA-512 blocks in the b1/b2 templates) and long keys, against the BigInt path
    const longDst = new Uint8Array(255).map((_, i) => i);
    const keys = [enc('a'), new Uint8Array(300).fill(7), new Uint8Array(0)];
    const out = hashToCurve(keys, longDst);
    keys.forEach((k, i) => {
      const [u0 = 0n, u1 = 0n] = hashToField(k, longDst, 2);
      expect(uAt(out, i)).toBe(sumOfMaps(u0, u1));
    });
  });
});
