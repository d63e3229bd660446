// Shared machinery of the non-linear math ops (ops-math, ops-exp, ops-stats): the Proto step runner
// over an op's reserved material, bit decomposition, the leading-one normalisation, Newton for 1/v.
//
// Non-linear math on secret float64 arrays: reciprocal, division by a secret, exp, sigmoid, sqrt,
// softmax, var, std, and the pieces of power(x, k < 0) and average with secret weights. Nothing
// is revealed: every message is a masked opening (Beaver, truncation bit, AND word) whose count
// and size depend only on the shapes, and each op reserves its correlations from the shapes.
// Notation: f = fracBits, u = 2^-f (one ulp), W = 28 (the working precision of the iterations),
// ℓ = the ring's bits (64 or 128), H = ℓ/2 (the normalisation width: |D| < 2^(H−1) ring units).
// Every op is written once over the session's Ring; only the widths below depend on ℓ.
//
// BIT DECOMPOSITION (a2b). A value x = x0 + x1 mod 2^ℓ becomes XOR-shared bits with the
// Kogge–Stone carries of protocols-bool.ts (carries), keeping every carry instead of only the top
// one: bits = X0 ⊕ X1 ⊕ (G << 1). 7 rounds, 12 AND-triple words per value in Z_2^64; in Z_2^128
// 8 rounds, 27 words, or the low-word window (the 64 bits of x mod 2^64) at 64-bit cost, which
// the ops whose inputs satisfy |X| < 2^63 (reciprocal, div, sqrt, log) use: it determines X.
//
// B2A (b2a) of XOR-shared bits u = u0 ⊕ u1 = u0 + u1 − 2·u0·u1, with u0·u1 from one bit product
// per bit (the truncation's correlation, protocols.ts bitProduct; party i's bit masked by its
// uniform one-time bit): one round, 1/8 byte online per bit and party instead of a Beaver
// opening of two ring elements, and one OT dealer-free instead of a triple. The ops count these
// bit products with their truncations (Needs.truncations).
//
// LEADING ONE (leadingOne). A prefix OR towards bit 0 of XOR-shared H-bit words (log2 H rounds,
// log2 H AND words: 5 in Z_2^64, 6 in Z_2^128), then the one-hot leading bit locally; see
// RECIPROCAL in ops-math.ts.

import { ParleyError } from '../../shared/errors.js';
import type { Ring } from '../../shared/rings.js';
import type { SecureArray } from './array.js';
import type { TripleShares } from './correlations.js';
import { sliceMaterial, widen } from './operand.js';
import type { Needs, TruncMaterial } from './preprocessing.js';
import { beaverMul, bitProduct, truncate } from './protocols.js';
import { andSupply, andWords, carries, lowWords, sumBits } from './protocols-bool.js';
import type { RunContext } from './session.js';

/** Working fractional bits of the normalised iterations. */
export const W = 28;

/** Sequential protocol steps of one op: a stage per round, slices of the op's reserved material. */
export class Proto {
  private stage = 0;
  private t = 0;
  private tr = 0;
  private readonly and: ReturnType<typeof andSupply>;
  private andUsed = 0;
  readonly p0: boolean;
  /** The session's ring; vectors below hold ring.words words per element. */
  readonly ring: Ring;
  constructor(readonly c: RunContext) {
    this.and = andSupply(c.material!.and);
    this.p0 = c.wire.party === 0;
    this.ring = c.wire.ring;
  }
  /** Elements of a vector of ring elements. */
  count(x: BigUint64Array): number {
    return x.length / this.ring.words;
  }
  private triples(n: number): TripleShares {
    const all = this.c.material!.triples;
    const w = this.ring.words;
    if (w * (this.t + n) > all.a.length)
      throw new ParleyError('ERR_INTERNAL', `needed more than ${all.a.length / w} triples`);
    const out = sliceMaterial(all, w * this.t, w * n);
    this.t += n;
    return out;
  }
  private truncs(n: number): TruncMaterial {
    const all = this.c.material!.trunc.bits;
    if (this.tr + n > all.mine.length)
      throw new ParleyError('ERR_INTERNAL', `needed more than ${all.mine.length} truncations`);
    const w = this.ring.words;
    const bits = { mine: all.mine.subarray(this.tr, this.tr + n), z: all.z.subarray(w * this.tr, w * (this.tr + n)) };
    this.tr += n;
    return { kind: 'bits', bits };
  }
  /** Exact products (one round). */
  mul(x: BigUint64Array, y: BigUint64Array): Promise<BigUint64Array> {
    return beaverMul(this.c.wire, this.c.key(this.stage++), x, y, this.triples(this.count(x)));
  }
  /** ⌊x / 2^shift⌉ (one round). */
  trunc(x: BigUint64Array, shift: number): Promise<BigUint64Array> {
    return truncate(this.c.wire, this.c.key(this.stage++), x, shift, this.truncs(this.count(x)));
  }
  async mulTrunc(x: BigUint64Array, y: BigUint64Array, shift: number): Promise<BigUint64Array> {
    return this.trunc(await this.mul(x, y), shift);
  }
  /**
   * Arithmetic 0/1 shares (ring elements) of XOR-shared bits, one bit per word: u0 ⊕ u1 =
   * u0 + u1 − 2·u0·u1 with u0·u1 from one bit product per bit (party i's share bit as m_i; its
   * opening is masked by a uniform bit): one round, 1/8 byte online per bit and party, and one
   * truncation's material per bit instead of a triple.
   */
  async b2a(bits: BigUint64Array): Promise<BigUint64Array> {
    const n = bits.length;
    const mine = bits.map((v) => v & 1n);
    const prod = await bitProduct(this.c.wire, this.c.key(this.stage++), mine, this.truncs(n).bits);
    const lifted = new BigUint64Array(this.ring.words * n);
    for (let i = 0; i < n; i++) lifted[this.ring.words * i] = mine[i]!;
    return this.ring.sub(lifted, this.ring.mulScalar(prod, 2n));
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
  /** The one-hot leading bit of XOR-shared `bits`-bit words, bits = 32 or 64 (log2 bits rounds and AND words per value). */
  async leadingOne(w: BigUint64Array, bits: number): Promise<BigUint64Array> {
    const n = w.length;
    const mask = (1n << BigInt(bits)) - 1n;
    let y = w.map((v) => v & mask);
    const flip = this.p0 ? mask : 0n;
    for (let k = 1n; k < BigInt(bits); k <<= 1n) {
      const u = new BigUint64Array(n);
      const v = new BigUint64Array(n);
      for (let i = 0; i < n; i++) {
        u[i] = y[i]! ^ flip;
        v[i] = ((y[i]! >> k) ^ flip) & mask;
      }
      const z = await this.andW(u, v);
      y = z.map((q) => (q ^ flip) & mask);
    }
    return y.map((q) => q ^ (q >> 1n));
  }
  /** Throws unless exactly the reserved material was used (guards the shape-only reservations). */
  done(): void {
    const m = this.c.material;
    const w = this.ring.words;
    const want = {
      t: m ? m.triples.a.length / w : 0,
      tr: m ? m.trunc.bits.mine.length : 0,
      and: m ? m.and.a.length : 0,
    };
    if (this.t !== want.t || this.tr !== want.tr || this.andUsed !== want.and) {
      throw new ParleyError(
        'ERR_INTERNAL',
        `math op used ${this.t}/${want.t} triples, ${this.tr}/${want.tr} truncations, ${this.andUsed}/${want.and} AND words`,
      );
    }
  }
}

/** The normalisation width H = ℓ/2 of the ring (32 or 64). */
export const halfBits = (ring: Ring) => ring.bits / 2;

export const scaled = (x: number, bits: number) => BigInt(Math.round(x * 2 ** bits));
/** The public constant k at party 0, 0 at party 1, added to every element. */
export function addConst(p: Proto, x: BigUint64Array, k: bigint): BigUint64Array {
  return p.p0 ? p.ring.addScalar(x, k) : x.slice();
}
/** Bit j of each word (0n/1n). */
export const bitOf = (x: BigUint64Array, j: number) => {
  const at = BigInt(j);
  return x.map((v) => (v >> at) & 1n);
};

const BIT = [0n, 1n] as const;
/** Bits 0 … count − 1 of each word (0n/1n), bit m of word i at m·n + i (count ≤ 64). */
export function lowBits(x: BigUint64Array, count: number): BigUint64Array {
  const n = x.length;
  const halves = new Uint32Array(x.buffer, x.byteOffset, 2 * n);
  const out = new BigUint64Array(count * n);
  for (let m = 0; m < count; m++) {
    const [h, b] = [m >> 5, m & 31];
    for (let i = 0; i < n; i++) out[m * n + i] = BIT[(halves[2 * i + h]! >>> b) & 1]!;
  }
  return out;
}

/** Σ_m coef(m)·part_m over the `count` consecutive parts of n elements each of `parts` (local). */
export function selectSum(p: Proto, parts: BigUint64Array, count: number, coef: (m: number) => bigint): BigUint64Array {
  const span = parts.length / count;
  let out: BigUint64Array = new BigUint64Array(span);
  for (let m = 0; m < count; m++)
    out = p.ring.add(out, p.ring.mulScalar(parts.subarray(m * span, (m + 1) * span), coef(m)));
  return out;
}

/** Newton–Raphson for 1/v, v ∈ [1/2, 1] with W bits: y with W bits (12 rounds, 6 triples, 6 truncations). */
export async function newtonRecip(p: Proto, V: BigUint64Array, Wb: number): Promise<BigUint64Array> {
  let Y = addConst(p, p.ring.mulScalar(V, -2n), scaled(2.9142, Wb));
  const two = 2n << BigInt(Wb);
  for (let it = 0; it < 3; it++) {
    const t = await p.mulTrunc(V, Y, Wb);
    const u = addConst(p, p.ring.neg(t), two);
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
 * (in the session's ring) reserved from the shape, and `core` run on the shares (it must use
 * exactly those).
 */
export function elementwise(
  x0: SecureArray,
  perValue: (ring: Ring) => Needs,
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
        perValue(x.session.ring),
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
