// The WebAssembly SHA-512 compression against @noble/hashes: whole messages of 0 to 400 bytes
// (1 to 4 blocks, every padding boundary), padded and word-swapped here independently.

import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moduleBytes } from '../../../shared/ring128/emit.js';
import { SHA512_COMPRESS, SHA512_IV } from '../../../workers/join/sha512-wasm.js';

const k = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes([SHA512_COMPRESS]))).exports as unknown as {
  mem: WebAssembly.Memory;
  sha512(state: number, block: number): void;
};

function wasmSha512(msg: Uint8Array): Uint8Array {
  const blocks = Math.ceil((msg.length + 17) / 128);
  const padded = new Uint8Array(128 * blocks);
  padded.set(msg);
  padded[msg.length] = 0x80;
  new DataView(padded.buffer).setBigUint64(padded.length - 8, BigInt(msg.length * 8));
  const memory = new Uint8Array(k.mem.buffer);
  for (let i = 0; i < padded.length; i++) memory[64 + (i ^ 7)] = padded[i] as number;
  const state = new BigInt64Array(k.mem.buffer, 0, 8);
  state.set(SHA512_IV);
  for (let b = 0; b < blocks; b++) k.sha512(0, 64 + 128 * b);
  const out = new DataView(new ArrayBuffer(64));
  state.forEach((w, i) => out.setBigInt64(8 * i, w));
  return new Uint8Array(out.buffer);
}

describe('SHA512_COMPRESS', () => {
  it('hashes as SHA-512 at every length from 0 to 400 bytes', () => {
    for (let n = 0; n <= 400; n++) {
      const msg = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(wasmSha512(msg)).toEqual(sha512(msg));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (msg) => {
        expect(wasmSha512(msg)).toEqual(sha512(msg));
      }),
      { numRuns: 50 },
    );
  });
});
