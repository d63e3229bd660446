// The LPN encoder of Ferret's primal construction: y = x·A ⊕ e over blocks, where A is a public
// k × n local linear code with D = 10 nonzero entries per column (Ferret, CCS 2020, §3 and §6;
// the "local linear code" LPN assumption of Alekhnovich, FOCS 2003, with regular noise). Output
// row i XORs the D blocks x[idx(i, 0..D−1)] into row i of the noise vector; the sender encodes
// its blocks q and the receiver its blocks t = q ⊕ r·Δ, so the outputs keep the COT correlation
// (and bit 0 of the receiver's output is its new choice bit, the same XOR of bits).
//
// THE CODE. idx(i, d) = ⌊w·k / 2^32⌋ for w the d-th 32-bit word of row i's part of the AES-CTR
// keystream (shared/prg.ts) under a key from the instance seed, stream = the caller's chunk
// number, D words per row. The bias of ⌊w·k / 2^32⌋ is below k / 2^32 < 2^-12 per index; the
// matrix is public and fixed per instance and parameter set (as in emp-ot), which the assumption
// allows: every iteration uses a fresh secret x and fresh noise e.

import { ParleyError } from '../../../shared/errors.js';
import { prgStream } from '../../../shared/prg.js';

/** Nonzero entries per column of A (Ferret's d). */
export const LPN_WEIGHT = 10;
const TWO_32 = 2 ** 32;

/** A public k × n code, read row-block by row-block (its key names the matrix). */
export class LpnCode {
  constructor(
    private readonly key: CryptoKey,
    readonly k: number,
  ) {
    if (!Number.isInteger(k) || k < 1 || k > 2 ** 24) throw new ParleyError('ERR_INTERNAL', `bad LPN dimension ${k}`);
  }

  /** Row i's D indices into x, for rows [0, m) of chunk `stream` (D·m numbers). */
  async indices(stream: number, m: number): Promise<Uint32Array> {
    const words = LPN_WEIGHT * m;
    const bytes = Math.ceil((4 * words) / 16) * 16;
    const w = new Uint32Array(await prgStream(this.key, stream, bytes), 0, words);
    const k = this.k;
    for (let i = 0; i < words; i++) w[i] = (w[i]! * k) / TWO_32; // stored truncated: ⌊w·k / 2^32⌋
    return w;
  }

  /** XORs x·A into rows [0, m) of `out` (4 words per row) for chunk `stream`. */
  async encode(out: Uint32Array, m: number, x: Uint32Array, stream: number): Promise<void> {
    if (x.length !== 4 * this.k || out.length < 4 * m)
      throw new ParleyError('ERR_INTERNAL', 'LPN encode: wrong block counts');
    const idx = await this.indices(stream, m);
    for (let i = 0, p = 0, o = 0; i < m; i++, o += 4) {
      let a0 = out[o]!;
      let a1 = out[o + 1]!;
      let a2 = out[o + 2]!;
      let a3 = out[o + 3]!;
      for (let d = 0; d < LPN_WEIGHT; d++, p++) {
        const s = 4 * idx[p]!;
        a0 ^= x[s]!;
        a1 ^= x[s + 1]!;
        a2 ^= x[s + 2]!;
        a3 ^= x[s + 3]!;
      }
      out[o] = a0;
      out[o + 1] = a1;
      out[o + 2] = a2;
      out[o + 3] = a3;
    }
  }
}
