// The tree PRG of silent OT (workers/ot/silent/chacha.ts): ChaCha8 with a 128-bit key against
// the published test vector, and the WebAssembly SIMD version equal to the JavaScript one on
// every size (both parties must compute identical trees whichever engine they run).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chachaGgmJs, chachaStreamJs } from '../../../../workers/ot/silent/chacha.js';
import { Kernels } from '../../../../workers/ot/silent/kernels.js';

const hex = (w: Uint32Array) => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('hex');

describe('ChaCha8 tree PRG', () => {
  it('gives the known answer: ChaCha8, 128-bit zero key, zero IV, first 32 keystream bytes', async () => {
    // draft-strombergson-chacha-test-vectors, TC1 (128-bit key, 8 rounds): e28a5fa4…53491120.
    const want = 'e28a5fa4a67f8c5defed3e6fb7303486aa8427d31419a729572d777953491120';
    expect(hex(chachaGgmJs(new Uint32Array(4)))).toBe(want);
    const g = await Kernels.create();
    expect(g.simd).toBe(true); // Node 20 and Chromium run WebAssembly SIMD
    expect(hex(g.expand(new Uint32Array(4)))).toBe(want);
  });

  it('computes the same children in WebAssembly SIMD and JavaScript for any level size', async () => {
    const g = await Kernels.create();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 70 }), fc.integer(), async (n, seed) => {
        const level = new Uint32Array(4 * n).map((_, i) => Math.imul(i + 1, seed | 1) >>> 0);
        const copy = level.slice();
        const a = g.expand(level);
        expect(a.length).toBe(8 * n);
        expect(hex(a)).toBe(hex(chachaGgmJs(level)));
        expect(level).toEqual(copy); // the input is left as it was
      }),
      { numRuns: 30 },
    );
  });

  it('gives different children for seeds that differ in one bit, and two different children per seed', async () => {
    const g = await Kernels.create();
    const level = new Uint32Array(8);
    level[4] = 1;
    const c = g.expand(level);
    const blocks = [0, 1, 2, 3].map((b) => hex(c.subarray(4 * b, 4 * b + 4)));
    expect(new Set(blocks).size).toBe(4);
  });

  it('refuses a level that is not whole blocks', async () => {
    const g = await Kernels.create();
    expect(() => g.expand(new Uint32Array(6))).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
  });
});

describe('ChaCha8 keystream (the LPN code)', () => {
  it('computes the same blocks in WebAssembly SIMD and JavaScript, from any counter and nonce', async () => {
    const c = await Kernels.create();
    const key = Uint32Array.of(1, 2, 3, 0xffffffff);
    for (const [counter, nonce, blocks] of [
      [0, 0, 1],
      [5, 7, 13],
      [2 ** 32 - 8, 3, 8],
    ] as const) {
      expect(hex(c.stream(key, counter, nonce, blocks))).toBe(hex(chachaStreamJs(key, counter, nonce, blocks)));
    }
  });

  it('starts with the tree PRG block for the same key: one block function for both uses', async () => {
    const c = await Kernels.create();
    const key = Uint32Array.of(9, 8, 7, 6);
    expect(hex(c.stream(key, 0, 0, 1).subarray(0, 8))).toBe(hex(c.expand(key)));
  });

  it('refuses a keystream that would wrap the 32-bit counter', async () => {
    const c = await Kernels.create();
    expect(() => c.stream(new Uint32Array(4), 2 ** 32 - 2, 0, 4)).toThrow(
      expect.objectContaining({ code: 'ERR_INTERNAL' }),
    );
  });
});
