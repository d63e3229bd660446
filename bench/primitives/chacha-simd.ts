// ChaCha8 in WebAssembly SIMD for bench/primitives.ts, the module written out as bytes here (no
// compiler is installed): four blocks at once, state word i of the four in one v128 (lanes =
// blocks), the rounds unrolled, rotations by 16 and 8 as byte shuffles, by 12 and 7 as shifts.
// Same function as bench/primitives/chacha.ts (the bench checks it): `ggm(in, out, n)` expands n
// seeds (n a multiple of 4) into 4n children, `hash(in, out, n, first)` hashes n blocks with the
// indices first, first + 1, ….

import { wasmModule } from '../../shared/wasm-module.js';
import { Body, I32X4_ADD, I32X4_SPLAT, V128_CONST, words } from '../../workers/ot/silent/wasm-simd.js';

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

function ggmBody(): number[] {
  const f = new Body(3); // in, out, n
  f.loop(
    2,
    [
      [0, 64],
      [1, 256],
    ],
    () => {
      f.loadTransposed(0, f.k);
      f.initState(SIGMA);
      for (let i = 0; i < 4; i++) f.get(f.k[i]!).set(f.x[8 + i]!);
      f.rounds();
      f.feedForward([
        ...[0, 1, 2, 3].map((i): [number, number[]] => [i, Array(4).fill(SIGMA[i])]),
        ...[4, 5, 6, 7, 8, 9, 10, 11].map((i): [number, number] => [i, f.k[i % 4]!]),
      ]);
      for (let g = 0; g < 4; g++) f.storeTransposed(f.x.slice(4 * g, 4 * g + 4), 1, 16 * g, 64);
    },
  );
  return f.bytes();
}

function hashBody(): number[] {
  const f = new Body(4); // in, out, n, first index
  f.loop(
    2,
    [
      [0, 64],
      [1, 64],
      [3, 4],
    ],
    () => {
      f.loadTransposed(0, f.k);
      f.initState(SIGMA);
      f.get(3)
        .op(...I32X4_SPLAT)
        .op(...V128_CONST, ...words([0, 1, 2, 3]))
        .op(...I32X4_ADD)
        .set(f.x[8]!);
      for (let i = 9; i < 12; i++) f.op(...V128_CONST, ...Array(16).fill(0)).set(f.x[i]!);
      f.rounds();
      f.feedForward([0, 1, 2, 3].map((i): [number, number[]] => [i, Array(4).fill(SIGMA[i])]));
      f.storeTransposed(f.x.slice(0, 4), 1, 0, 16);
    },
  );
  return f.bytes();
}

/** The module's bytes: memory "mem" (1 page, grow it), functions "ggm" and "hash". */
export function chachaSimdModule(): Uint8Array<ArrayBuffer> {
  return wasmModule([
    { name: 'ggm', params: 3, body: ggmBody() },
    { name: 'hash', params: 4, body: hashBody() },
  ]);
}
