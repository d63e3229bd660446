// The dealer's work for one matrix triple in each ring, as workers/securenumpy/dealer.ts does it
// (five PRG streams, a = a0 + a1, b = b0 + b1, then a·b − c0), timed by `npm run bench:ring` next
// to the kernels because the matrix product dominates it: the issue-15 preprocessing target
// (wide ≤ 4.5× standard) was missed here first. Sending the correction is not included.

import { Prg } from '../../shared/prg.js';
import { randomBytes, SEED_BYTES } from '../../shared/random.js';
import { RING64, RING128, type Ring } from '../../shared/rings.js';

const RUNS = 7;

async function triple(ring: Ring, p0: Prg, p1: Prg, m: number, k: number, n: number): Promise<BigUint64Array> {
  const W = ring.words;
  const [A0, B0, C0, A1, B1] = await Promise.all([
    p0.words(0, W * m * k),
    p0.words(1, W * k * n),
    p0.words(2, W * m * n),
    p1.words(0, W * m * k),
    p1.words(1, W * k * n),
  ]);
  return ring.sub(ring.ringMatmul(ring.add(A0, A1), ring.add(B0, B1), m, k, n), C0);
}

async function best(f: () => Promise<unknown>): Promise<number> {
  await f();
  let ms = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await f();
    ms = Math.min(ms, performance.now() - t);
  }
  return Math.round(ms * 100) / 100;
}

/** ms per size³ matrix triple (best of 7) in Z_2^64 and Z_2^128, and their ratio. */
export async function dealerTriple(size: number): Promise<{ ms64: number; ms128: number; ratio: number }> {
  const [p0, p1] = [new Prg(randomBytes(SEED_BYTES)), new Prg(randomBytes(SEED_BYTES))];
  const ms64 = await best(() => triple(RING64, p0, p1, size, size, size));
  const ms128 = await best(() => triple(RING128, p0, p1, size, size, size));
  return { ms64, ms128, ratio: Math.round((ms128 / ms64) * 100) / 100 };
}
