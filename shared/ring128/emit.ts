// A minimal WebAssembly emitter for the Z_2^128 kernels (elementwise.ts, matmul.ts, beaver.ts):
// instruction bytes as arrays, a counted loop, and a module of exported functions over one
// memory. Written out by hand, as workers/ot/silent/wasm-simd.ts does for ChaCha, because no
// WebAssembly toolchain is a dependency (and shared/ may not import from workers/).

import { leb, sleb, vec, wasmModule } from '../wasm-module.js';

// Core opcodes (i64 unless named i32).
export const [ADD, SUB, MUL, OR, SHL, SHRS, SHRU] = [0x7c, 0x7d, 0x7e, 0x84, 0x86, 0x87, 0x88];
const AND = 0x83;
export const [NE, LTU, GTU, EXTU] = [0x52, 0x54, 0x56, 0xad];
export const [I32_ADD, I32_SHL] = [0x6a, 0x74];
const [BLOCK, LOOP, BR, BR_IF, END, VOID, I32_SUB, I32_EQZ] = [0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40, 0x6b, 0x45];

export const get = (l: number) => [0x20, ...leb(l)];
export const set = (l: number) => [0x21, ...leb(l)];
export const tee = (l: number) => [0x22, ...leb(l)];
export const i32 = (n: number) => [0x41, ...sleb(BigInt(n))];
export const i64 = (n: bigint) => [0x42, ...sleb(BigInt.asIntN(64, n))];
export const load = (ptr: number, off: number) => [...get(ptr), 0x29, 3, ...leb(off)];
export const load32u = (ptr: number, off: number) => [...get(ptr), 0x35, 2, ...leb(off)];
/** Stores the i64 that `value` leaves on the stack at ptr + off. */
export const store = (ptr: number, off: number, value: number[]) => [...get(ptr), ...value, 0x37, 3, ...leb(off)];
export const shr32 = (v: number[]) => [...v, ...i64(32n), SHRU];
export const lo32 = (v: number[]) => [...v, ...i64(0xffffffffn), AND];

/** while (count != 0) { body; ptr_i += step_i; count -= 1 } */
export function loop(count: number, steps: [number, number][], body: number[]): number[] {
  return [
    ...[BLOCK, VOID, LOOP, VOID, ...get(count), I32_EQZ, BR_IF, 1],
    ...body,
    ...steps.flatMap(([p, s]) => [...get(p), ...i32(s), I32_ADD, ...set(p)]),
    ...[...get(count), ...i32(1), I32_SUB, ...set(count), BR, 0, END, END],
  ];
}

export interface Func {
  name: string;
  /** i32 parameters. */
  params: number;
  /** Locals after the parameters: [count, type] runs (0x7f i32, 0x7e i64). */
  locals: [number, number][];
  code: number[];
}

/** A module: one memory "mem" (1 page; grow it) and the functions, exported by name. */
export function moduleBytes(funcs: Func[]): Uint8Array<ArrayBuffer> {
  return wasmModule(
    funcs.map((f) => {
      const body = [...vec(f.locals.map(([n, t]) => [...leb(n), t])), ...f.code, END];
      return { name: f.name, params: f.params, body: [...leb(body.length), ...body] };
    }),
  );
}

/** The memory of `mem` as 64-bit words, grown to at least `words` words. */
export function memoryWords(mem: WebAssembly.Memory, words: number): BigUint64Array {
  const need = words * 8 - mem.buffer.byteLength;
  if (need > 0) mem.grow(Math.ceil(need / 65536));
  return new BigUint64Array(mem.buffer);
}
