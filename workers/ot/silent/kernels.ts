// The WebAssembly SIMD module of silent OT and the one object that drives it per party: the GGM
// tree PRG and the LPN code's keystream (ChaCha8, chacha.ts) and the LPN encoder's inner loop
// (lpn-kernel.ts), sharing one linear memory. Where WebAssembly SIMD does not validate, every
// method runs its JavaScript twin, which computes the same function.
//
// MEMORY (bytes, grown on demand). A tree (tree()) expands level by level between two buffers A
// and B of 16·N bytes each (N = nodes of its last level) and returns its leaves as a view of this
// memory, so the caller can fix nodes in place and the LPN encoder can run on the leaves without
// copying them (the view is valid until the next call on the same Kernels). An LPN encode lays out
// x, then the keystream of one sub-block (64 B per row), then, only when the rows are not already
// in this memory, that sub-block's rows (16 B per row), all after the last tree's buffers.

import { ParleyError } from '../../../shared/errors.js';
import { wasmModule } from '../../../shared/wasm-module.js';
import { chachaGgmBody, chachaGgmJs, chachaStreamBody, chachaStreamJs } from './chacha.js';
import { LPN_WEIGHT, lpnBody, lpnEncodeJs } from './lpn-kernel.js';

/** Most parents per tree call (a level of 2^19 children) and keystream blocks per call. */
const MAX_BLOCKS = 1 << 18;
/** Rows encoded per keystream draw: 2 MiB of keystream, 512 KiB of rows. */
const SUB_ROWS = 1 << 15;
/** Bytes an LPN encode of leaves in place needs beyond its tree: x (16·k) and one keystream draw. */
export const lpnScratchBytes = (k: number): number => 16 * k + 4 * LPN_WEIGHT * SUB_ROWS + 256;
/** Keystream blocks (16 words) for `rows` rows of D words, and the block where row `start` begins. */
const ksBlocks = (rows: number) => Math.ceil((LPN_WEIGHT * rows) / 16);
const ksStart = (start: number) => (LPN_WEIGHT * start) / 16; // start is a multiple of SUB_ROWS

interface Exports {
  mem: WebAssembly.Memory;
  ggm(inPtr: number, outPtr: number, n: number): void;
  stream(
    outPtr: number,
    n: number,
    counter: number,
    nonce: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ): void;
  lpn(outPtr: number, rows: number, ksPtr: number, xPtr: number, k: number): void;
}

let module: Promise<WebAssembly.Module | null> | null = null;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function compiled(): Promise<WebAssembly.Module | null> {
  module ??= (async () => {
    const bytes = wasmModule([
      { name: 'ggm', params: 3, body: chachaGgmBody() },
      { name: 'stream', params: 8, body: chachaStreamBody() },
      { name: 'lpn', params: 5, body: lpnBody() },
    ]);
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
    return WebAssembly.compile(bytes);
  })();
  return module;
}

function checkBlocks(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_BLOCKS)
    throw new ParleyError('ERR_INTERNAL', `expected 0 to ${MAX_BLOCKS} ${what}, got ${n}`);
}

/** Silent OT's kernels for one party (WebAssembly SIMD, or JavaScript where SIMD is missing). */
export class Kernels {
  /** First byte after the last tree's buffers (the LPN encoder's scratch starts here). */
  private free = 0;

  private constructor(private readonly ex: Exports | null) {}

  static async create(options: { simd?: boolean } = {}): Promise<Kernels> {
    const m = options.simd === false ? null : await compiled();
    if (!m) return new Kernels(null);
    const instance = await WebAssembly.instantiate(m);
    return new Kernels(instance.exports as unknown as Exports);
  }

  /** Whether this instance runs WebAssembly SIMD. */
  get simd(): boolean {
    return this.ex !== null;
  }

  /** Grows the module's memory to at least `bytes`; returns its buffer. */
  private memory(bytes: number): ArrayBuffer {
    const mem = this.ex!.mem;
    if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
    return mem.buffer;
  }

  /** The tree PRG: children of every node of `level` (4 words per node): node p → blocks 2p, 2p + 1. */
  expand(level: Uint32Array): Uint32Array {
    const n = level.length / 4;
    checkBlocks(n, 'whole blocks');
    if (!this.ex) return chachaGgmJs(level);
    const padded = Math.ceil(n / 4) * 4;
    const outPtr = 16 * padded;
    const buf = this.memory(outPtr + 32 * padded);
    const input = new Uint32Array(buf, 0, 4 * padded);
    input.set(level);
    input.fill(0, level.length);
    this.ex.ggm(0, outPtr, padded);
    return new Uint32Array(buf, outPtr, 8 * n).slice();
  }

  /**
   * Expands `start` (4 words per node) `levels` times with the tree PRG, calling onLevel(nodes, i)
   * after expansion i (nodes: a view the callback may change); returns the last level, a view of
   * this memory when SIMD runs. `extraBytes` reserves room for an LPN encode of those leaves
   * (so the memory need not grow, which would detach the view).
   */
  tree(
    start: Uint32Array,
    levels: number,
    onLevel: (nodes: Uint32Array, i: number) => void,
    extraBytes = 0,
  ): Uint32Array {
    const n0 = start.length / 4;
    const N = n0 * 2 ** levels;
    checkBlocks(N / 2, 'tree nodes');
    if (!this.ex) {
      let level = start;
      for (let i = 1; i <= levels; i++) {
        level = chachaGgmJs(level);
        onLevel(level, i);
      }
      return level;
    }
    const padded = Math.ceil(N / 4) * 4 + 4; // room for padding every level to 4 seeds
    const bytes = 16 * padded;
    const buf = this.memory(2 * bytes + extraBytes);
    this.free = 2 * bytes;
    let from = 0;
    let nodes = n0;
    new Uint32Array(buf, 0, 4 * n0).set(start);
    for (let i = 1; i <= levels; i++) {
      const to = from === 0 ? bytes : 0;
      const seeds = Math.ceil(nodes / 4) * 4;
      new Uint32Array(buf, from + 16 * nodes, 4 * (seeds - nodes)).fill(0);
      this.ex.ggm(from, to, seeds);
      nodes *= 2;
      onLevel(new Uint32Array(buf, to, 4 * nodes), i);
      from = to;
    }
    return new Uint32Array(buf, from, 4 * nodes);
  }

  /**
   * `blocks` 64-byte keystream blocks under `key` (4 words) from block `counter` of stream
   * `nonce` (both below 2^32), as 16·blocks words (a fresh array).
   */
  stream(key: Uint32Array, counter: number, nonce: number, blocks: number): Uint32Array {
    checkBlocks(blocks, 'keystream blocks');
    if (counter + blocks > 2 ** 32) throw new ParleyError('ERR_INTERNAL', 'the keystream counter would wrap');
    if (!this.ex) return chachaStreamJs(key, counter, nonce, blocks);
    const padded = Math.ceil(blocks / 4) * 4;
    const buf = this.memory(64 * padded);
    this.ex.stream(0, padded, counter | 0, nonce | 0, key[0]! | 0, key[1]! | 0, key[2]! | 0, key[3]! | 0);
    return new Uint32Array(buf, 0, 16 * blocks).slice();
  }

  /**
   * XORs into rows [0, m) of `out` the LPN code's x·A (lpn.ts): row i gets the D blocks of x
   * indexed by keystream words D·i .. D·i + D − 1 of stream `nonce` under `key`; x holds k blocks.
   */
  lpn(out: Uint32Array, m: number, x: Uint32Array, k: number, key: Uint32Array, nonce: number): void {
    if (!this.ex) {
      for (let start = 0; start < m; start += SUB_ROWS) {
        const rows = Math.min(SUB_ROWS, m - start);
        lpnEncodeJs(out, 4 * start, rows, this.stream(key, ksStart(start), nonce, ksBlocks(rows)), x, k);
      }
      return;
    }
    const inPlace = out.buffer === this.ex.mem.buffer;
    const xPtr = inPlace ? this.free : 0;
    const ksPtr = xPtr + 16 * k;
    const rowsPtr = ksPtr + 4 * LPN_WEIGHT * SUB_ROWS + 256;
    const need = inPlace ? rowsPtr : rowsPtr + 16 * SUB_ROWS;
    if (inPlace && this.ex.mem.buffer.byteLength < need)
      throw new ParleyError('ERR_INTERNAL', 'the tree did not reserve room for its LPN encode');
    const buf = this.memory(need);
    new Uint32Array(buf, xPtr, 4 * k).set(x);
    for (let start = 0; start < m; start += SUB_ROWS) {
      const rows = Math.min(SUB_ROWS, m - start);
      const padded = Math.ceil(ksBlocks(rows) / 4) * 4;
      const c = ksStart(start);
      this.ex.stream(ksPtr, padded, c | 0, nonce | 0, key[0]! | 0, key[1]! | 0, key[2]! | 0, key[3]! | 0);
      if (inPlace) this.ex.lpn(out.byteOffset + 16 * start, rows, ksPtr, xPtr, k);
      else {
        const rowsView = new Uint32Array(buf, rowsPtr, 4 * rows);
        rowsView.set(out.subarray(4 * start, 4 * (start + rows)));
        this.ex.lpn(rowsPtr, rows, ksPtr, xPtr, k);
        out.set(rowsView, 4 * start);
      }
    }
  }
}
