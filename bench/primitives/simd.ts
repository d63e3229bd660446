// The WebAssembly SIMD ChaCha8 of bench/primitives/chacha-simd.ts instantiated with room for one
// batch: inputs are copied into the module's memory (that copy is timed with the rest), outputs
// are read in place as views of it.

import { chachaSimdModule } from './chacha-simd.js';

interface SimdExports {
  mem: WebAssembly.Memory;
  ggm(inPtr: number, outPtr: number, n: number): void;
  hash(inPtr: number, outPtr: number, n: number, firstIndex: number): void;
}

export interface ChachaSimd {
  /** 4 children per seed (n seeds, n a multiple of 4), a view of the module's memory. */
  ggm(seeds: Uint8Array): Uint8Array;
  /** The 128-bit hash of each block with the indices first, first + 1, …, a view. */
  hash(xs: Uint8Array, first: number): Uint8Array;
}

/** Whether this engine runs WebAssembly SIMD (the module validates). */
export const simdSupported = (): boolean => WebAssembly.validate(chachaSimdModule());

/** An instance with memory for `maxIn` input blocks and 4·`maxIn` output blocks. */
export async function chachaSimd(maxIn: number): Promise<ChachaSimd> {
  const { instance } = await WebAssembly.instantiate(chachaSimdModule());
  const ex = instance.exports as unknown as SimdExports;
  const outPtr = 16 * maxIn;
  const bytes = outPtr + 64 * maxIn;
  ex.mem.grow(Math.ceil(bytes / 65536));
  const check = (n: number) => {
    if (n % 64 !== 0 || n > 16 * maxIn) throw new Error(`expected ≤ ${maxIn} blocks, a multiple of 4`);
  };
  return {
    ggm(seeds) {
      check(seeds.length);
      new Uint8Array(ex.mem.buffer).set(seeds, 0);
      ex.ggm(0, outPtr, seeds.length / 16);
      return new Uint8Array(ex.mem.buffer, outPtr, 4 * seeds.length);
    },
    hash(xs, first) {
      check(xs.length);
      new Uint8Array(ex.mem.buffer).set(xs, 0);
      ex.hash(0, outPtr, xs.length / 16, first);
      return new Uint8Array(ex.mem.buffer, outPtr, xs.length);
    },
  };
}
