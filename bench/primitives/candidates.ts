// The candidates bench/primitives.ts times, each as a batch job over fresh random blocks:
// "ggm" expands one tree level (parents → children, 2 per parent for a binary PRG, 4 for a
// 512-bit block function: a 4-ary tree), "hash" maps n 128-bit blocks to n hashes, "bulk" is a
// reference stream rate (one key or one long input). `blocks` is the 16-byte blocks one run
// produces (ggm, bulk) or hashes (hash); `make` does the one-off setup (keys, buffers, inputs)
// and returns the timed run (noble's ECB refuses a second encrypt() per instance, so its cheap
// key schedule is inside the run). The security notes are in bench/primitives.ts's header.

import { ecb } from '@noble/ciphers/aes.js';
import { chacha8, chacha12, chacha20 } from '@noble/ciphers/chacha.js';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { createBLAKE3 } from 'hash-wasm';
import { importPrgKeys, prgStream } from '../../shared/prg.js';
import { randomBytes } from '../../shared/random.js';
import { FixedKeyAes } from '../../workers/ot/aes.js';
import { hashRows } from '../../workers/ot/hash.js';
import { chachaGgm, chachaHash } from './chacha.js';
import { chachaSimd } from './simd.js';

export interface Candidate {
  name: string;
  job: 'ggm' | 'hash' | 'bulk';
  blocks: number;
  /** Needs WebAssembly SIMD (skipped where the module does not validate). */
  simd?: true;
  make(): Promise<() => Promise<unknown> | unknown>;
}

const BIG = 2 ** 20;
/** Per-call APIs (one library call per node or per block) are timed on fewer blocks. */
const SMALL = 2 ** 16;
const u32 = (b: Uint8Array) => new Uint32Array(b.buffer, b.byteOffset, b.length / 4);

/** zero block ‖ n random blocks ‖ spare block, the layout FixedKeyAes.permuteChained takes. */
function chainedInput(n: number): Uint8Array {
  const buf = new Uint8Array(16 * (n + 2));
  buf.set(randomBytes(16 * n), 16);
  return buf;
}

/** out_j (o, stride 4·step words) = P_j ⊕ X_{j-1} ⊕ X_j: π(X_j) ⊕ X_j from a chained result. */
function unchainMmo(p: Uint32Array, x: Uint32Array, out: Uint32Array, o: number, step: number): void {
  for (let w = 0, d = o; w < p.length; w += 4, d += 4 * step) {
    for (let i = 0; i < 4; i++) out[d + i] = p[w + i]! ^ x[w + i]! ^ x[w + 4 + i]!;
  }
}

const webCrypto: Candidate[] = [
  {
    name: 'WebCrypto fixed-key AES (CBC-decrypt trick), π_b(s) ⊕ s, two keys',
    job: 'ggm',
    blocks: BIG,
    async make() {
      const [p0, p1] = await Promise.all([FixedKeyAes.create(randomBytes(16)), FixedKeyAes.create(randomBytes(16))]);
      const buf = chainedInput(BIG / 2);
      const x = u32(buf);
      const out = new Uint32Array(4 * BIG);
      return async () => {
        unchainMmo(u32(await p0.permuteChained(buf)), x, out, 0, 2);
        unchainMmo(u32(await p1.permuteChained(buf)), x, out, 4, 2);
      };
    },
  },
  {
    name: 'WebCrypto fixed-key AES (CBC-decrypt trick), MMO π(x) ⊕ x',
    job: 'hash',
    blocks: BIG,
    async make() {
      const p = await FixedKeyAes.create(randomBytes(16));
      const buf = chainedInput(BIG);
      const out = new Uint32Array(4 * BIG);
      return async () => unchainMmo(u32(await p.permuteChained(buf)), u32(buf), out, 0, 1);
    },
  },
  {
    name: 'WebCrypto fixed-key AES, CCR π(σ(x)) ⊕ σ(x) (workers/ot/hash.ts, 64-bit out)',
    job: 'hash',
    blocks: BIG,
    async make() {
      const p = await FixedKeyAes.create(randomBytes(16));
      const rows = u32(randomBytes(16 * BIG));
      return () => hashRows(p, rows, BIG);
    },
  },
  {
    name: 'WebCrypto AES-CTR, one key imported per node (seed → 2 children)',
    job: 'ggm',
    blocks: 2 ** 13,
    async make() {
      const seeds = Array.from({ length: 2 ** 12 }, () => randomBytes(16));
      return async () => {
        const keys = await importPrgKeys(seeds);
        await Promise.all(keys.map((k) => prgStream(k, 0, 32)));
      };
    },
  },
  {
    name: 'WebCrypto AES-CTR keystream of one key (shared/prg.ts prgStream)',
    job: 'bulk',
    blocks: BIG,
    async make() {
      const [key] = await importPrgKeys([randomBytes(16)]);
      return () => prgStream(key!, 0, 16 * BIG);
    },
  },
];

const nobleAes: Candidate[] = [
  {
    name: '@noble/ciphers AES-128-ECB (pure JS), π_b(s) ⊕ s, two keys',
    job: 'ggm',
    blocks: SMALL,
    async make() {
      const keys = [randomBytes(16), randomBytes(16)];
      const seeds = randomBytes(16 * (SMALL / 2));
      const s = u32(seeds);
      const out = new Uint32Array(4 * SMALL);
      return () => {
        for (const [b, k] of keys.entries()) {
          const c = u32(ecb(k, { disablePadding: true }).encrypt(seeds));
          for (let w = 0; w < s.length; w += 4) {
            for (let i = 0; i < 4; i++) out[2 * w + 4 * b + i] = c[w + i]! ^ s[w + i]!;
          }
        }
      };
    },
  },
  {
    name: '@noble/ciphers AES-128-ECB (pure JS), MMO π(x) ⊕ x',
    job: 'hash',
    blocks: SMALL,
    async make() {
      const key = randomBytes(16);
      const xs = randomBytes(16 * SMALL);
      const x = u32(xs);
      return () => {
        const c = u32(ecb(key, { disablePadding: true }).encrypt(xs));
        for (let w = 0; w < c.length; w++) c[w] = c[w]! ^ x[w]!;
      };
    },
  },
];

/** @noble/ciphers ChaCha: one call per node (key = seed ‖ seed) or per hashed block (key = x ‖ index). */
function nobleChacha(label: string, cipher: typeof chacha8): Candidate[] {
  const nonce = new Uint8Array(12);
  return [
    {
      name: `@noble/ciphers ${label} keyed by the seed, 512-bit block = 4 children`,
      job: 'ggm',
      blocks: SMALL,
      async make() {
        const seeds = randomBytes(16 * (SMALL / 4));
        const key = new Uint8Array(32);
        const zeros = new Uint8Array(64);
        const out = new Uint8Array(16 * SMALL);
        return () => {
          for (let j = 0; j < SMALL / 4; j++) {
            key.set(seeds.subarray(16 * j, 16 * j + 16));
            key.set(seeds.subarray(16 * j, 16 * j + 16), 16);
            cipher(key, nonce, zeros, out.subarray(64 * j, 64 * j + 64));
          }
        };
      },
    },
    {
      name: `@noble/ciphers ${label} keyed by x ‖ index, first 128 bits`,
      job: 'hash',
      blocks: SMALL,
      async make() {
        const xs = randomBytes(16 * SMALL);
        const key = new Uint8Array(32);
        const kw = u32(key);
        const zeros = new Uint8Array(16);
        const out = new Uint8Array(16 * SMALL);
        return () => {
          for (let j = 0; j < SMALL; j++) {
            key.set(xs.subarray(16 * j, 16 * j + 16));
            kw[4] = j;
            cipher(key, nonce, zeros, out.subarray(16 * j, 16 * j + 16));
          }
        };
      },
    },
  ];
}

const chachaHandWritten: Candidate[] = [
  {
    name: '@noble/ciphers ChaCha8 keystream of one key',
    job: 'bulk',
    blocks: BIG,
    async make() {
      const [key, zeros] = [randomBytes(32), new Uint8Array(16 * BIG)];
      return () => chacha8(key, new Uint8Array(12), zeros);
    },
  },
  {
    name: 'hand-written JS ChaCha8 keyed by the seed, 4 children',
    job: 'ggm',
    blocks: BIG,
    async make() {
      const seeds = u32(randomBytes(16 * (BIG / 4)));
      const out = new Uint32Array(4 * BIG);
      return () => chachaGgm(seeds, out);
    },
  },
  {
    name: 'hand-written JS ChaCha8 keyed by x ‖ index, first 128 bits',
    job: 'hash',
    blocks: BIG,
    async make() {
      const xs = u32(randomBytes(16 * BIG));
      const out = new Uint32Array(4 * BIG);
      return () => chachaHash(xs, out, 0);
    },
  },
  {
    name: 'WebAssembly SIMD ChaCha8 (4 blocks per v128 pass) keyed by the seed, 4 children',
    job: 'ggm',
    blocks: BIG,
    simd: true,
    async make() {
      const simd = await chachaSimd(BIG / 4);
      const seeds = randomBytes(16 * (BIG / 4));
      return () => simd.ggm(seeds);
    },
  },
  {
    name: 'WebAssembly SIMD ChaCha8 keyed by x ‖ index, first 128 bits',
    job: 'hash',
    blocks: BIG,
    simd: true,
    async make() {
      const simd = await chachaSimd(BIG);
      const xs = randomBytes(16 * BIG);
      return () => simd.hash(xs, 0);
    },
  },
];

/** hash-wasm's BLAKE3 with a `bits` output, one init/update/digest per 16-byte input. */
function hashWasmBlake3(what: string, job: 'ggm' | 'hash', bits: number, calls: number): Candidate {
  return {
    name: `hash-wasm BLAKE3 (WASM) ${what}`,
    job,
    blocks: SMALL,
    async make() {
      const h = await createBLAKE3(bits);
      const xs = randomBytes(16 * calls);
      return () => {
        for (let j = 0; j < calls; j++)
          h.init()
            .update(xs.subarray(16 * j, 16 * j + 16))
            .digest('binary');
      };
    },
  };
}

const blake3s: Candidate[] = [
  {
    name: '@noble/hashes BLAKE3 of the seed, 512-bit output = 4 children',
    job: 'ggm',
    blocks: SMALL,
    async make() {
      const seeds = randomBytes(16 * (SMALL / 4));
      return () => {
        for (let j = 0; j < SMALL / 4; j++) nobleBlake3(seeds.subarray(16 * j, 16 * j + 16), { dkLen: 64 });
      };
    },
  },
  {
    name: '@noble/hashes BLAKE3 of x, 128-bit output',
    job: 'hash',
    blocks: SMALL,
    async make() {
      const xs = randomBytes(16 * SMALL);
      return () => {
        for (let j = 0; j < SMALL; j++) nobleBlake3(xs.subarray(16 * j, 16 * j + 16), { dkLen: 16 });
      };
    },
  },
  {
    name: '@noble/hashes BLAKE3 of one 16 MiB input',
    job: 'bulk',
    blocks: BIG,
    async make() {
      const big = randomBytes(16 * BIG);
      return () => nobleBlake3(big);
    },
  },
  hashWasmBlake3('of the seed, 512-bit output = 4 children', 'ggm', 512, SMALL / 4),
  hashWasmBlake3('of x, 128-bit output', 'hash', 128, SMALL),
  {
    name: 'hash-wasm BLAKE3 (WASM) of one 16 MiB input',
    job: 'bulk',
    blocks: BIG,
    async make() {
      const h = await createBLAKE3();
      const big = randomBytes(16 * BIG);
      return () => h.init().update(big).digest('binary');
    },
  },
];

export const CANDIDATES: Candidate[] = [
  ...webCrypto,
  ...nobleAes,
  ...nobleChacha('ChaCha8', chacha8),
  ...nobleChacha('ChaCha12', chacha12),
  ...nobleChacha('ChaCha20', chacha20),
  ...chachaHandWritten,
  ...blake3s,
];
