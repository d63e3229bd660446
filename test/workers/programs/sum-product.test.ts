// The sum-and-product preset (workers/programs/sum-product.ts) as the app runs it: runProgram over
// two in-memory pools, the vector as an n × 1 column, reveal to the receiver only. Exactness at
// the edges of its range, the owner's input check, and the coded failures (length mismatch, bad
// or out-of-range input, a peer that leaves), plus surviving a dropped connection.

import { describe, expect, it } from 'vitest';
import { numbers, runPreset } from '../../../examples/run-preset.js';
import type { Pool } from '../../../workers/pool/pool.js';
import { type ProgramOutputs, type ProgramProgress, runProgram } from '../../../workers/program.js';
import {
  checkSumProductInput,
  SUM_PRODUCT_BOUND,
  SUM_PRODUCT_COLUMNS,
  sumProductPlain,
  sumProductProgram,
} from '../../../workers/programs/sum-product.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';

const column = (v: number[]) => v.map((e) => [e]);

function args(receiver: number, onProgress?: (p: ProgramProgress) => void) {
  return {
    text: sumProductProgram({ receivers: [receiver] }),
    schema: SUM_PRODUCT_COLUMNS,
    reveal: [receiver],
    triples: 'dealer-free' as const,
    onProgress,
  };
}

/** Both parties over one pool pair; each closes its pool when done, as the worker does. */
async function pair(x: number[], y: number[], receiver = 0, g: PoolGroup = poolDuo({ graceMs: 500 })) {
  const pools = g.pools as [Pool, Pool];
  const inputs = [x, y];
  const r = await Promise.allSettled(
    pools.map((pool, i) =>
      runProgram(pool, { ...args(receiver), input: column(inputs[i]!) }).finally(() => pool.close()),
    ),
  );
  g.close();
  return r as [PromiseSettledResult<ProgramOutputs>, PromiseSettledResult<ProgramOutputs>];
}

function values(r: PromiseSettledResult<ProgramOutputs>): { sum: number[]; product: number[] } {
  if (r.status === 'rejected') throw r.reason;
  return { sum: numbers(r.value.sum), product: numbers(r.value.product) };
}

const code = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected' ? (r.reason as { code?: string }).code : 'fulfilled';

describe('secure sum and product (the preset over two pools, dealer-free)', () => {
  it('reveals sum and product to the receiver only', async () => {
    const [r0, r1] = await pair([1, 2.5, -3, 1000], [4, -0.5, -2, 46.25]);
    expect(values(r0)).toEqual({ sum: [5, 2, -5, 1046.25], product: [4, -1.25, 6, 46250] });
    expect(r1).toEqual({ status: 'fulfilled', value: { sum: null, product: null } });
  }, 30_000);

  it('reveals to party 1 when it is the receiver', async () => {
    const [r0, r1] = await pair([3], [7], 1);
    expect(r0).toEqual({ status: 'fulfilled', value: { sum: null, product: null } });
    expect(values(r1)).toEqual({ sum: [10], product: [21] });
  }, 30_000);

  it('reports progress while the triples are made, then done', async () => {
    const g = poolDuo();
    const [p0, p1] = g.pools as [Pool, Pool];
    const n = 20_000;
    const x = column(Array.from({ length: n }, (_, i) => i % 100));
    const seen: ProgramProgress[] = [];
    const [r0] = await Promise.all([
      runProgram(p0, { ...args(0, (p) => seen.push(p)), input: x }),
      runProgram(p1, { ...args(0), input: x }),
    ]);
    g.close();
    const triples = seen.filter((p) => p.stage === 'preprocessing');
    expect(seen[0]!.stage).toBe('running');
    expect(triples.length).toBeGreaterThan(0);
    expect(triples.at(-1)).toMatchObject({ done: n, total: n });
    expect(seen.at(-1)!.stage).toBe('done');
    const product = numbers(r0.product);
    expect(product.slice(0, 4)).toEqual([0, 1, 4, 9]);
    expect(product[n - 1]).toBe(99 * 99);
  }, 60_000);

  it('fails both parties with ERR_LENGTH_MISMATCH', async () => {
    const r = await pair([1, 2, 3], [1, 2]);
    expect(r.map(code)).toEqual(['ERR_LENGTH_MISMATCH', 'ERR_LENGTH_MISMATCH']);
  }, 30_000);

  it('fails the party with bad input at once and tells the peer', async () => {
    const [r0, r1] = await pair([1, Number.NaN], [1, 2]);
    expect(code(r0)).toBe('ERR_BAD_INPUT');
    expect(code(r1)).toBe('ERR_PEER_ABORTED');
    expect((r1 as PromiseRejectedResult).reason.message).toMatch(/ERR_BAD_INPUT/);
  }, 30_000);

  it('refuses out-of-range inputs at their owner with ERR_OUT_OF_RANGE', async () => {
    const [r0, r1] = await pair([1, 2], [1, SUM_PRODUCT_BOUND + 0.001]);
    expect(code(r1)).toBe('ERR_OUT_OF_RANGE');
    expect((r1 as PromiseRejectedResult).reason.message).toMatch(/value 2/);
    expect(code(r0)).toBe('ERR_PEER_ABORTED');
  }, 30_000);

  it('fails with ERR_PEER_LEFT when the peer is gone mid-protocol', async () => {
    const g = poolDuo({ graceMs: 100 });
    const run = runProgram(g.pools[0]!, { ...args(0), input: [[1], [2]] });
    setTimeout(() => g.net.remove(1), 5);
    await expect(run).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
    g.close();
  });

  it('survives a dropped connection mid-protocol', async () => {
    const g = poolDuo({ graceMs: 2000, faults: { delayMs: 2 } });
    setTimeout(() => void g.net.drop(0, 1, 30), 3);
    const [r0, r1] = await pair([1, 2, 3], [4, 5, 6], 0, g);
    expect(values(r0)).toEqual({ sum: [5, 7, 9], product: [4, 10, 18] });
    expect(r1).toEqual({ status: 'fulfilled', value: { sum: null, product: null } });
  }, 30_000);
});

describe('the sum-and-product preset at the edges of its range (runLocal, dealer)', () => {
  it('is exact at the bounds, on the 2^-16 grid, and rounds off-grid inputs to it', async () => {
    const B = SUM_PRODUCT_BOUND;
    const x = [B, -B, B, 0, 2 ** -16, 2 ** -17, -(2 ** -17), 1 / 3, 12345.678, -0.00001];
    const y = [B, B, -B, -B, 2 ** -16, 1, 1, 3, -23456.789, 46339.99999];
    const [a] = await runPreset(sumProductProgram({ receivers: [0] }), SUM_PRODUCT_COLUMNS, [column(x), column(y)], {
      preprocessing: 'dealer',
    });
    const sum = numbers(a!.sum);
    const product = numbers(a!.product);
    expect(sum.slice(0, 4)).toEqual([2 * B, 0, 0, -B]);
    expect(product.slice(0, 4)).toEqual([B * B, -B * B, -B * B, 0]);
    expect(product[4]).toBe(2 ** -32); // the smallest product, exact at 32 fractional bits
    expect([product[5], product[6]]).toEqual([2 ** -16, 0]); // half a unit rounds up (Math.round): ±2^-17 → 2^-16, 0
    expect(sum[7]).toBe(Math.round(2 ** 16 / 3) / 2 ** 16 + 3);
    const plain = sumProductPlain(x, y);
    expect(sum).toEqual(plain.sum);
    expect(product).toEqual(plain.product);
  }, 30_000);

  it('gives the exact product of any two in-range integers', async () => {
    const B = SUM_PRODUCT_BOUND;
    const x = Array.from({ length: 64 }, (_, i) => ((i * 7919) % (2 * B + 1)) - B);
    const y = Array.from({ length: 64 }, (_, i) => B - ((i * 104729) % (2 * B + 1)));
    const [a] = await runPreset(sumProductProgram({ receivers: [0] }), SUM_PRODUCT_COLUMNS, [column(x), column(y)], {
      preprocessing: 'dealer',
    });
    expect(numbers(a!.product)).toEqual(x.map((v, i) => v * y[i]! + 0)); // + 0 turns -0 into 0
  }, 30_000);

  it('refuses an empty or too long column, and a second column, at the owner', async () => {
    const text = sumProductProgram({ receivers: [0] });
    const dealer = { preprocessing: 'dealer' } as const;
    await expect(runPreset(text, SUM_PRODUCT_COLUMNS, [[], [[1]]], dealer)).rejects.toMatchObject({
      code: 'ERR_BAD_INPUT',
    });
    await expect(
      runPreset(text, SUM_PRODUCT_COLUMNS, [column(new Array(100_001).fill(1)), [[1]]], dealer),
    ).rejects.toMatchObject({
      code: 'ERR_TOO_LARGE',
    });
    await expect(runPreset(text, SUM_PRODUCT_COLUMNS, [[[1, 2]], [[1]]], dealer)).rejects.toMatchObject({
      code: 'ERR_SCHEMA',
    });
  }, 30_000);
});

describe('checkSumProductInput (the app checks typed input with it before running)', () => {
  it('refuses non-finite, out-of-range, empty and too long vectors with codes naming the value', () => {
    const B = SUM_PRODUCT_BOUND;
    expect(() => checkSumProductInput([-B, B])).not.toThrow();
    expect(() => checkSumProductInput([1, 2, B + 1])).toThrow(/value 3/);
    expect(() => checkSumProductInput([1, 2, B + 1])).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => checkSumProductInput([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => checkSumProductInput([Infinity])).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => checkSumProductInput([])).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
    expect(() => checkSumProductInput(new Array(100_001).fill(0))).toThrow(
      expect.objectContaining({ code: 'ERR_TOO_LARGE' }),
    );
  });
});
