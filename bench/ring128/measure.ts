// What `npm run bench:ring` runs in each place (Node, and the Chromium page bench/ring128-page.ts):
// every Z_2^128 candidate against the Z_2^64 kernel of shared/ring.ts in the same run, after a
// check that each candidate's result equals the plain BigInt one. Figures are the best of RUNS
// timed calls after one warm-up call, in ms and million elements (or multiply-adds) per second.

import { randomRing } from '../../shared/random.js';
import * as r64 from '../../shared/ring.js';
import { WASM_BYTES, wideArithmeticSupported } from '../../shared/ring128/elementwise.js';
import { MATMUL_WASM_BYTES, matmul, pairsPerStep } from '../../shared/ring128/matmul.js';
import * as r128 from '../../shared/ring128.js';
import { RING64 } from '../../shared/rings.js';
import {
  bigAdd,
  bigDecodeFixed,
  bigEncodeFixed,
  bigMatmul,
  bigMul,
  bigShiftRightArithmetic,
  bigSub,
} from './bigint.js';
import { dealerTriple } from './dealer.js';
import { limbsAdd, limbsMul, limbsShiftRightArithmetic, limbsSub } from './limbs.js';
import { matmulDirect } from './matmul-direct.js';
import { wordsAdd, wordsMatmulFloor, wordsMul } from './words.js';

const RUNS = 7;
const LEN = 1_000_000;
const SIZES = [256, 64];
const F = 16;

interface Candidate {
  name: string;
  run: () => unknown;
  /** The same result as the reference (checked before timing); absent for a partial kernel. */
  check?: boolean;
}

interface Row {
  op: string;
  /** Elements (or multiply-adds for matmul) per call. */
  work: number;
  ms64: number;
  candidates: { name: string; ms: number; ratio: number; chosen: boolean }[];
}

export interface RingFigures {
  userAgent: string;
  wideArithmetic: boolean;
  wasmBytes: number;
  matmulWasmBytes: number;
  rows: Row[];
  /** The dealer's work for one 256³ matrix triple (bench/ring128/dealer.ts), ms per ring. */
  dealerTriple256: { ms64: number; ms128: number; ratio: number };
}

/** The best of `runs` timings of `calls` calls each, per call (calls > 1 for sub-ms kernels). */
function best(f: () => unknown, runs = RUNS, calls = 1): number {
  f();
  let ms = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let c = 0; c < calls; c++) f();
    ms = Math.min(ms, (performance.now() - t) / calls);
  }
  return Math.round(ms * 1000) / 1000;
}

function same(x: unknown, y: unknown): boolean {
  const a = x as ArrayLike<unknown>;
  const b = y as ArrayLike<unknown>;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Times the 64-bit kernel and every candidate; `chosen` names the one shared/ring128.ts exports. */
function row(
  op: string,
  work: number,
  run64: () => unknown,
  reference: () => unknown,
  candidates: Candidate[],
  chosen: string,
  log: (m: string) => void,
  calls = 1,
): Row {
  const want = reference();
  for (const c of candidates) {
    if (c.check !== false && !same(c.run(), want)) throw new Error(`${op}: ${c.name} differs from BigInt`);
  }
  const ms64 = best(run64, RUNS, calls);
  const out = candidates.map((c) => {
    const ms = best(c.run, c.name === 'bigint' && op.startsWith('matmul') ? 1 : RUNS, calls);
    return { name: c.name, ms, ratio: Math.round((ms / ms64) * 10) / 10, chosen: c.name === chosen };
  });
  log(`${op}: 64-bit ${ms64} ms; ${out.map((c) => `${c.name} ${c.ms} ms (${c.ratio}×)`).join(', ')}`);
  return { op, work, ms64, candidates: out };
}

const ring128 = (n: number) => randomRing(2 * n);

export async function measureRing(log: (m: string) => void): Promise<RingFigures> {
  const a64 = randomRing(LEN);
  const b64 = randomRing(LEN);
  const a = ring128(LEN);
  const b = ring128(LEN);
  const s = 0x1234_5678_9abc_def0_1122_3344_5566_7788n;
  const sb = new BigUint64Array(a.length);
  for (let i = 0; i < sb.length; i += 2) [sb[i], sb[i + 1]] = [BigInt.asUintN(64, s), s >> 64n];
  const xs = Float64Array.from({ length: LEN }, (_, i) => ((i * 7919) % 100_003) * 1e9 - 5e13 + i / 7);
  const enc = r128.encodeFixed(xs, F);
  const scale = 2 ** F;
  // The 64-bit ring's conversions as workers/securenumpy/values.ts writes them (BigInt per value).
  const from64 = () => BigUint64Array.from(xs, (x) => BigInt.asUintN(64, BigInt(Math.round(x * scale))));
  const e64 = from64();
  const to64 = () => Float64Array.from(e64, (v) => Number(BigInt.asIntN(64, v)) / scale);
  const zero = new BigUint64Array(a.length);
  const rows: Row[] = [];
  const add = (op: string, run64: () => unknown, ref: () => unknown, cs: Candidate[], chosen: string) =>
    rows.push(row(op, LEN, run64, ref, cs, chosen, log));
  add(
    'add',
    () => r64.add(a64, b64),
    () => bigAdd(a, b),
    [
      { name: 'bigint', run: () => bigAdd(a, b) },
      { name: 'words', run: () => wordsAdd(a, b) },
      { name: 'limbs', run: () => limbsAdd(a, b) },
      { name: 'wasm', run: () => r128.add(a, b) },
    ],
    'wasm',
  );
  add(
    'sub',
    () => r64.sub(a64, b64),
    () => bigSub(a, b),
    [
      { name: 'bigint', run: () => bigSub(a, b) },
      { name: 'limbs', run: () => limbsSub(a, b) },
      { name: 'wasm', run: () => r128.sub(a, b) },
    ],
    'wasm',
  );
  add(
    'neg',
    () => r64.neg(a64),
    () => bigSub(zero, a),
    [
      { name: 'limbs', run: () => limbsSub(zero, a) },
      { name: 'wasm', run: () => r128.neg(a) },
    ],
    'wasm',
  );
  add(
    'mul',
    () => r64.mul(a64, b64),
    () => bigMul(a, b),
    [
      { name: 'bigint', run: () => bigMul(a, b) },
      { name: 'words', run: () => wordsMul(a, b) },
      { name: 'limbs', run: () => limbsMul(a, b) },
      { name: 'wasm', run: () => r128.mul(a, b) },
    ],
    'wasm',
  );
  add(
    'mulScalar',
    () => r64.mulScalar(a64, s),
    () => bigMul(a, sb),
    [
      { name: 'wasm-vector', run: () => r128.mul(a, sb) },
      { name: 'wasm', run: () => r128.mulScalar(a, s) },
    ],
    'wasm',
  );
  add(
    'shiftRightArithmetic16',
    () => r64.shiftRightLogical(a64, F),
    () => bigShiftRightArithmetic(a, F),
    [
      { name: 'bigint', run: () => bigShiftRightArithmetic(a, F) },
      { name: 'limbs', run: () => limbsShiftRightArithmetic(a, F) },
      { name: 'wasm', run: () => r128.shiftRightArithmetic(a, F) },
    ],
    'wasm',
  );
  add(
    'encodeFixed16',
    from64,
    () => bigEncodeFixed(xs, F),
    [
      { name: 'bigint', run: () => bigEncodeFixed(xs, F) },
      { name: 'limbs', run: () => r128.encodeFixed(xs, F) },
    ],
    'limbs',
  );
  add(
    'decodeFixed16',
    to64,
    () => bigDecodeFixed(enc, F),
    [
      { name: 'bigint', run: () => bigDecodeFixed(enc, F) },
      { name: 'limbs', run: () => r128.decodeFixed(enc, F) },
    ],
    'limbs',
  );
  // Beaver's combine at party 0 (c + d·b + e·a + d·e): composed of the element-wise kernels, or fused.
  const de64 = randomRing(2 * LEN);
  const de = ring128(2 * LEN);
  const [d, e] = [de.subarray(0, a.length), de.subarray(a.length)];
  const composed = () => r128.add(r128.add(r128.add(zero, r128.mul(d, b)), r128.mul(e, a)), r128.mul(d, e));
  add(
    'beaverCombine',
    () => RING64.beaverCombine(0, de64, a64, b64, a64),
    () => bigAdd(bigAdd(bigMul(d, b), bigMul(e, a)), bigMul(d, e)),
    [
      { name: 'wasm-composed', run: composed },
      { name: 'wasm', run: () => r128.beaverCombine(0, de, a, b, zero) },
    ],
    'wasm',
  );
  for (const size of SIZES) rows.push(matmulRow(size, log));
  const dealer = await dealerTriple(256);
  log(`dealer matrix triple 256³: 64-bit ${dealer.ms64} ms, 128-bit ${dealer.ms128} ms (${dealer.ratio}×)`);
  return {
    userAgent: globalThis.navigator?.userAgent ?? 'node',
    wideArithmetic: wideArithmeticSupported(),
    wasmBytes: WASM_BYTES,
    matmulWasmBytes: MATMUL_WASM_BYTES,
    rows,
    dealerTriple256: dealer,
  };
}

/**
 * size×size by size×size; the kernels are checked against BigInt at 33×33 first (BigInt takes
 * seconds at 256). Sub-ms sizes time 256³/size³ calls per run.
 */
function matmulRow(size: number, log: (m: string) => void): Row {
  const [x, y] = [ring128(33 * 33), ring128(33 * 33)];
  const want = bigMatmul(x, y, 33, 33, 33);
  for (const pairs of [1, 2] as const)
    if (!same(matmul(x, y, 33, 33, 33, pairs), want)) throw new Error(`matmul: wasm (${pairs}) differs`);
  if (!same(matmulDirect(x, y, 33, 33, 33), want)) throw new Error('matmul: direct differs');
  const [a64, b64] = [randomRing(size * size), randomRing(size * size)];
  const [a, b] = [ring128(size * size), ring128(size * size)];
  const candidates: Candidate[] = [
    { name: 'bigint', run: () => bigMatmul(a, b, size, size, size), check: false },
    { name: 'words-floor', run: () => wordsMatmulFloor(a, b, size, size, size), check: false },
    { name: 'direct', run: () => matmulDirect(a, b, size, size, size), check: false },
    { name: 'wasm-1pair', run: () => matmul(a, b, size, size, size, 1), check: false },
    { name: 'wasm-2pairs', run: () => matmul(a, b, size, size, size, 2), check: false },
  ];
  const run64 = () => r64.ringMatmul(a64, b64, size, size, size);
  const calls = Math.max(1, Math.round((256 / size) ** 3 / 8));
  const chosen = pairsPerStep(size) === 1 ? 'wasm-1pair' : 'wasm-2pairs';
  return row(`matmul${size}`, size ** 3, run64, () => null, candidates, chosen, log, calls);
}
