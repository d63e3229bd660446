// RFC 9380 expand_message_xmd with SHA-512 (section 5.3.1) for a chunk of join keys, in
// WebAssembly on sha512-wasm.ts: per key b0 = H(Z_pad ‖ msg ‖ I2OSP(len, 2) ‖ 0 ‖ DST_prime),
// b1 = H(b0 ‖ 1 ‖ DST_prime) and, for two field elements, b2 = H((b0 ⊕ b1) ‖ 2 ‖ DST_prime),
// written straight into hash-to-curve-wasm.ts's input slots as the little-endian 48-byte numbers
// u0 = b1[0..48], u1 = (b1 ‖ b2)[48..96]. The Z_pad block is compressed once (its midstate is
// shared by every key); JavaScript lays out each key's remaining blocks, already padded and with
// the bytes of each 8-byte word reversed, and the b1/b2 block templates once per call.

import { get, i32, loop, set } from '../../shared/ring128/emit.js';
import { leb } from '../../shared/wasm-module.js';
import { call } from './field-wasm.js';

const [I32_LOAD, I64_LOAD, I64_STORE, I64_XOR, IF, END, VOID, I32_EQ] = [
  0x28, 0x29, 0x37, 0x85, 0x04, 0x0b, 0x40, 0x46,
];

/** Addresses the expand program works with (set by hash-to-curve-wasm.ts). */
export interface XmdLayout {
  /** The compression function's index. */
  compress: number;
  /** SHA-512 state after the Z_pad block (64 bytes), the running state, b0 and b1 (64 each). */
  midstate: number;
  state: number;
  b0: number;
  b1: number;
  /** The initial hash value (64 bytes), the b1 and b2 templates and a scratch (TEMPLATE_BYTES each). */
  iv: number;
  template1: number;
  template2: number;
  scratch: number;
}

/** Room for a template: DST_prime of up to 256 bytes needs 3 blocks. */
export const TEMPLATE_BYTES = 384;

const copyWords = (to: number, from: number, words: number) =>
  Array.from({ length: words }, (_, i) => [
    ...i32(to),
    ...i32(from),
    I64_LOAD,
    3,
    ...leb(8 * i),
    I64_STORE,
    3,
    ...leb(8 * i),
  ]).flat();
const word = (address: number, i: number) => [...i32(address), I64_LOAD, 3, ...leb(8 * i)];
/** Stores the i64 that `value` pushes at param `ptr` + offset. */
const storeAt = (ptr: number, offset: number, value: number[]) => [...get(ptr), ...value, I64_STORE, 3, ...leb(offset)];

/**
 * expand(desc, in, n, blocks, two): for each of n keys, desc holds (address of its padded
 * blocks after Z_pad, their count) as two i32; writes u0 (and u1 if two = 1) at in, 128 bytes a key.
 * `blocks` is the templates' block count (1 or 2).
 */
export function expandCode(l: XmdLayout): number[] {
  const [DESC, IN, N, BLOCKS, TWO, PTR, LEFT] = [0, 1, 2, 3, 4, 5, 6];
  const hashFrom = (iv: number, first: number[], count: number[]) => [
    ...copyWords(l.state, iv, 8),
    ...[...first, ...set(PTR), ...count, ...set(LEFT)],
    ...loop(LEFT, [[PTR, 128]], call(l.compress, i32(l.state), get(PTR))),
  ];
  const templated = (template: number, words: (i: number) => number[]) => [
    ...copyWords(l.scratch, template, TEMPLATE_BYTES / 8),
    ...Array.from({ length: 8 }, (_, i) => [...i32(l.scratch), ...words(i), I64_STORE, 3, ...leb(8 * i)]).flat(),
    ...hashFrom(l.iv, i32(l.scratch), get(BLOCKS)),
  ];
  return loop(
    N,
    [
      [DESC, 8],
      [IN, 128],
    ],
    [
      ...hashFrom(l.midstate, [...get(DESC), I32_LOAD, 2, 0], [...get(DESC), I32_LOAD, 2, 4]),
      ...copyWords(l.b0, l.state, 8),
      ...templated(l.template1, (i) => word(l.b0, i)),
      ...copyWords(l.b1, l.state, 8),
      // u0 = b1 words 0..5 (big-endian): little-endian bytes are word 5 first
      ...Array.from({ length: 6 }, (_, j) => storeAt(IN, 8 * j, word(l.b1, 5 - j))).flat(),
      ...[...get(TWO), ...i32(1), I32_EQ, IF, VOID],
      ...templated(l.template2, (i) => [...word(l.b0, i), ...word(l.b1, i), I64_XOR]),
      // u1 = b1 words 6, 7 then b2 words 0..3
      ...Array.from({ length: 4 }, (_, j) => storeAt(IN, 64 + 8 * j, word(l.state, 3 - j))).flat(),
      ...storeAt(IN, 64 + 32, word(l.b1, 7)),
      ...storeAt(IN, 64 + 40, word(l.b1, 6)),
      END,
    ],
  );
}

/** Writes `bytes` at `at` with each 8-byte word's bytes reversed (SHA-512 reads big-endian words). */
function putSwapped(memory: Uint8Array, at: number, bytes: Uint8Array, from: number): void {
  for (let i = 0; i < bytes.length; i++) memory[at + ((from + i) ^ 7)] = bytes[i] as number;
}

/** SHA-512 padding: 0x80, zeros, the 128-bit big-endian bit length, up to whole 128-byte blocks. */
function padded(body: number, total: number): { blocks: number; tail: Uint8Array } {
  const blocks = Math.ceil((body + 17) / 128);
  const tail = new Uint8Array(blocks * 128 - body);
  tail[0] = 0x80;
  let bits = total * 8;
  for (let i = tail.length - 1; bits > 0; i--, bits = Math.floor(bits / 256)) tail[i] = bits % 256;
  return { blocks, tail };
}

/** The b1 (tag 1) or b2 (tag 2) template: 64 zero bytes for b0 (or b0 ⊕ b1), tag, DST_prime, padding. */
export function writeTemplate(memory: Uint8Array, at: number, tag: 1 | 2, dstP: Uint8Array): number {
  const body = 64 + 1 + dstP.length;
  const { blocks, tail } = padded(body, body);
  memory.fill(0, at, at + TEMPLATE_BYTES);
  putSwapped(memory, at, Uint8Array.of(tag), 64);
  putSwapped(memory, at, dstP, 65);
  putSwapped(memory, at, tail, body);
  return blocks;
}

/** Bytes of `key`'s blocks after Z_pad. */
export const messageBytes = (key: Uint8Array, dstP: Uint8Array) => padded(key.length + 3 + dstP.length, 0).blocks * 128;

/**
 * Lays out one key's blocks after Z_pad at `at` (msg ‖ I2OSP(48·count, 2) ‖ 0 ‖ DST_prime,
 * padded for a message of 128 more bytes) and returns their count.
 */
export function writeMessage(memory: Uint8Array, at: number, key: Uint8Array, dstP: Uint8Array, count: 1 | 2): number {
  const body = key.length + 3 + dstP.length;
  const { blocks, tail } = padded(body, 128 + body);
  putSwapped(memory, at, key, 0);
  putSwapped(memory, at, Uint8Array.of(0, 48 * count, 0), key.length);
  putSwapped(memory, at, dstP, key.length + 3);
  putSwapped(memory, at, tail, body);
  return blocks;
}
