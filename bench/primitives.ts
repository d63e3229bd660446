// `npm run bench:primitives`: the PRG and hash candidates for silent OT (Ferret, issue 13), timed
// in Node and in headless Chromium (bench/primitives-page.html, bundled with Vite and served from
// 127.0.0.1), as JSON: 16-byte blocks per second for the two jobs silent OT repeats most.
//   ggm  — one GGM tree level at once: a length-doubling (or -quadrupling) PRG on 128-bit seeds,
//          figures in children made per second (2^20 children from 2^19 or 2^18 parents);
//   hash — the correlation-robust hash H(x) of 128-bit blocks, figures in blocks hashed per second;
//   bulk — reference stream rates (one key, or one 16 MiB input), not usable for either job.
// The candidates are in bench/primitives/candidates.ts; known-answer checks run first in each
// place (bench/primitives/measure.ts).
//
// Security, per candidate (what each figure may be used for):
// - Fixed-key AES (WebCrypto through the CBC-decrypt trick of workers/ot/aes.ts, or pure-JS
//   AES-ECB): π modelled as an ideal (random) permutation. GGM child_b = π_b(s) ⊕ s with two
//   public keys is a PRG in that model (emp-ot's Ferret does the same); MMO π(x) ⊕ x is
//   correlation robust and the TCCR π(π(x) ⊕ i) ⊕ π(x) tweakable correlation robust
//   (Guo, Katz, Wang, Yu, S&P 2020). Sound for both jobs.
// - AES-CTR (shared/prg.ts): AES as a PRF keyed by the seed, sound as a PRG, but WebCrypto needs
//   one importKey per key, so a GGM node costs an async key import: usable to stretch a few
//   seeds into long streams (base-OT keys, the LPN matrix's randomness), not per tree node.
//   It is no hash (a fixed-key CTR stream does not depend on its input).
// - ChaCha8/12/20 keyed by the seed (key = seed ‖ seed, a 128-bit key; counter and nonce 0):
//   ChaCha as a PRF (the standard assumption behind every ChaCha stream), so the 512-bit block
//   is a PRG from one seed to 4 children: sound for GGM, as a 4-ary tree (or a binary tree using
//   2 of the 4). As a hash, ChaCha keyed by x ‖ index is used with related keys (x and x ⊕ Δ),
//   outside the PRF assumption: it rests on modelling the ChaCha block function (permutation plus
//   feed-forward, inputs = constants ‖ key ‖ counter ‖ nonce) as a random function, which is
//   heuristic, unlike GKWY's ideal-permutation proofs for fixed-key AES. ChaCha8 has no known
//   attack (the best reach 7 rounds); ChaCha12/20 add margin at 1.5×/2.5× the rounds.
// - BLAKE3 (hash-wasm WASM, @noble/hashes): a random oracle; sound for both jobs (XOF output
//   of 512 bits = 4 children from one compression).
// The hand-written ChaCha8 (bench/primitives/chacha.ts) and its WebAssembly SIMD form
// (bench/primitives/chacha-simd.ts, four blocks per pass) compute exactly noble's chacha8.

import { resolve } from 'node:path';
import { measurePage } from './page-bench.js';
import { measurePrimitives, type PlaceFigures } from './primitives/measure.js';

const PAGE = resolve(import.meta.dirname, 'primitives-page.html');
const log = (msg: string) => console.error(`[bench:primitives ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** The page measured in headless Chromium. */
const inChromium = () => measurePage<PlaceFigures>(PAGE, 'primitivesBench', log);

log('Node');
const node = await measurePrimitives((m) => log(`[node] ${m}`));
log('Chromium');
const browser = await inChromium();
const inBrowser = new Map(browser.figures.map((f) => [f.name, f.blocksPerSecond]));
const results = node.figures.map((f) => ({
  job: f.job,
  candidate: f.name,
  blocksTimed: f.blocks,
  nodeBlocksPerSecond: f.blocksPerSecond,
  chromiumBlocksPerSecond: inBrowser.get(f.name) ?? null,
}));
console.log(
  JSON.stringify(
    {
      bench: 'primitives',
      unit: '16-byte blocks per second (ggm: children made; hash: blocks hashed; bulk: stream)',
      node: process.version,
      chromium: browser.version,
      wasmSimd: { node: node.simd, chromium: browser.simd },
      checks: { node: node.checks, chromium: browser.checks },
      results,
    },
    null,
    2,
  ),
);
