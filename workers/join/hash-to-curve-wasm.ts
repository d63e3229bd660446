// hash-to-curve.ts for a whole batch in WebAssembly, one module: from each key's bytes to its
// 32-byte u-coordinate. Per key (RFC 9380, curve25519_XMD:SHA-512_ELL2_RO_): expand_message_xmd
// with SHA-512 (xmd-wasm.ts on sha512-wasm.ts), u0 and u1 reduced from 48 bytes each, Appendix
// G.2.1's map_to_curve_elligator2_curve25519 on each (field-wasm.ts; CMOVs as branches: the keys
// are hashed locally and no peer sees the timing), the chord through Q0 and Q1 as a fraction, and
// Montgomery's batch inversion over the chunk. The NU variant maps one element. A key whose Q0
// and Q1 share their u-coordinate (probability ~2^-250) is flagged and left to hash-to-curve.ts's
// BigInt path. The module (~20 KB) compiles synchronously: call it in a worker or in Node, as the
// engine does (Chromium compiles at most 4 KiB synchronously on a page's main thread).
//
// Memory: the field functions' scratch, this module's named elements, SHA-512's state, b0, b1
// and templates, then per chunk of CHUNK keys the input (128 bytes a key: u0's 48 bytes
// little-endian at 0, u1's at 64, zero padding), the state (num, den, flag: 168 bytes a key), the
// prefix products (80 bytes a key), the output (32 bytes a key), the descriptors (8 bytes a key)
// and the keys' SHA-512 blocks (the memory grows to fit them).

import { get, i32, loop, moduleBytes, set } from '../../shared/ring128/emit.js';
import { at, call, FE, FIELD_FUNCS, FN, LIMBS, limbsOf, SCRATCH_BYTES } from './field-wasm.js';
import { SHA512_COMPRESS, SHA512_IV } from './sha512-wasm.js';
import { expandCode, messageBytes, TEMPLATE_BYTES, writeMessage, writeTemplate, type XmdLayout } from './xmd-wasm.js';

const P = (1n << 255n) - 19n;
const J = 486662n;
const pow = (b: bigint, e: bigint): bigint => {
  let r = 1n;
  for (b %= P; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
};
/** Named field elements: the constants first (written once), then temporaries. */
const NAMES = [
  ...['ZERO', 'ONE', 'J', 'X1N', 'C2', 'C3'],
  ...['U', 'TV1', 'XD', 'XD2', 'GXD', 'GX1', 'GXD2', 'TV3', 'Y11', 'T', 'Y1', 'Y21', 'GX2', 'Y2', 'Y'],
  ...['XN0', 'XD0', 'Y0', 'XN1', 'XD1', 'YQ1', 'P1', 'P2', 'DX', 'D01', 'LN', 'DX2', 'REST', 'ACC', 'INV', 'T2'],
] as const;
type Name = (typeof NAMES)[number];
const A = Object.fromEntries(NAMES.map((n, k) => [n, SCRATCH_BYTES + k * FE])) as Record<Name, number>;
const CONSTANTS: [Name, bigint][] = [
  ['ZERO', 0n],
  ['ONE', 1n],
  ['J', J],
  ['X1N', P - J],
  ['C2', pow(2n, (P + 3n) / 8n)],
  ['C3', pow(2n, (P - 1n) / 4n)],
];
const FLAG = SCRATCH_BYTES + NAMES.length * FE;
const FLAG2 = FLAG + 4;
const SHA = FLAG + 64;
const XMD: XmdLayout = {
  compress: FIELD_FUNCS.length,
  iv: SHA,
  midstate: SHA + 64,
  state: SHA + 128,
  b0: SHA + 192,
  b1: SHA + 256,
  template1: SHA + 320,
  template2: SHA + 320 + TEMPLATE_BYTES,
  scratch: SHA + 320 + 2 * TEMPLATE_BYTES,
};
const HEAP = XMD.scratch + TEMPLATE_BYTES;
/** Keys per call into the module. */
export const CHUNK = 4096;
export const IN_STRIDE = 128;
const STATE_STRIDE = 2 * FE + 8;
const IN = HEAP;
const STATE = IN + IN_STRIDE * CHUNK;
const PREFIX = STATE + STATE_STRIDE * CHUNK;
const OUT = PREFIX + FE * CHUNK;
const DESC = OUT + 32 * CHUNK;
/** Where each chunk's SHA-512 blocks go (the memory grows to fit them). */
const MESSAGES = DESC + 8 * CHUNK;

const f = (fn: keyof typeof FN, ...args: (Name | number[])[]) =>
  call(FN[fn], ...args.map((a) => (typeof a === 'string' ? at(A[a]) : a)));
const [IF, ELSE, END, VOID, I32_LOAD, I32_ADD, I32_MUL, I32_NE, I64_STORE] = [
  0x04, 0x05, 0x0b, 0x40, 0x28, 0x6a, 0x6c, 0x47, 0x37,
];
const flag = (address: number) => [...i32(address), I32_LOAD, 2, 0];
const ifElse = (cond: number[], then: number[], otherwise: number[]) => [
  ...cond,
  IF,
  VOID,
  ...then,
  ELSE,
  ...otherwise,
  END,
];
const plus = (param: number, offset: number) => [...get(param), ...i32(offset), I32_ADD];

/** Elligator 2 (RFC 9380 G.2.1) of the element at U: x = xn / xd into XN, XD and y into Y. */
function mapCode(xn: Name, xd: Name, y: Name): number[] {
  return [
    ...f('sq', 'TV1', 'U'),
    ...f('add', 'TV1', 'TV1', 'TV1'), // 1-2. tv1 = 2u^2
    ...f('add', xd, 'TV1', 'ONE'), // 3
    ...f('sq', 'XD2', xd), // 5
    ...f('mul', 'GXD', 'XD2', xd), // 6
    ...f('mul', 'T', 'J', 'TV1'), // 7
    ...f('mul', 'T', 'T', 'X1N'), // 8
    ...f('add', 'T', 'T', 'XD2'), // 9
    ...f('mul', 'GX1', 'T', 'X1N'), // 10
    ...f('sq', 'GXD2', 'GXD'), // 11
    ...f('mul', 'TV3', 'GXD2', 'GXD'), // 13
    ...f('mul', 'TV3', 'TV3', 'GX1'), // 14
    ...f('sq', 'T', 'GXD2'), // 12
    ...f('mul', 'T', 'T', 'TV3'), // 15
    ...f('pow22523', 'Y11', 'T'), // 16
    ...f('mul', 'Y11', 'Y11', 'TV3'), // 17
    ...f('sq', 'T', 'Y11'), // 19
    ...f('mul', 'T', 'T', 'GXD'), // 20
    ...f('eq', i32(FLAG), 'T', 'GX1'), // 21
    ...ifElse(flag(FLAG), f('copy', 'Y1', 'Y11'), f('mul', 'Y1', 'Y11', 'C3')), // 18, 22
    ...f('mul', 'Y21', 'Y11', 'U'), // 24
    ...f('mul', 'Y21', 'Y21', 'C2'), // 25
    ...f('mul', 'GX2', 'GX1', 'TV1'), // 27
    ...f('sq', 'T', 'Y21'), // 28
    ...f('mul', 'T', 'T', 'GXD'), // 29
    ...f('eq', i32(FLAG), 'T', 'GX2'), // 30
    ...ifElse(flag(FLAG), f('copy', 'Y2', 'Y21'), f('mul', 'Y2', 'Y21', 'C3')), // 26, 31
    ...f('sq', 'T', 'Y1'), // 32
    ...f('mul', 'T', 'T', 'GXD'), // 33
    ...f('eq', i32(FLAG), 'T', 'GX1'), // 34: e3
    ...ifElse(
      flag(FLAG),
      [...f('copy', xn, 'X1N'), ...f('copy', y, 'Y1')],
      [...f('mul', xn, 'X1N', 'TV1'), ...f('copy', y, 'Y2')],
    ), // 23, 35, 36
    ...f('sgn0', i32(FLAG2), y), // 37: e4
    ...ifElse([...flag(FLAG), ...flag(FLAG2), I32_NE], f('sub', y, 'ZERO', y), []), // 38
  ];
}

/** ro(in, state, n): per key, u(Q0 + Q1) = num / den into the state, flag 1 if x0 = x1. */
function roCode(): number[] {
  const [INP, ST, N] = [0, 1, 2];
  const sum = [
    ...f('mul', 'D01', 'XD0', 'XD1'),
    ...f('sub', 'LN', 'YQ1', 'Y0'),
    ...f('mul', 'LN', 'LN', 'D01'), // λ = LN / DX
    ...f('sq', 'DX2', 'DX'),
    ...f('mul', 'REST', 'J', 'D01'),
    ...f('add', 'REST', 'REST', 'P1'),
    ...f('add', 'REST', 'REST', 'P2'), // (J + x0 + x1)·d01
    ...f('sq', 'T', 'LN'),
    ...f('mul', 'T', 'T', 'D01'),
    ...f('mul', 'T2', 'REST', 'DX2'),
    ...f('sub', 'T', 'T', 'T2'),
    ...call(FN.copy, get(ST), at(A.T)), // num = LN^2·d01 − (J + x0 + x1)·d01·DX^2
    ...call(FN.mul, plus(ST, FE), at(A.DX2), at(A.D01)), // den = DX^2·d01
    ...[...plus(ST, 2 * FE), 0x42, 0, I64_STORE, 3, 0],
  ];
  const coincide = [
    ...call(FN.copy, get(ST), at(A.ZERO)),
    ...call(FN.copy, plus(ST, FE), at(A.ONE)),
    ...[...plus(ST, 2 * FE), 0x42, 1, I64_STORE, 3, 0],
  ];
  return loop(
    N,
    [
      [INP, IN_STRIDE],
      [ST, STATE_STRIDE],
    ],
    [
      ...call(FN.fromWide, at(A.U), get(INP)),
      ...mapCode('XN0', 'XD0', 'Y0'),
      ...call(FN.fromWide, at(A.U), plus(INP, 64)),
      ...mapCode('XN1', 'XD1', 'YQ1'),
      ...f('mul', 'P1', 'XN1', 'XD0'),
      ...f('mul', 'P2', 'XN0', 'XD1'),
      ...f('sub', 'DX', 'P1', 'P2'),
      ...f('eq', i32(FLAG), 'DX', 'ZERO'),
      ...ifElse(flag(FLAG), coincide, sum),
    ],
  );
}

/** nu(in, state, n): per key, u(Q) = xn / xd of one map into the state. */
function nuCode(): number[] {
  const [INP, ST, N] = [0, 1, 2];
  return loop(
    N,
    [
      [INP, IN_STRIDE],
      [ST, STATE_STRIDE],
    ],
    [
      ...call(FN.fromWide, at(A.U), get(INP)),
      ...mapCode('XN0', 'XD0', 'Y0'),
      ...call(FN.copy, get(ST), at(A.XN0)),
      ...call(FN.copy, plus(ST, FE), at(A.XD0)),
      ...[...plus(ST, 2 * FE), 0x42, 0, I64_STORE, 3, 0],
    ],
  );
}

/** finish(state, prefix, out, n): out_i = num_i / den_i as 32 bytes, one inversion in all. */
function finishCode(): number[] {
  const [ST, PRE, OUTP, N, COUNT] = [0, 1, 2, 3, 4];
  return [
    ...[...get(N), ...set(COUNT)],
    ...f('copy', 'ACC', 'ONE'),
    ...loop(
      COUNT,
      [
        [ST, STATE_STRIDE],
        [PRE, FE],
      ],
      [...call(FN.copy, get(PRE), at(A.ACC)), ...call(FN.mul, at(A.ACC), at(A.ACC), plus(ST, FE))],
    ),
    ...f('invert', 'INV', 'ACC'),
    ...[...plus(ST, -STATE_STRIDE), ...set(ST), ...plus(PRE, -FE), ...set(PRE)],
    ...[...get(OUTP), ...get(N), ...i32(32), I32_MUL, I32_ADD, ...i32(32), 0x6b, ...set(OUTP)],
    ...loop(
      N,
      [
        [ST, -STATE_STRIDE],
        [PRE, -FE],
        [OUTP, -32],
      ],
      [
        ...call(FN.mul, at(A.T), at(A.INV), get(PRE)), // 1 / den_i
        ...call(FN.mul, at(A.INV), at(A.INV), plus(ST, FE)),
        ...call(FN.mul, at(A.T), at(A.T), get(ST)),
        ...call(FN.toBytes, get(OUTP), at(A.T)),
      ],
    ),
  ];
}

const BYTES = moduleBytes([
  ...FIELD_FUNCS,
  SHA512_COMPRESS,
  { name: 'expand', params: 5, locals: [[2, 0x7f]], code: expandCode(XMD) },
  { name: 'ro', params: 3, locals: [], code: roCode() },
  { name: 'nu', params: 3, locals: [], code: nuCode() },
  { name: 'finish', params: 4, locals: [[1, 0x7f]], code: finishCode() },
]);

interface Kernels {
  mem: WebAssembly.Memory;
  ro(input: number, state: number, n: number): void;
  nu(input: number, state: number, n: number): void;
  finish(state: number, prefix: number, out: number, n: number): void;
  expand(desc: number, input: number, n: number, blocks: number, two: number): void;
  sha512(state: number, block: number): void;
}

let instance: Kernels | undefined;
function grow(mem: WebAssembly.Memory, bytes: number): void {
  if (bytes > mem.buffer.byteLength) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
}
function kernels(): Kernels {
  if (instance) return instance;
  const k = new WebAssembly.Instance(new WebAssembly.Module(BYTES)).exports as unknown as Kernels;
  grow(k.mem, MESSAGES);
  const words = new BigInt64Array(k.mem.buffer);
  for (const [name, value] of CONSTANTS) limbsOf(value).forEach((l, i) => (words[A[name] / 8 + i] = l));
  SHA512_IV.forEach((w, i) => {
    words[XMD.iv / 8 + i] = w;
    words[XMD.midstate / 8 + i] = w;
  });
  new Uint8Array(k.mem.buffer).fill(0, XMD.scratch, XMD.scratch + 128);
  k.sha512(XMD.midstate, XMD.scratch); // the Z_pad block: 128 zero bytes
  instance = k;
  return k;
}

/**
 * For m ≤ CHUNK keys whose field bytes `fill` writes into the input view (IN_STRIDE bytes a key,
 * see the header): the m u-coordinates (32 bytes each) and the indices of flagged keys.
 */
export function curvePoints(
  m: number,
  variant: 'ro' | 'nu',
  fill: (input: Uint8Array) => void,
): { points: Uint8Array; flagged: number[] } {
  const k = kernels();
  const bytes = new Uint8Array(k.mem.buffer);
  fill(bytes.subarray(IN, IN + IN_STRIDE * m));
  k[variant](IN, STATE, m);
  k.finish(STATE, PREFIX, OUT, m);
  const flagged: number[] = [];
  const words = new BigInt64Array(k.mem.buffer, STATE, (STATE_STRIDE / 8) * m);
  for (let i = 0; i < m; i++) if (words[(STATE_STRIDE / 8) * i + 2 * LIMBS] !== 0n) flagged.push(i);
  return { points: bytes.slice(OUT, OUT + 32 * m), flagged };
}

/**
 * The u-coordinates of m ≤ CHUNK keys (32 bytes each) and the indices of flagged keys:
 * expand_message_xmd, the map(s) and the division, all in the module.
 */
export function hashChunk(keys: readonly Uint8Array[], dstP: Uint8Array, variant: 'ro' | 'nu') {
  const k = kernels();
  const count = variant === 'ro' ? 2 : 1;
  grow(k.mem, MESSAGES + keys.reduce((sum, key) => sum + messageBytes(key, dstP), 0));
  const memory = new Uint8Array(k.mem.buffer);
  const desc = new Int32Array(k.mem.buffer, DESC, 2 * keys.length);
  const blocks = writeTemplate(memory, XMD.template1, 1, dstP);
  writeTemplate(memory, XMD.template2, 2, dstP);
  let at = MESSAGES;
  keys.forEach((key, i) => {
    desc[2 * i] = at;
    desc[2 * i + 1] = writeMessage(memory, at, key, dstP, count);
    at += 128 * (desc[2 * i + 1] as number);
  });
  return curvePoints(keys.length, variant, () => k.expand(DESC, IN, keys.length, blocks, count === 2 ? 1 : 0));
}
