// Shared machinery of the non-linear math ops (ops-math, ops-exp, ops-stats): the Proto step runner
// over an op's reserved material, bit decomposition, the leading-one normalisation, Newton for 1/v.
//
// Non-linear math on secret float64 arrays: reciprocal, division by a secret, exp, sigmoid, sqrt,
// softmax, var, std, and the pieces of power(x, k < 0) and average with secret weights. Nothing
// is revealed: every message is a masked opening (Beaver, truncation bit, AND word) whose count
// and size depend only on the shapes, and each op reserves its correlations from the shapes.
// Notation: f = fracBits, u = 2^-f (one ulp), W = 28 (the working precision of the iterations).
//
// BIT DECOMPOSITION (a2b). A value x = x0 + x1 mod 2^64 becomes XOR-shared bits with the
// Kogge–Stone carry of protocols-bool.ts (msbBits), keeping every carry instead of only the top
// one: bits = X0 ⊕ X1 ⊕ (G << 1). 7 rounds, 12 AND-triple words per value.
//
// LEADING ONE (leadingOne). A prefix OR towards bit 0 of XOR-shared 32-bit words (5 rounds, 5 AND
// words), then the one-hot leading bit locally; see RECIPROCAL in ops-math.ts.

import { ParleyError } from '../../shared/errors.js';
import type { SecureArray } from './array.js';
import type { TripleShares } from './correlations.js';
import { sliceMaterial, widen } from './operand.js';
import type { Needs, TruncMaterial } from './preprocessing.js';
import { beaverMul, bitsToArithmetic, concat, truncate } from './protocols.js';
import { andSupply, andWords } from './protocols-bool.js';
import type { RunContext } from './session.js';

/** Working fractional bits of the normalised iterations. */
export const W = 28;
export const MASK32 = 0xffffffffn;

/** Sequential protocol steps of one op: a stage per round, slices of the op's reserved material. */
export class Proto {
  private stage = 0;
  private t = 0;
  private tr = 0;
  private readonly and: ReturnType<typeof andSupply>;
  private andUsed = 0;
  readonly p0: boolean;
  constructor(readonly c: RunContext) {
    this.and = andSupply(c.material!.and);
    this.p0 = c.wire.party === 0;
  }
  private triples(n: number): TripleShares {
    const all = this.c.material!.triples;
    if (this.t + n > all.a.length) throw new ParleyError('ERR_INTERNAL', `needed more than ${all.a.length} triples`);
    const out = sliceMaterial(all, this.t, n);
    this.t += n;
    return out;
  }
  private truncs(n: number): TruncMaterial {
    const all = this.c.material!.trunc.bits;
    if (this.tr + n > all.mine.length)
      throw new ParleyError('ERR_INTERNAL', `needed more than ${all.mine.length} truncations`);
    const bits = sliceMaterial(all, this.tr, n);
    this.tr += n;
    return { kind: 'bits', bits };
  }
  /** Exact products (one round). */
  mul(x: BigUint64Array, y: BigUint64Array): Promise<BigUint64Array> {
    return beaverMul(this.c.wire, this.c.key(this.stage++), x, y, this.triples(x.length));
  }
  /** ⌊x / 2^shift⌉ (one round). */
  trunc(x: BigUint64Array, shift: number): Promise<BigUint64Array> {
    return truncate(this.c.wire, this.c.key(this.stage++), x, shift, this.truncs(x.length));
  }
  async mulTrunc(x: BigUint64Array, y: BigUint64Array, shift: number): Promise<BigUint64Array> {
    return this.trunc(await this.mul(x, y), shift);
  }
  /** Arithmetic 0/1 shares of XOR-shared bits (one round). */
  b2a(bits: BigUint64Array): Promise<BigUint64Array> {
    return bitsToArithmetic(this.c.wire, this.c.key(this.stage++), bits, this.triples(bits.length));
  }
  private andW(u: BigUint64Array, v: BigUint64Array): Promise<BigUint64Array> {
    this.andUsed += u.length;
    return andWords(this.c.wire, this.c.key(this.stage++), u, v, this.and(u.length));
  }
  /** XOR shares of the 64 bits of x0 + x1 (7 rounds, 12 AND words per value). */
  async a2b(x: BigUint64Array): Promise<BigUint64Array> {
    const n = x.length;
    const zero = new BigUint64Array(n);
    let G = await this.andW(this.p0 ? x : zero, this.p0 ? zero : x);
    let P = x.slice();
    for (let k = 1n; k <= 32n; k <<= 1n) {
      const sG = new BigUint64Array(n);
      for (let i = 0; i < n; i++) sG[i] = G[i]! << k;
      if (k === 32n) {
        const gp = await this.andW(P, sG);
        for (let i = 0; i < n; i++) G[i] = G[i]! ^ gp[i]!;
      } else {
        const sP = new BigUint64Array(n);
        for (let i = 0; i < n; i++) sP[i] = P[i]! << k;
        const both = await this.andW(concat([P, P]), concat([sG, sP]));
        const next = new BigUint64Array(n);
        for (let i = 0; i < n; i++) next[i] = G[i]! ^ both[i]!;
        G = next;
        P = both.slice(n);
      }
    }
    const out = new BigUint64Array(n);
    for (let i = 0; i < n; i++) out[i] = x[i]! ^ (G[i]! << 1n);
    return out;
  }
  /** The one-hot leading bit of XOR-shared 32-bit words (5 rounds, 5 AND words per value). */
  async leadingOne(w: BigUint64Array): Promise<BigUint64Array> {
    const n = w.length;
    let y = w.map((v) => v & MASK32);
    const flip = this.p0 ? MASK32 : 0n;
    for (let k = 1n; k <= 16n; k <<= 1n) {
      const u = new BigUint64Array(n);
      const v = new BigUint64Array(n);
      for (let i = 0; i < n; i++) {
        u[i] = y[i]! ^ flip;
        v[i] = ((y[i]! >> k) ^ flip) & MASK32;
      }
      const z = await this.andW(u, v);
      y = z.map((q) => (q ^ flip) & MASK32);
    }
    return y.map((q) => q ^ (q >> 1n));
  }
  /** Throws unless exactly the reserved material was used (guards the shape-only reservations). */
  done(): void {
    const m = this.c.material;
    const want = { t: m ? m.triples.a.length : 0, tr: m ? m.trunc.bits.mine.length : 0, and: m ? m.and.a.length : 0 };
    if (this.t !== want.t || this.tr !== want.tr || this.andUsed !== want.and) {
      throw new ParleyError(
        'ERR_INTERNAL',
        `math op used ${this.t}/${want.t} triples, ${this.tr}/${want.tr} truncations, ${this.andUsed}/${want.and} AND words`,
      );
    }
  }
}

export const scaled = (x: number, bits: number) => BigInt(Math.round(x * 2 ** bits));
/** The public constant k at party 0, 0 at party 1, added to every element. */
export function addConst(p: Proto, x: BigUint64Array, k: bigint): BigUint64Array {
  return p.p0 ? x.map((v) => v + k) : x.slice();
}
/** Bit j of each word (0n/1n). */
export const bitOf = (x: BigUint64Array, j: number) => x.map((v) => (v >> BigInt(j)) & 1n);

/** Newton–Raphson for 1/v, v ∈ [1/2, 1] with W bits: y with W bits (12 rounds, 6 triples, 6 truncations). */
export async function newtonRecip(p: Proto, V: BigUint64Array, Wb: number): Promise<BigUint64Array> {
  let Y = addConst(
    p,
    V.map((v) => -2n * v),
    scaled(2.9142, Wb),
  );
  const two = 2n << BigInt(Wb);
  for (let it = 0; it < 3; it++) {
    const t = await p.mulTrunc(V, Y, Wb);
    const u = addConst(
      p,
      t.map((v) => -v),
      two,
    );
    Y = await p.mulTrunc(Y, u, Wb);
  }
  return Y;
}

export const asFloat = (x: SecureArray): SecureArray => widen(x.dtype === 'bool' ? widen(x, 'int64') : x, 'float64');

function scaleNeeds(base: Needs, n: number): Needs {
  return {
    andWords: (base.andWords ?? 0) * n,
    triples: (base.triples ?? 0) * n,
    truncations: (base.truncations ?? 0) * n,
  };
}

/**
 * An element-wise function as one operation: x as float64, `perValue` correlations per element
 * reserved from the shape, and `core` run on the shares (it must use exactly those).
 */
export function elementwise(
  x0: SecureArray,
  perValue: Needs,
  core: (p: Proto, X: BigUint64Array, f: number) => Promise<BigUint64Array>,
): SecureArray {
  const x = asFloat(x0);
  const f = x.session.fracBits;
  return x.session.derive({
    inputs: [x],
    dtype: 'float64',
    shape: ([sh]) => sh!,
    needs: (_, out) =>
      scaleNeeds(
        perValue,
        out.reduce((a, b) => a * b, 1),
      ),
    run: async (c) => {
      const p = new Proto(c);
      const r = await core(p, c.shares[0]!, f);
      p.done();
      return r;
    },
  });
}

export type Axis = number | readonly number[] | null | undefined;
