// The LPN encoder of Ferret's primal construction: y = x·A ⊕ e over blocks, where A is a public
// k × n local linear code with D = 10 nonzero entries per column (Ferret, CCS 2020, §3 and §6;
// the "local linear code" LPN assumption of Alekhnovich, FOCS 2003, with regular noise). Output
// row i XORs the D blocks x[idx(i, 0..D−1)] into row i of the noise vector; the sender encodes
// its blocks q and the receiver its blocks t = q ⊕ r·Δ, so the outputs keep the COT correlation
// (and bit 0 of the receiver's output is its new choice bit, the same XOR of bits).
//
// THE CODE. idx(i, d) = ⌊w·k / 2^32⌋ for w = word D·i + d of the keystream of ChaCha8 (chacha.ts)
// under the code's key (from the instance seed) with the caller's chunk number as nonce: D
// consecutive words per row, so 8 rows take 5 keystream blocks. The bias of ⌊w·k / 2^32⌋ is below
// k / 2^32 < 2^-12 per index; the matrix is public and fixed per instance and parameter set (as in
// emp-ot), which the assumption allows: every iteration uses a fresh secret x and fresh noise e.
// The keystream is drawn and consumed 2^15 rows at a time (kernels.ts), so it stays in cache.

import { ParleyError } from '../../../shared/errors.js';
import type { Kernels } from './kernels.js';
import { LPN_WEIGHT } from './lpn-kernel.js';

export { LPN_WEIGHT };

const TWO_32 = 2 ** 32;

/** A public k × n code, read row-block by row-block (its key names the matrix). */
export class LpnCode {
  constructor(
    private readonly kernels: Kernels,
    private readonly key: Uint32Array,
    readonly k: number,
  ) {
    if (!Number.isInteger(k) || k < 1 || k > 2 ** 21) throw new ParleyError('ERR_INTERNAL', `bad LPN dimension ${k}`);
    if (key.length !== 4) throw new ParleyError('ERR_INTERNAL', 'expected a 4-word code key');
  }

  /** Row i's D indices into x, for rows [0, m) of chunk `stream` (D·m numbers; for tests and tools). */
  indices(stream: number, m: number): Uint32Array {
    const out = new Uint32Array(LPN_WEIGHT * m);
    const ks = this.kernels.stream(this.key, 0, stream, Math.ceil((LPN_WEIGHT * m) / 16));
    for (let i = 0; i < LPN_WEIGHT * m; i++) out[i] = (ks[i]! * this.k) / TWO_32;
    return out;
  }

  /** XORs x·A into rows [0, m) of `out` (4 words per row) for chunk `stream`. */
  encode(out: Uint32Array, m: number, x: Uint32Array, stream: number): void {
    if (x.length !== 4 * this.k || out.length < 4 * m)
      throw new ParleyError('ERR_INTERNAL', 'LPN encode: wrong block counts');
    this.kernels.lpn(out, m, x, this.k, this.key, stream);
  }
}
