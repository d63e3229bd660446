// WebAssembly's binary encoding, as far as Parley's hand-emitted kernels need it: LEB128 numbers,
// vectors and sections, and a module of exported functions over one exported memory ("mem", one
// page to start; grow it). Shared by the silent-OT kernels (workers/ot/silent/wasm-simd.ts) and
// the Z_2^128 kernels (shared/ring128/emit.ts), which each add their own instructions; no
// WebAssembly toolchain is a dependency.

/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const and i64.const immediates). */
export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** A vector: its length, then its items. */
export const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const name = (s: string) => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

/** One exported function: its i32 parameter count and its body, already size-prefixed. */
export interface WasmFunction {
  name: string;
  params: number;
  body: number[];
}

/** A module: one memory "mem" (1 page; grow it) and the given functions, all exported by name. */
export function wasmModule(funcs: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = vec(funcs.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [0x7f])), 0]));
  const exports = vec([[...name('mem'), 2, 0], ...funcs.map((f, i) => [...name(f.name), 0, ...leb(i)])]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(3, vec(funcs.map((_, i) => leb(i)))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, exports),
    ...section(10, [...leb(funcs.length), ...funcs.flatMap((f) => f.body)]),
  ]);
}
