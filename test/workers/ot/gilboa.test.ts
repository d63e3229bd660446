// Gilboa's OT-based product shares (workers/ot/gilboa.ts, and gilboa-wide.ts for Z_2^128), checked
// on their pure steps with fixed inputs and fixed OT pads: known answers, a BigInt reference, the
// packing of the truncated corrections (d_k in ℓ − k bits), and length checks; then both rings
// side by side (round trips, widths, exact products, uniform-looking corrections).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gilboaReceiverStep,
  gilboaSenderStep,
  PACKED_BYTES,
  PACKED_WORDS,
  packCorrections,
  unpackCorrections,
} from '../../../workers/ot/gilboa.js';
import {
  packWideCorrections,
  unpackWideCorrections,
  WIDE_PACKED_WORDS,
  wideReceiverStep,
  wideSenderStep,
} from '../../../workers/ot/gilboa-wide.js';
import { pads, seededBytes } from '../../helpers/seeded.js';

const MASK = (1n << 64n) - 1n;
const low = (v: bigint, k: number) => v & ((1n << BigInt(64 - k)) - 1n); // v mod 2^(64−k)

/** What an honest random OT gives the receiver: m1 where its bit of y is 1, else m0. */
function chosen(y: BigUint64Array, m0: BigUint64Array, m1: BigUint64Array): BigUint64Array {
  return m0.map((v, j) => ((y[Math.floor(j / 64)]! >> BigInt(j % 64)) & 1n ? m1[j]! : v));
}

function run(x: BigUint64Array, y: BigUint64Array, seed: bigint) {
  const m0 = pads(64 * x.length, seed);
  const m1 = pads(64 * x.length, seed ^ 0x5555n);
  const { d, share } = gilboaSenderStep(x, m0, m1);
  const other = gilboaReceiverStep(y, chosen(y, m0, m1), d);
  return { m0, m1, d, share, other };
}

/** BigInt reference of the wire format: per product, d_k mod 2^(64−k) in 64 − k bits, LSB first. */
function referencePack(d: BigUint64Array): Uint32Array {
  const n = d.length / 64;
  const out = new Uint32Array(n * PACKED_WORDS);
  for (let t = 0; t < n; t++) {
    let bits = 0n;
    let width = 0n;
    for (let k = 0; k < 64; k++) {
      bits |= low(d[64 * t + k]!, k) << width;
      width += BigInt(64 - k);
    }
    expect(width).toBe(BigInt(32 * PACKED_WORDS));
    for (let w = 0; w < PACKED_WORDS; w++) out[t * PACKED_WORDS + w] = Number((bits >> BigInt(32 * w)) & 0xffffffffn);
  }
  return out;
}

describe('packing truncated corrections', () => {
  it('takes 65 words (260 bytes) per product: Σ_k (64 − k) = 2,080 bits', () => {
    expect(PACKED_WORDS).toBe(65);
    expect(PACKED_BYTES).toBe(260);
    expect(packCorrections(new BigUint64Array(3 * 64)).length).toBe(3 * 65);
  });

  it('known answers at the edges k = 0 and k = 63', () => {
    // d_0 all ones: the first 64 bits of the string, nothing else.
    const d = new BigUint64Array(64);
    d[0] = MASK;
    expect([...packCorrections(d)]).toEqual([0xffffffff, 0xffffffff, ...new Array(63).fill(0)]);
    // d_63 keeps 1 bit, the very last bit of the product's string (bit 2079 = word 64, bit 31).
    d.fill(0n);
    d[63] = 1n;
    expect([...packCorrections(d)]).toEqual([...new Array(64).fill(0), 0x80000000]);
    d[63] = MASK - 1n; // even: reduces to 0 mod 2
    expect(packCorrections(d).every((w) => w === 0)).toBe(true);
    // d_1 = 2^63 is beyond its 63 bits: dropped; d_1 = 2^62 lands at bit 64 + 62 = 126.
    d[1] = 1n << 63n;
    expect(packCorrections(d).every((w) => w === 0)).toBe(true);
    d[1] = 1n << 62n;
    expect([...packCorrections(d)]).toEqual([0, 0, 0, 0x40000000, ...new Array(61).fill(0)]);
    // Every value all ones: every bit of the string is used, no padding.
    expect(packCorrections(new BigUint64Array(128).fill(MASK)).every((w) => w === 0xffffffff)).toBe(true);
    const unpacked = unpackCorrections(new Uint32Array(65).fill(0xffffffff), 1);
    expect([unpacked[0], unpacked[1], unpacked[31], unpacked[32], unpacked[62], unpacked[63]]).toEqual([
      MASK,
      MASK >> 1n,
      MASK >> 31n,
      MASK >> 32n,
      3n,
      1n,
    ]);
  });

  it('matches the BigInt reference and round-trips to d_k mod 2^(64−k) for random values', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: MASK }), { minLength: 64, maxLength: 64 * 4 }), (vs) => {
        const d = BigUint64Array.from(vs.slice(0, vs.length - (vs.length % 64)));
        const packed = packCorrections(d);
        expect(packed).toEqual(referencePack(d));
        expect([...unpackCorrections(packed, d.length / 64)]).toEqual([...d].map((v, j) => low(v, j % 64)));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a packed length that does not match the count', () => {
    expect(() => unpackCorrections(new Uint32Array(64), 1)).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
  });
});

describe('Gilboa pure steps', () => {
  it('known answer with zero pads: d_k = x mod 2^(64−k), shares 0 and x·y', () => {
    const zero = new BigUint64Array(64);
    const { d, share } = gilboaSenderStep(BigUint64Array.of(3n), zero, zero);
    const du = unpackCorrections(d, 1);
    expect(du[0]).toBe(3n);
    expect(du[5]).toBe(3n);
    expect(du[62]).toBe(3n); // mod 4
    expect(du[63]).toBe(1n); // mod 2
    expect(share[0]).toBe(0n);
    expect(gilboaReceiverStep(BigUint64Array.of(5n), zero, d)[0]).toBe(15n);
  });

  it('known answer with fixed pads: c0 + c1 = x·y mod 2^64 at the extremes', () => {
    const x = BigUint64Array.of(0n, 1n, MASK, 0x0123456789abcdefn, 1n << 63n);
    const y = BigUint64Array.of(7n, MASK, MASK, 0xfedcba9876543210n, 3n);
    const { share, other } = run(x, y, 42n);
    const expected = [0n, MASK, 1n, (0x0123456789abcdefn * 0xfedcba9876543210n) & MASK, 1n << 63n];
    expect([...x].map((_, i) => (share[i]! + other[i]!) & MASK)).toEqual(expected);
    // The sender's share is −Σ_k 2^k·m0_k for its product: with fixed pads, a fixed value.
    const m0 = pads(64 * x.length, 42n);
    let sum = 0n;
    for (let k = 0; k < 64; k++) sum += m0[64 * 2 + k]! << BigInt(k);
    expect(share[2]).toBe(-sum & MASK);
  });

  it('matches the BigInt reference d_k = m0 − m1 + x mod 2^(64−k) and shares for random inputs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: MASK }), { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 0n, max: MASK }),
        (xs, seed) => {
          const x = BigUint64Array.from(xs);
          const y = pads(x.length, seed ^ 0xabcn);
          const { m0, m1, d, share, other } = run(x, y, seed);
          expect(d.length).toBe(x.length * PACKED_WORDS);
          const du = unpackCorrections(d, x.length);
          for (let j = 0; j < du.length; j++) {
            const k = j % 64;
            expect(du[j]).toBe(low(m0[j]! - m1[j]! + x[Math.floor(j / 64)]! + (1n << 64n), k));
          }
          for (let i = 0; i < x.length; i++) {
            let sum = 0n;
            for (let k = 0; k < 64; k++) sum += m0[64 * i + k]! << BigInt(k);
            expect(share[i]).toBe(-sum & MASK);
            expect((share[i]! + other[i]!) & MASK).toBe((x[i]! * y[i]!) & MASK);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses OT values or corrections of the wrong length with ERR_PROTOCOL', () => {
    const x = new BigUint64Array(2);
    expect(() => gilboaSenderStep(x, new BigUint64Array(128), new BigUint64Array(127))).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
    expect(() => gilboaReceiverStep(x, new BigUint64Array(128), new Uint32Array(64))).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
    expect(() => gilboaReceiverStep(x, new BigUint64Array(127), new Uint32Array(130))).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
  });
});

/** One ring's Gilboa as the tests see it: elements as bigints, W words each. */
interface Flavour {
  W: number;
  words: number;
  pack(d: BigUint64Array): Uint32Array;
  unpack(p: Uint32Array, n: number): BigUint64Array;
  send(x: BigUint64Array, m0: BigUint64Array, m1: BigUint64Array): { d: Uint32Array; share: BigUint64Array };
  recv(y: BigUint64Array, mc: BigUint64Array, d: Uint32Array): BigUint64Array;
}

const FLAVOURS: Record<64 | 128, Flavour> = {
  64: {
    W: 1,
    words: PACKED_WORDS,
    pack: packCorrections,
    unpack: unpackCorrections,
    send: gilboaSenderStep,
    recv: gilboaReceiverStep,
  },
  128: {
    W: 2,
    words: WIDE_PACKED_WORDS,
    pack: packWideCorrections,
    unpack: unpackWideCorrections,
    send: wideSenderStep,
    recv: wideReceiverStep,
  },
};

describe.each([64, 128] as const)('Gilboa in Z_2^%i', (bits) => {
  const f = FLAVOURS[bits];
  const L = BigInt(bits);
  const mod = 1n << L;
  const elems = (v: BigUint64Array) =>
    Array.from({ length: v.length / f.W }, (_, i) => (f.W === 1 ? v[i]! : v[2 * i]! + (v[2 * i + 1]! << 64n)));
  const vector = (xs: bigint[]) => {
    const out = new BigUint64Array(xs.length * f.W);
    xs.forEach((x, i) => {
      const v = ((x % mod) + mod) % mod;
      if (f.W === 1) out[i] = v;
      else [out[2 * i], out[2 * i + 1]] = [v & MASK, v >> 64n];
    });
    return out;
  };
  const random = (rng: (n: number) => Uint8Array, n: number) => new BigUint64Array(rng(8 * n * f.W).slice().buffer);
  /** The receiver's chosen messages: m1 where bit k of its y is 1. */
  const pick = (y: BigUint64Array, m0: BigUint64Array, m1: BigUint64Array) => {
    const [Y, A, B] = [elems(y), elems(m0), elems(m1)];
    return vector(A.map((a, j) => ((Y[Math.floor(j / bits)]! >> BigInt(j % bits)) & 1n ? B[j]! : a)));
  };

  it(`packs ${bits} corrections per product into Σ(${bits} − k) bits and unpacks d_k mod 2^(${bits}−k)`, () => {
    expect(f.words * 32).toBe((bits * (bits + 1)) / 2);
    const rng = seededBytes(bits);
    for (const n of [1, 3]) {
      const d = random(rng, n * bits);
      const packed = f.pack(d);
      expect(packed.length).toBe(n * f.words);
      const back = elems(f.unpack(packed, n));
      const want = elems(d).map((v, j) => v & ((1n << (L - BigInt(j % bits))) - 1n));
      expect(back).toEqual(want);
      back.forEach((v, j) => {
        if (v >= 1n << (L - BigInt(j % bits))) throw new Error(`d_${j % bits} is wider than ${bits} − k bits`);
      });
      expect(f.pack(f.unpack(packed, n))).toEqual(packed);
    }
    expect(() => f.unpack(new Uint32Array(f.words - 1), 1)).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
  });

  it('gives shares of x·y exactly, at the extremes and for random values', () => {
    const rng = seededBytes(7 * bits);
    const top = mod - 1n;
    const xs = [0n, 1n, top, 1n << (L - 1n), 0x0123456789abcdefn, ...elems(random(rng, 5))];
    const ys = [top, top, top, 3n, 0xfedcba9876543210n << (L - 64n), ...elems(random(rng, 5))];
    const [x, y] = [vector(xs), vector(ys)];
    const m0 = random(rng, xs.length * bits);
    const m1 = random(rng, xs.length * bits);
    const { d, share } = f.send(x, m0, m1);
    const other = f.recv(y, pick(y, m0, m1), d);
    const [s0, s1] = [elems(share), elems(other)];
    expect(xs.map((_, i) => (s0[i]! + s1[i]!) % mod)).toEqual(xs.map((v, i) => (v * ys[i]!) % mod));
    const M0 = elems(m0); // the sender keeps −Σ_k 2^k·m0_k
    let sum = 0n;
    for (let k = 0; k < bits; k++) sum += M0[k]! << BigInt(k);
    expect(s0[0]).toBe(((-sum % mod) + mod) % mod);
  });

  it('sends corrections that look uniform whatever x is (masked by the unchosen messages)', () => {
    const rng = seededBytes(11 * bits);
    const n = 64;
    for (const xv of [0n, mod - 1n]) {
      const x = vector(new Array(n).fill(xv));
      const { d } = f.send(x, random(rng, n * bits), random(rng, n * bits));
      let ones = 0;
      for (const w of d) for (let b = w; b; b &= b - 1) ones++;
      const total = d.length * 32;
      expect(Math.abs(ones - total / 2)).toBeLessThan((4 * Math.sqrt(total)) / 2); // within 4σ
    }
  });

  it('refuses OT values of the wrong length with ERR_PROTOCOL', () => {
    const x = new BigUint64Array(2 * f.W);
    const ok = new BigUint64Array(2 * bits * f.W);
    expect(() => f.send(x, ok, ok.subarray(1))).toThrow(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
    expect(() => f.recv(x, ok, new Uint32Array(2 * f.words - 1))).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL' }),
    );
  });
});
