// The WebAssembly field arithmetic mod 2^255 - 19 against textbook BigInt: every function on edge
// values (0, 1, p - 1, values just above p, the widest 48-byte inputs) and on random elements,
// including the canonical reduction behind equality, sgn0 and the output bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moduleBytes } from '../../../shared/ring128/emit.js';
import { FE, FIELD_FUNCS, limbsOf, SCRATCH_BYTES } from '../../../workers/join/field-wasm.js';

const P = (1n << 255n) - 19n;
const mod = (x: bigint) => ((x % P) + P) % P;
function pow(base: bigint, e: bigint): bigint {
  let r = 1n;
  for (let b = mod(base); e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}

type Fn = (...args: number[]) => void;
const k = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(FIELD_FUNCS))).exports as unknown as Record<
  string,
  Fn
> & { mem: WebAssembly.Memory };
k.mem.grow(1);
const [X, Y, Z, FLAG, BYTES] = [0, FE, 2 * FE, 3 * FE, 4 * FE].map((o) => SCRATCH_BYTES + o) as [
  number,
  number,
  number,
  number,
  number,
];
const words = () => new BigInt64Array(k.mem.buffer);
const put = (address: number, x: bigint) => limbsOf(x).forEach((l, i) => (words()[address / 8 + i] = l));
const le = (address: number, length: number) => {
  let x = 0n;
  const bytes = new Uint8Array(k.mem.buffer, address, length);
  for (let i = length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i] as number);
  return x;
};
/** The value at address, through toBytes (canonical by construction). */
const value = (address: number) => {
  (k.toBytes as Fn)(BYTES, address);
  return le(BYTES, 32);
};
const flag = () => new Int32Array(k.mem.buffer, FLAG, 1)[0];

const EDGES = [0n, 1n, 2n, 19n, P - 1n, P - 2n, (1n << 254n) - 1n, 1n << 254n, (1n << 26n) - 1n, 1n << 25n];

describe('field-wasm (mod 2^255 - 19, ref10 limbs)', () => {
  it('computes every operation exactly on edge and random elements', () => {
    const check = (a: bigint, b: bigint) => {
      put(X, a);
      put(Y, b);
      const ops: [string, bigint][] = [
        ['mul', mod(a * b)],
        ['add', mod(a + b)],
        ['sub', mod(a - b)],
      ];
      for (const [op, want] of ops) {
        (k[op] as Fn)(Z, X, Y);
        expect(value(Z)).toBe(want);
      }
      (k.sq as Fn)(Z, X);
      expect(value(Z)).toBe(mod(a * a));
      (k.sqn as Fn)(Z, X, 3);
      expect(value(Z)).toBe(pow(a, 8n));
      (k.pow22523 as Fn)(Z, X);
      expect(value(Z)).toBe(pow(a, (P - 5n) / 8n));
      (k.invert as Fn)(Z, X);
      expect(value(Z)).toBe(pow(a, P - 2n));
      (k.eq as Fn)(FLAG, X, Y);
      expect(flag()).toBe(a === b ? 1 : 0);
      (k.sgn0 as Fn)(FLAG, X);
      expect(flag()).toBe(Number(a & 1n));
    };
    for (const a of EDGES) for (const b of EDGES) check(a, b);
    const element = fc.bigInt({ min: 0n, max: P - 1n });
    fc.assert(fc.property(element, element, check), { numRuns: 40 });
  });

  it('treats sums and differences that wrap past p as their residues', () => {
    put(X, P - 1n);
    put(Y, 1n);
    (k.add as Fn)(Z, X, Y); // p ≡ 0
    expect(value(Z)).toBe(0n);
    put(X, 0n);
    (k.eq as Fn)(FLAG, Z, X);
    expect(flag()).toBe(1);
    (k.sub as Fn)(Z, X, Y); // -1 ≡ p - 1
    expect(value(Z)).toBe(P - 1n);
    (k.sgn0 as Fn)(FLAG, Z);
    expect(flag()).toBe(0);
  });

  it('reduces 48-byte little-endian numbers mod p (fromWide)', () => {
    const wide = (x: bigint) => {
      const bytes = new Uint8Array(k.mem.buffer, BYTES + 64, 64);
      bytes.fill(0);
      for (let i = 0; i < 48; i++) bytes[i] = Number((x >> BigInt(8 * i)) & 0xffn);
      (k.fromWide as Fn)(Z, BYTES + 64);
      return value(Z);
    };
    for (const x of [0n, P - 1n, P, P + 1n, (1n << 255n) - 1n, 1n << 255n, (1n << 256n) - 1n, (1n << 384n) - 1n])
      expect(wide(x)).toBe(x % P);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 384n) - 1n }), (x) => {
        expect(wide(x)).toBe(x % P);
      }),
      { numRuns: 50 },
    );
  });
});
