// The tree PRG of silent OT (workers/ot/silent/chacha-ggm.ts): ChaCha8 with a 128-bit key against
// the published test vector, and the WebAssembly SIMD version equal to the JavaScript one on
// every size (both parties must compute identical trees whichever engine they run).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChachaGgm, chachaGgmJs } from '../../../../workers/ot/silent/chacha-ggm.js';

const hex = (w: Uint32Array) => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('hex');

describe('ChaCha8 tree PRG', () => {
  it('gives the known answer: ChaCha8, 128-bit zero key, zero IV, first 32 keystream bytes', async () => {
    // draft-strombergson-chacha-test-vectors, TC1 (128-bit key, 8 rounds): e28a5fa4…53491120.
    const want = 'e28a5fa4a67f8c5defed3e6fb7303486aa8427d31419a729572d777953491120';
    expect(hex(chachaGgmJs(new Uint32Array(4)))).toBe(want);
    const g = await ChachaGgm.create();
    expect(g.simd).toBe(true); // Node 20 and Chromium run WebAssembly SIMD
    expect(hex(g.expand(new Uint32Array(4)))).toBe(want);
  });

  it('computes the same children in WebAssembly SIMD and JavaScript for any level size', async () => {
    const g = await ChachaGgm.create();
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
    const g = await ChachaGgm.create();
    const level = new Uint32Array(8);
    level[4] = 1;
    const c = g.expand(level);
    const blocks = [0, 1, 2, 3].map((b) => hex(c.subarray(4 * b, 4 * b + 4)));
    expect(new Set(blocks).size).toBe(4);
  });

  it('refuses a level that is not whole blocks', async () => {
    const g = await ChachaGgm.create();
    expect(() => g.expand(new Uint32Array(6))).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
  });
});
