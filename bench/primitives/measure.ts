// What bench/primitives.ts runs in each place (Node, and the Chromium page
// bench/primitives-page.ts): first the known-answer checks that the hand-written ChaCha8 (JS and
// WebAssembly SIMD) is @noble/ciphers' ChaCha8 and that FixedKeyAes is AES-128⁻¹, then every
// candidate's rate in 16-byte blocks per second (the median of RUNS runs after one warm-up run).

import { ecb } from '@noble/ciphers/aes.js';
import { chacha8 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '../../shared/random.js';
import { FixedKeyAes } from '../../workers/ot/aes.js';
import { CANDIDATES } from './candidates.js';
import { chachaGgm, chachaHash } from './chacha.js';
import { chachaSimd, simdSupported } from './simd.js';

const RUNS = 5;

interface Figure {
  name: string;
  job: 'ggm' | 'hash' | 'bulk';
  blocks: number;
  ms: number;
  blocksPerSecond: number;
}

export interface PlaceFigures {
  userAgent: string;
  simd: boolean;
  checks: string;
  figures: Figure[];
}

const u32 = (b: Uint8Array) => new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(`known-answer check failed: ${what}`);
}

/** The hand-written ChaCha8 (JS, SIMD) against @noble/ciphers, FixedKeyAes against AES-128⁻¹. */
async function checks(): Promise<void> {
  const xs = randomBytes(16 * 8);
  const nonce = new Uint8Array(12);
  const ggm = new Uint32Array(4 * 32);
  chachaGgm(u32(xs), ggm);
  const hashed = new Uint32Array(4 * 8);
  chachaHash(u32(xs), hashed, 5);
  for (let j = 0; j < 8; j++) {
    const x = xs.subarray(16 * j, 16 * j + 16);
    const k = new Uint8Array(32);
    k.set(x);
    k.set(x, 16);
    const kids = new Uint8Array(ggm.buffer, 64 * j, 64);
    expect(same(chacha8(k, nonce, new Uint8Array(64)), kids), 'JS ChaCha8 GGM = noble chacha8');
    k.fill(0, 16);
    k[16] = 5 + j;
    const h = new Uint8Array(hashed.buffer, 16 * j, 16);
    expect(same(chacha8(k, nonce, new Uint8Array(16)), h), 'JS ChaCha8 hash = noble chacha8');
  }
  if (simdSupported()) {
    const simd = await chachaSimd(8);
    expect(same(simd.ggm(xs), new Uint8Array(ggm.buffer)), 'SIMD ChaCha8 GGM = JS ChaCha8');
    expect(same(simd.hash(xs, 5), new Uint8Array(hashed.buffer)), 'SIMD ChaCha8 hash = JS ChaCha8');
  }
  const key = randomBytes(16);
  const p = await FixedKeyAes.create(key);
  const aesInverse = ecb(key, { disablePadding: true }).decrypt(xs);
  expect(same(await p.permute(xs), aesInverse), 'FixedKeyAes = AES-128⁻¹ (noble)');
}

async function elapsed(f: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

/** Checks, then every candidate (those needing SIMD only where it validates). */
export async function measurePrimitives(log: (msg: string) => void = () => {}): Promise<PlaceFigures> {
  await checks();
  const simd = simdSupported();
  const figures: Figure[] = [];
  for (const c of CANDIDATES) {
    if (c.simd && !simd) continue;
    const run = await c.make();
    await run();
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) times.push(await elapsed(run));
    const ms = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    const blocksPerSecond = Math.round(c.blocks / (ms / 1000));
    log(`${c.job} ${c.name}: ${(blocksPerSecond / 1e6).toFixed(2)} M blocks/s`);
    figures.push({ name: c.name, job: c.job, blocks: c.blocks, ms: Math.round(ms * 10) / 10, blocksPerSecond });
  }
  return { userAgent: globalThis.navigator?.userAgent ?? '', simd, checks: 'ok', figures };
}
