// The PRG at every node of silent OT's GGM trees (ggm.ts): G(s) = the first two 128-bit blocks
// of ChaCha8 keyed by the node s, child 0 = block 0, child 1 = block 1. Chosen by measurement
// (npm run bench:primitives): in Chromium this WebAssembly SIMD version expands about 100 M
// children per second, 4–10× fixed-key AES through WebCrypto and twice a JavaScript ChaCha8.
//
// SECURITY. ChaCha with a 128-bit key (Bernstein, "ChaCha, a variant of Salsa20", 2008: the
// "expand 16-byte k" constants, the key in words 4–7 and again in 8–11, counter and nonce 0) is
// modelled as a PRF keyed by s, so (block 0, block 1) is pseudorandom for a random s, which is
// all a GGM tree needs (Goldreich–Goldwasser–Micali 1986). Eight rounds: the best published
// attacks reach 7 rounds of ChaCha (Aumasson et al., FSE 2008; later improvements keep that
// margin), and Aumasson's "Too Much Crypto" (2019) argues ChaCha8 suffices; rand_chacha and
// SipHash-style uses rely on reduced-round ChaCha likewise. Keys are fresh random tree nodes,
// never chosen by the peer. If WebAssembly SIMD does not validate, the same function runs in
// JavaScript (chachaGgmJs), so two parties on different engines compute identical trees.

import { ParleyError } from '../../../shared/errors.js';
import { Body, wasmModule } from './wasm-simd.js';

/** "expand 16-byte k". */
const TAU = [0x61707865, 0x3120646e, 0x79622d36, 0x6b206574];
/** Most parents per call (a tree level of 2^19 children). */
const MAX_PARENTS = 1 << 18;

function ggmBody(): number[] {
  const f = new Body(3); // in, out, n (seeds, a multiple of 4)
  f.loop(
    2,
    [
      [0, 64],
      [1, 128],
    ],
    () => {
      f.loadTransposed(0, f.k);
      f.initState(TAU);
      for (let i = 0; i < 4; i++) f.get(f.k[i]!).set(f.x[8 + i]!);
      f.rounds();
      f.feedForward([
        ...[0, 1, 2, 3].map((i): [number, number[]] => [i, Array(4).fill(TAU[i])]),
        ...[4, 5, 6, 7].map((i): [number, number] => [i, f.k[i - 4]!]),
      ]);
      f.storeTransposed(f.x.slice(0, 4), 1, 0, 32); // child 0 of seed j at out + 32j
      f.storeTransposed(f.x.slice(4, 8), 1, 16, 32); // child 1 at out + 32j + 16
    },
  );
  return f.bytes();
}

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** The same function in JavaScript: children of `level` (4 words per seed), 8 words per seed. */
export function chachaGgmJs(level: Uint32Array): Uint32Array {
  const out = new Uint32Array(2 * level.length);
  const x = new Int32Array(16);
  for (let w = 0; w < level.length; w += 4) {
    const k = [level[w]! | 0, level[w + 1]! | 0, level[w + 2]! | 0, level[w + 3]! | 0];
    const init = [...TAU.map((c) => c | 0), ...k, ...k, 0, 0, 0, 0];
    x.set(init);
    for (let r = 0; r < 4; r++) {
      quarter(x, 0, 4, 8, 12);
      quarter(x, 1, 5, 9, 13);
      quarter(x, 2, 6, 10, 14);
      quarter(x, 3, 7, 11, 15);
      quarter(x, 0, 5, 10, 15);
      quarter(x, 1, 6, 11, 12);
      quarter(x, 2, 7, 8, 13);
      quarter(x, 3, 4, 9, 14);
    }
    for (let i = 0; i < 8; i++) out[2 * w + i] = (x[i]! + init[i]!) >>> 0;
  }
  return out;
}

function quarter(x: Int32Array, a: number, b: number, c: number, d: number): void {
  x[a] = (x[a]! + x[b]!) | 0;
  x[d] = rotl(x[d]! ^ x[a]!, 16);
  x[c] = (x[c]! + x[d]!) | 0;
  x[b] = rotl(x[b]! ^ x[c]!, 12);
  x[a] = (x[a]! + x[b]!) | 0;
  x[d] = rotl(x[d]! ^ x[a]!, 8);
  x[c] = (x[c]! + x[d]!) | 0;
  x[b] = rotl(x[b]! ^ x[c]!, 7);
}

interface Exports {
  mem: WebAssembly.Memory;
  ggm(inPtr: number, outPtr: number, n: number): void;
}

let module: Promise<WebAssembly.Module | null> | null = null;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function compiled(): Promise<WebAssembly.Module | null> {
  module ??= (async () => {
    const bytes = wasmModule([{ name: 'ggm', params: 3, body: ggmBody() }]);
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
    return WebAssembly.compile(bytes);
  })();
  return module;
}

/** The tree PRG of one party (WebAssembly SIMD, or JavaScript where SIMD is missing). */
export class ChachaGgm {
  private constructor(private readonly ex: Exports | null) {}

  static async create(): Promise<ChachaGgm> {
    const m = await compiled();
    if (!m) return new ChachaGgm(null);
    const instance = await WebAssembly.instantiate(m);
    return new ChachaGgm(instance.exports as unknown as Exports);
  }

  /** Whether this instance runs WebAssembly SIMD. */
  get simd(): boolean {
    return this.ex !== null;
  }

  /** The children of every node of `level` (4 words per node): node p → blocks 2p, 2p + 1. */
  expand(level: Uint32Array): Uint32Array {
    const n = level.length / 4;
    if (!Number.isInteger(n) || n > MAX_PARENTS)
      throw new ParleyError('ERR_INTERNAL', `expected at most ${MAX_PARENTS} whole blocks, got ${level.length} words`);
    if (!this.ex) return chachaGgmJs(level);
    const padded = Math.ceil(n / 4) * 4;
    const outPtr = 16 * padded;
    const need = outPtr + 32 * padded;
    const mem = this.ex.mem;
    if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
    const words = new Uint32Array(mem.buffer, 0, 4 * padded);
    words.set(level);
    words.fill(0, level.length);
    this.ex.ggm(0, outPtr, padded);
    return new Uint32Array(mem.buffer, outPtr, 8 * n).slice();
  }
}
