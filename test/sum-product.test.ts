// The spine's analysis with two parties in one process: revealed numbers, reveal only to the
// receiver, and the coded failures (length mismatch, bad input, peer left, dealer failure).

import { describe, expect, it } from 'vitest';
import { ParleyError } from '../shared/errors.js';
import type { TripleGrant } from '../shared/protocol.js';
import type { Pool } from '../workers/pool/pool.js';
import { runSumProduct, type Stage } from '../workers/sum-product.js';
import { localGrants } from './helpers/dealer.js';
import { poolDuo } from './helpers/pools.js';

async function pair(
  x: number[],
  y: number[],
  receiver: 0 | 1 = 0,
  opts: { grants?: (n: number) => Promise<[TripleGrant, TripleGrant]>; triples?: 'dealer-free' | 'service-dealer' } = {},
) {
  const g = poolDuo({ graceMs: 200 });
  const [m0, m1] = g.pools as [Pool, Pool];
  const n = Math.max(x.length, y.length);
  let memo: Promise<[TripleGrant, TripleGrant]> | null = null;
  const grants = () => (memo ??= (opts.grants ?? localGrants)(n)); // made on first request only
  const stages: Stage[] = [];
  const r = await Promise.allSettled([
    runSumProduct(m0, { party: 0, receiver, input: x, triples: opts.triples ?? 'service-dealer', getTriples: async () => (await grants())[0], onStage: (s) => stages.push(s) }),
    runSumProduct(m1, { party: 1, receiver, input: y, triples: opts.triples ?? 'service-dealer', getTriples: async () => (await grants())[1] }),
  ]);
  g.close();
  return { r, stages };
}

describe('secure sum and product, dealer-free', () => {
  it('reveals sum and product to the receiver, with triples made by the two parties (OT)', async () => {
    const noDealer = async (): Promise<never> => {
      throw new Error('the dealer must not be asked');
    };
    const { r } = await pair([1, 2.5, -3, 1000], [4, -0.5, -2, 46.25], 0, { triples: 'dealer-free', grants: noDealer });
    expect(r[0]).toEqual({ status: 'fulfilled', value: { sum: [5, 2, -5, 1046.25], product: [4, -1.25, 6, 46250] } });
    expect(r[1]).toEqual({ status: 'fulfilled', value: null });
  });

  it('reports progress while the triples are made, chunk by chunk', async () => {
    const g = poolDuo();
    const [p0, p1] = g.pools as [Pool, Pool];
    const n = 20_000;
    const x = Array.from({ length: n }, (_, i) => i % 100);
    const seen: number[] = [];
    const [r0] = await Promise.all([
      runSumProduct(p0, { party: 0, receiver: 0, input: x, triples: 'dealer-free', getTriples: async () => Promise.reject(new Error('no dealer')), onStage: (s, f) => s === 'triples' && f !== undefined && seen.push(f) }),
      runSumProduct(p1, { party: 1, receiver: 0, input: x, triples: 'dealer-free', getTriples: async () => Promise.reject(new Error('no dealer')) }),
    ]);
    expect(seen).toEqual([16_384 / n, 1]);
    expect(r0!.product.slice(0, 4)).toEqual([0, 1, 4, 9]);
    expect(r0!.product[n - 1]).toBe(99 * 99);
    g.close();
  }, 30_000);

  it('fails both parties with ERR_LENGTH_MISMATCH before any preprocessing', async () => {
    const { r } = await pair([1, 2, 3], [1, 2], 0, { triples: 'dealer-free' });
    for (const s of r) expect(s).toMatchObject({ status: 'rejected', reason: { code: 'ERR_LENGTH_MISMATCH' } });
  });
});

describe('secure sum and product', () => {
  it('reveals sum and product to the receiver only', async () => {
    const { r, stages } = await pair([1, 2.5, -3, 1000], [4, -0.5, -2, 46.25]);
    expect(r[0]).toEqual({ status: 'fulfilled', value: { sum: [5, 2, -5, 1046.25], product: [4, -1.25, 6, 46250] } });
    expect(r[1]).toEqual({ status: 'fulfilled', value: null });
    expect(stages).toEqual(['waiting-for-peer', 'sharing', 'triples', 'multiplying', 'revealing', 'done']);
  });

  it('reveals to party 1 when it is the receiver', async () => {
    const { r } = await pair([3], [7], 1);
    expect(r[0]).toEqual({ status: 'fulfilled', value: null });
    expect(r[1]).toEqual({ status: 'fulfilled', value: { sum: [10], product: [21] } });
  });

  it('matches plaintext on random vectors within the fixed-point grid', async () => {
    const n = 200;
    const rnd = () => Math.round((Math.random() * 2 - 1) * 1000 * 2 ** 16) / 2 ** 16;
    const x = Array.from({ length: n }, rnd);
    const y = Array.from({ length: n }, rnd);
    const { r } = await pair(x, y);
    const v = (r[0] as PromiseFulfilledResult<{ sum: number[]; product: number[] }>).value;
    expect(v.sum).toEqual(x.map((a, i) => a + y[i]!));
    v.product.forEach((p, i) => expect(p).toBeCloseTo(x[i]! * y[i]!, 8));
  });

  it('fails both parties with ERR_LENGTH_MISMATCH', async () => {
    const { r } = await pair([1, 2, 3], [1, 2]);
    for (const s of r) expect(s).toMatchObject({ status: 'rejected', reason: { code: 'ERR_LENGTH_MISMATCH' } });
  });

  it('fails the party with bad input at once and tells the peer', async () => {
    const { r } = await pair([1, Number.NaN], [1, 2]);
    expect(r[0]).toMatchObject({ status: 'rejected', reason: { code: 'ERR_BAD_INPUT' } });
    expect(r[1]).toMatchObject({ status: 'rejected', reason: { code: 'ERR_PEER_ABORTED' } });
    expect((r[1] as PromiseRejectedResult).reason.message).toMatch(/ERR_BAD_INPUT/);
  });

  it('refuses out-of-range inputs', async () => {
    const { r } = await pair([1, 50000], [1, 2]);
    expect(r[0]).toMatchObject({ status: 'rejected', reason: { code: 'ERR_OUT_OF_RANGE' } });
  });

  it('fails with ERR_PEER_LEFT when the peer is gone mid-protocol', async () => {
    const g = poolDuo({ graceMs: 100 });
    const run = runSumProduct(g.pools[0]!, { party: 0, receiver: 0, input: [1, 2], triples: 'service-dealer', getTriples: async () => (await localGrants(2))[0] });
    setTimeout(() => g.net.remove(1), 5);
    await expect(run).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
    g.close();
  });

  it('survives a dropped connection mid-protocol', async () => {
    const g = poolDuo({ graceMs: 2000, faults: { delayMs: 2 } });
    const [p0, p1] = g.pools as [Pool, Pool];
    const [g0, g1] = await localGrants(3);
    const runs = Promise.all([
      runSumProduct(p0, { party: 0, receiver: 0, input: [1, 2, 3], triples: 'service-dealer', getTriples: async () => g0 }),
      runSumProduct(p1, { party: 1, receiver: 0, input: [4, 5, 6], triples: 'service-dealer', getTriples: async () => g1 }),
    ]);
    setTimeout(() => void g.net.drop(0, 1, 30), 3);
    expect(await runs).toEqual([{ sum: [5, 7, 9], product: [4, 10, 18] }, null]);
    g.close();
  });

  it('passes a dealer refusal to both parties', async () => {
    const { r } = await pair([1], [2], 0, {
      grants: async () => {
        throw new ParleyError('ERR_DEALER_REPLAY');
      },
    });
    expect(r[0]).toMatchObject({ status: 'rejected' });
    const codes = r.map((s) => (s as PromiseRejectedResult).reason.code).sort();
    expect(codes).toContain('ERR_DEALER_REPLAY');
  });
});
