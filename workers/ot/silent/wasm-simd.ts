// A small WebAssembly SIMD code generator for ChaCha (Bernstein 2008) working on four blocks at
// once: state word i of the four blocks in one v128 (lanes = blocks), the rounds unrolled,
// rotations by 16 and 8 as byte shuffles, by 12 and 7 as shifts. The module is written out as
// bytes here because no WebAssembly toolchain is a dependency; silent OT's tree PRG
// (chacha.ts) and bench/primitives build their functions from it.

import { leb, sleb, vec } from '../../../shared/wasm-module.js';

// Opcodes (WebAssembly core and SIMD, the SIMD ones after the 0xfd prefix).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const [BLOCK, LOOP, BR, BR_IF, END, VOID] = [0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40];
export const V128_LOAD = [0xfd, 0x00];
export const V128_STORE = [0xfd, 0x0b];
export const V128_CONST = [0xfd, 0x0c];
const SHUFFLE = [0xfd, 0x0d];
export const I32X4_SPLAT = [0xfd, 0x11];
const V128_OR = [0xfd, 0x50];
export const V128_XOR = [0xfd, 0x51];
const I32X4_SHL = [0xfd, 0xab, 0x01];
const I32X4_SHR_U = [0xfd, 0xad, 0x01];
export const I32X4_ADD = [0xfd, 0xae, 0x01];
const V128 = 0x7b;

const lanes = (ls: number[]) => ls.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
export const words = (ws: number[]) => ws.flatMap((w) => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24]);

/** One function body: `params` i32 parameters, then v128 locals x0..x15, k0..k3, t0..t7. */
export class Body {
  readonly code: number[] = [];
  readonly x: number[];
  readonly k: number[];
  readonly t: number[];

  constructor(readonly params: number) {
    const v = (i: number) => params + i;
    this.x = Array.from({ length: 16 }, (_, i) => v(i));
    this.k = Array.from({ length: 4 }, (_, i) => v(16 + i));
    this.t = Array.from({ length: 8 }, (_, i) => v(20 + i));
  }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get = (l: number) => this.op(LOCAL_GET, ...leb(l));
  set = (l: number) => this.op(LOCAL_SET, ...leb(l));
  tee = (l: number) => this.op(LOCAL_TEE, ...leb(l));
  const32 = (n: number) => this.op(I32_CONST, ...sleb(BigInt(n)));
  shuffle = (a: number, b: number, ls: number[]) =>
    this.get(a)
      .get(b)
      .op(...SHUFFLE, ...lanes(ls));

  /** The value on the stack rotated left by r bits in each lane. */
  rotl(r: number): this {
    if (r === 16)
      return this.tee(this.t[0]!)
        .get(this.t[0]!)
        .op(...SHUFFLE, ...[0, 1, 2, 3].flatMap((i) => [4 * i + 2, 4 * i + 3, 4 * i, 4 * i + 1]));
    if (r === 8)
      return this.tee(this.t[0]!)
        .get(this.t[0]!)
        .op(...SHUFFLE, ...[0, 1, 2, 3].flatMap((i) => [4 * i + 3, 4 * i, 4 * i + 1, 4 * i + 2]));
    const t = this.t[0]!;
    return this.tee(t)
      .const32(r)
      .op(...I32X4_SHL)
      .get(t)
      .const32(32 - r)
      .op(...I32X4_SHR_U)
      .op(...V128_OR);
  }

  quarter(a: number, b: number, c: number, d: number): void {
    const [xa, xb, xc, xd] = [this.x[a]!, this.x[b]!, this.x[c]!, this.x[d]!];
    for (const [r1, r2] of [
      [16, 12],
      [8, 7],
    ] as const) {
      this.addTo(xa, xb);
      this.xorRotl(xd, xa, r1);
      this.addTo(xc, xd);
      this.xorRotl(xb, xc, r2);
    }
  }

  /** dst += src (lanewise mod 2^32). */
  addTo(dst: number, src: number): void {
    this.get(dst)
      .get(src)
      .op(...I32X4_ADD)
      .set(dst);
  }

  /** dst = (dst ⊕ src) <<< r. */
  xorRotl(dst: number, src: number, r: number): void {
    this.get(dst)
      .get(src)
      .op(...V128_XOR)
      .rotl(r)
      .set(dst);
  }

  rounds(): void {
    for (let r = 0; r < 4; r++) {
      for (let i = 0; i < 4; i++) this.quarter(i, 4 + i, 8 + i, 12 + i);
      for (let i = 0; i < 4; i++) this.quarter(i, 4 + ((i + 1) % 4), 8 + ((i + 2) % 4), 12 + ((i + 3) % 4));
    }
  }

  /** Loads 4 blocks at address local `ptr` and transposes them: dst[w] lane j = block j word w. */
  loadTransposed(ptr: number, dst: number[]): void {
    const [a, b, c, d, t0, t1, t2, t3] = this.t.slice(0, 8) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    for (const [i, l] of [a, b, c, d].entries())
      this.get(ptr)
        .op(...V128_LOAD, 0, ...leb(16 * i))
        .set(l);
    this.shuffle(a, b, [0, 4, 1, 5]).set(t0).shuffle(a, b, [2, 6, 3, 7]).set(t1);
    this.shuffle(c, d, [0, 4, 1, 5]).set(t2).shuffle(c, d, [2, 6, 3, 7]).set(t3);
    this.shuffle(t0, t2, [0, 1, 4, 5]).set(dst[0]!).shuffle(t0, t2, [2, 3, 6, 7]).set(dst[1]!);
    this.shuffle(t1, t3, [0, 1, 4, 5]).set(dst[2]!).shuffle(t1, t3, [2, 3, 6, 7]).set(dst[3]!);
  }

  /** Transposes src (4 words of 4 blocks) and stores block j's 16 bytes at ptr + offset + j·stride. */
  storeTransposed(src: number[], ptr: number, offset: number, stride: number): void {
    const [t0, t1, t2, t3] = this.t.slice(4, 8) as [number, number, number, number];
    const [a, b, c, d] = src as [number, number, number, number];
    this.shuffle(a, b, [0, 4, 1, 5]).set(t0).shuffle(a, b, [2, 6, 3, 7]).set(t1);
    this.shuffle(c, d, [0, 4, 1, 5]).set(t2).shuffle(c, d, [2, 6, 3, 7]).set(t3);
    const outs: [number, number, number[]][] = [
      [t0, t2, [0, 1, 4, 5]],
      [t0, t2, [2, 3, 6, 7]],
      [t1, t3, [0, 1, 4, 5]],
      [t1, t3, [2, 3, 6, 7]],
    ];
    for (const [j, [p, q, ls]] of outs.entries()) {
      this.get(ptr)
        .shuffle(p, q, ls)
        .op(...V128_STORE, 0, ...leb(offset + j * stride));
    }
  }

  /** x0..x3 = the constants; x4..x7 = k; x12..x15 = 0 (x8..x11 are the caller's). */
  initState(constants: readonly number[]): void {
    for (let i = 0; i < 4; i++) this.op(...V128_CONST, ...words(Array(4).fill(constants[i]))).set(this.x[i]!);
    for (let i = 0; i < 4; i++) this.get(this.k[i]!).set(this.x[4 + i]!);
    for (let i = 12; i < 16; i++) this.op(...V128_CONST, ...Array(16).fill(0)).set(this.x[i]!);
  }

  /** x[i] += v[i] for the listed words (the feed-forward). */
  feedForward(pairs: [number, number[] | number][]): void {
    for (const [i, v] of pairs) {
      this.get(this.x[i]!);
      if (typeof v === 'number') this.get(v);
      else this.op(...V128_CONST, ...words(v));
      this.op(...I32X4_ADD).set(this.x[i]!);
    }
  }

  /** while (n != 0) { body; ptrs += steps; n -= 4 } */
  loop(n: number, steps: [number, number][], body: () => void): void {
    this.op(BLOCK, VOID, LOOP, VOID).get(n).op(I32_EQZ, BR_IF, 1);
    body();
    for (const [p, s] of steps) this.get(p).const32(s).op(I32_ADD).set(p);
    this.get(n).const32(4).op(I32_SUB).set(n).op(BR, 0, END, END);
  }

  bytes(): number[] {
    const body = [...vec([[28, V128]]), ...this.code, END];
    return [...leb(body.length), ...body];
  }
}
