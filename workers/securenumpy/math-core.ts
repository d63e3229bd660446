// Shared machinery of the non-linear math ops (ops-math, ops-exp, ops-stats): the Proto step runner
// over an op's reserved material, bit decomposition, the leading-one normalisation, Newton for 1/v.
//
// Non-linear math on secret float64 arrays: reciprocal, division by a secret, exp, sigmoid, sqrt,
// softmax, var, std, and the pieces of power(x, k < 0) and average with secret weights. Nothing
// is revealed: every message is a masked opening (Beaver, truncation bit, AND word) whose count
// and size depend only on the shapes, and each op reserves its correlations from the shapes.
// Notation: f = fracBits, u = 2^-f (one ulp), W = 28 (the working precision of the iterations).
//
// BIT DECOMPOSITION (a2b). A value x = x0 + x1 mod 2^ℓ becomes XOR-shared bits with the
// Kogge–Stone carries of protocols-bool.ts (carries), keeping every carry instead of only the top
// one: bits = X0 ⊕ X1 ⊕ (G << 1). 7 rounds, 12 AND-triple words per value in Z_2^64; in Z_2^128
// 8 rounds, 27 words, or the low-word window (the 64 bits of x mod 2^64) at 64-bit cost.
//
// LEADING ONE (leadingOne). A prefix OR towards bit 0 of XOR-shared 32-bit words (5 rounds, 5 AND
// words), then the one-hot leading bit locally; see RECIPROCAL in ops-math.ts.

import { ParleyError } from '../../shared/errors.js';
import type { SecureArray } from './array.js';
import type { TripleShares } from './correlations.js';
import { sliceMaterial, widen } from './operand.js';
import type { Needs, TruncMaterial } from './preprocessing.js';
import { beaverMul, bitsToArithmetic, truncate } from './protocols.js';
import { andSupply, andWords, carries, lowWords, sumBits } from './protocols-bool.js';
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
  /**
   * Bit decomposition: XOR shares of the bits of x = x0 + x1.
   * - 'full' (the default): all ℓ bits, ring.words words per value (low word first); Z_2^64:
   *   7 rounds, 12 AND words per value; Z_2^128: 8 rounds, 27 AND words (msbRounds, msbAndWords).
   * - 'low': the low word only, one word per value: the 64 bits of x mod 2^64 (the low words of
   *   the shares are a valid sharing of it), 7 rounds and 12 AND words in either ring. In
   *   Z_2^128 it determines x when |x| < 2^63.
   */
  async a2b(x: BigUint64Array, window: 'full' | 'low' = 'full'): Promise<BigUint64Array> {
    const W = window === 'low' ? 1 : this.c.wire.ring.words;
    const X = lowWords(x, this.c.wire.ring.words / W);
    const G = await carries(W, this.p0, X, (u, v) => this.andW(u, v));
    return sumBits(X, G, W);
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
