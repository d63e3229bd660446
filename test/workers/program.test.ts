// The program runner without a browser: the linear-regression template against plain gradient
// descent (through runLocal and through runProgram over two in-memory pools), output
// normalisation, and the coded failures (syntax, unrevealed output, reveal not allowed).

import { describe, expect, it } from 'vitest';
import type { Pool } from '../../workers/pool/pool.js';
import {
  collectOutputs,
  compileProgram,
  type ProgramArgs,
  type ProgramOutputs,
  runProgram,
} from '../../workers/program.js';
import {
  LINEAR_REGRESSION_COLUMNS,
  linearRegressionPlain,
  linearRegressionProgram,
} from '../../workers/programs/linear-regression.js';
import { inputTable } from '../../workers/sandbox/input-table.js';
import { runLocal, serveDealer } from '../../workers/securenumpy/index.js';
import { poolDuo, poolGroup } from '../helpers/pools.js';

/** Deterministic data: X is n × 2 in [-1, 1], y = X·[1.5, -2] + 0.5 + small noise. */
function regressionData(n: number): { X: number[][]; y: number[] } {
  const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 0.7), Math.cos(i * 1.1)]);
  const y = X.map(([a, b], i) => 1.5 * a! - 2 * b! + 0.5 + 0.01 * Math.sin(i * 2.3));
  return { X, y };
}

type RunArgs = Omit<ProgramArgs, 'input'>;

async function duo(args: RunArgs, inputs: [number[][] | null, number[][] | null]) {
  const g = poolDuo({ graceMs: 500 });
  const pools = g.pools as [Pool, Pool];
  // Each pool closes as soon as its party is done, as the worker does.
  const r = await Promise.allSettled(
    pools.map((pool, i) => runProgram(pool, { ...args, input: inputs[i]! }).finally(() => pool.close())),
  );
  g.close();
  return r as [PromiseSettledResult<ProgramOutputs>, PromiseSettledResult<ProgramOutputs>];
}

const code = (r: PromiseSettledResult<unknown>) =>
  r.status === 'rejected' ? (r.reason as { code?: string }).code : 'fulfilled';

describe('SecureNumpy program runner', () => {
  const { X, y } = regressionData(24);
  const expected = linearRegressionPlain(X, y, 30, 0.1);

  it('runs the linear-regression template under runLocal; theta matches plain gradient descent', async () => {
    const program = compileProgram(linearRegressionProgram({ receivers: [0] }));
    const inputs = [X, y.map((v) => [v])];
    const [r0, r1] = await runLocal(2, async (snp: unknown, party: number) =>
      collectOutputs(await program(snp, party, inputTable(inputs[party]!, LINEAR_REGRESSION_COLUMNS[party]!))),
    );
    const theta = (r0 as Awaited<ReturnType<typeof collectOutputs>>).theta!;
    expect(theta.shape).toEqual([3, 1]);
    Array.from(theta.data as Float64Array).forEach((t, i) => expect(t).toBeCloseTo(expected[i]!, 2));
    expect(r1).toEqual({ theta: null });
  }, 60_000);

  it('runs it through runProgram over two pools, dealer-free; only the receiver gets theta', async () => {
    const text = linearRegressionProgram({ receivers: [1] });
    const schema = LINEAR_REGRESSION_COLUMNS;
    const [r0, r1] = await duo({ text, reveal: [1], triples: 'dealer-free', schema }, [X, y.map((v) => [v])]);
    expect(r0).toEqual({ status: 'fulfilled', value: { theta: null } });
    if (r1.status !== 'fulfilled') throw r1.reason;
    const theta = r1.value.theta!;
    expect(theta.shape).toEqual([3, 1]);
    Array.from(theta.data as Float64Array).forEach((t, i) => expect(t).toBeCloseTo(expected[i]!, 2));
  }, 60_000);

  it('runs it with a participant dealer at pool index 2 (which runs serveDealer, not the program)', async () => {
    const g = poolGroup(3, { graceMs: 500 });
    const [p0, p1, dealer] = g.pools as [Pool, Pool, Pool];
    const text = linearRegressionProgram({ receivers: [0] });
    const args = { text, reveal: [0], triples: { dealer: 2 }, schema: LINEAR_REGRESSION_COLUMNS };
    const counts: number[] = [];
    const served = serveDealer(dealer, (n) => counts.push(n));
    const [r0, r1] = await Promise.all([
      runProgram(p0, { ...args, input: X }),
      runProgram(p1, { ...args, input: y.map((v) => [v]) }),
    ]);
    const { requests } = await served;
    expect(requests).toBeGreaterThan(0);
    expect(counts).toEqual(Array.from({ length: requests }, (_, i) => i + 1));
    g.close();
    Array.from(r0.theta!.data as Float64Array).forEach((t, i) => expect(t).toBeCloseTo(expected[i]!, 2));
    expect(r1).toEqual({ theta: null });
  }, 60_000);

  describe("the job's ring (number range)", () => {
    // Natural units: 5,000,000.25 and 2,500,000.5 are far beyond the standard ring's 32,768.
    const text = `const x = snp.array(party === 0 ? input : null, 0);
const y = snp.array(party === 1 ? input : null, 1);
return { sum: x.add(y).revealTo(0), product: x.mul(y).revealTo(0) };`;
    /** Both parties with their own ring setting, and a participant dealer at pool index 2. */
    async function dealt(rings: [unknown, unknown], inputs = [[[5_000_000.25]], [[2_500_000.5]]]) {
      const g = poolGroup(3, { graceMs: 500 });
      const [p0, p1, dealer] = g.pools as [Pool, Pool, Pool];
      const served = serveDealer(dealer).catch(() => null);
      const args = { text, reveal: [0], triples: { dealer: 2 } };
      const r = await Promise.allSettled([
        runProgram(p0, { ...args, ring: rings[0] as 64, input: inputs[0]! }),
        runProgram(p1, { ...args, ring: rings[1] as 64, input: inputs[1]! }),
      ]);
      for (const p of g.pools) p.close();
      await served;
      g.close();
      return r;
    }

    it('reaches both sessions: ring 128 computes on natural units at both parties', async () => {
      const [r0, r1] = await dealt([128, 128]);
      if (r0.status !== 'fulfilled') throw r0.reason;
      expect(r1).toEqual({ status: 'fulfilled', value: { sum: null, product: null } });
      expect(Array.from(r0.value.sum!.data as Float64Array)).toEqual([7_500_000.75]);
      expect((r0.value.product!.data as Float64Array)[0]).toBeCloseTo(5_000_000.25 * 2_500_000.5, 0);
    }, 60_000);

    it('is the standard ring by default (the owner refuses the value) and must be the same at both parties', async () => {
      // Each owner refuses its own value; a party whose peer refused first learns the peer's code.
      const standard = await dealt([undefined, undefined]);
      expect(standard.map(code)).toContain('ERR_OUT_OF_RANGE');
      for (const r of standard) {
        if (code(r) !== 'ERR_OUT_OF_RANGE')
          expect(r).toMatchObject({
            reason: { code: 'ERR_PEER_ABORTED', message: expect.stringContaining('ERR_OUT_OF_RANGE') },
          });
      }
      const mixed = await dealt([128, 64], [[[1.5]], [[2.5]]]);
      expect(mixed.map(code)).toEqual(['ERR_BAD_REQUEST', 'ERR_BAD_REQUEST']);
    }, 60_000);

    it('refuses a ring other than 64 or 128 with ERR_BAD_REQUEST at both parties', async () => {
      for (const ring of [96, '128']) {
        expect((await dealt([ring, ring])).map(code)).toEqual(['ERR_BAD_REQUEST', 'ERR_BAD_REQUEST']);
      }
    }, 60_000);
  });

  it("names a single unnamed output after the job's first output", async () => {
    const text = 'return snp.array(party === 0 ? input : null, 0).mul(2).revealTo(0);';
    const [r0, r1] = await duo({ text, reveal: [0], triples: 'dealer-free', defaultOutput: 'twice' }, [
      [
        [1, 2],
        [3, 4],
      ],
      null,
    ]);
    expect(r0.status === 'fulfilled' && r0.value.twice).toMatchObject({
      shape: [2, 2],
      dtype: 'float64',
      data: new Float64Array([2, 4, 6, 8]),
    });
    expect(r1).toEqual({ status: 'fulfilled', value: { twice: null } });
  });

  it('refuses a reveal to a party outside the reveal list with ERR_REVEAL_DENIED, in both parties', async () => {
    const text = 'return { z: snp.zeros([2]).revealTo(1) };';
    const r = await duo({ text, reveal: [0], triples: 'dealer-free' }, [null, null]);
    expect(r.map(code)).toEqual(['ERR_REVEAL_DENIED', 'ERR_REVEAL_DENIED']);
  });

  it("fails with ERR_PROGRAM on a syntax error, an unrevealed output, or a plain throw; keeps a program's own code", async () => {
    expect(() => compileProgram('return (;')).toThrow(expect.objectContaining({ code: 'ERR_PROGRAM' }));
    expect((await duo({ text: 'return (;', reveal: [0], triples: 'dealer-free' }, [null, null])).map(code)).toEqual([
      'ERR_PROGRAM',
      'ERR_PROGRAM',
    ]);
    const unrevealed = await duo({ text: 'return { x: snp.zeros([2]) };', reveal: [0], triples: 'dealer-free' }, [
      null,
      null,
    ]);
    expect(unrevealed.map(code)).toEqual(['ERR_PROGRAM', 'ERR_PROGRAM']);
    const thrown = await duo(
      { text: 'if (party === 1) throw new Error("no"); return null;', reveal: [0], triples: 'dealer-free' },
      [null, null],
    );
    expect(code(thrown[1]!)).toBe('ERR_PROGRAM');
    const own = await duo(
      {
        text: 'throw Object.assign(new Error("bad shape"), { code: "ERR_SHAPE" });',
        reveal: [0],
        triples: 'dealer-free',
      },
      [null, null],
    );
    expect(own.map(code)).toEqual(['ERR_SHAPE', 'ERR_SHAPE']);
    const badInput = await duo({ text: 'return null;', reveal: [0], triples: 'dealer-free' }, [
      [[1, Number.NaN]],
      null,
    ]);
    expect(code(badInput[0]!)).toBe('ERR_BAD_INPUT');
  });

  it('normalises outputs: undefined is none, promises are awaited, other values are refused', async () => {
    expect(await collectOutputs(undefined)).toEqual({});
    expect(await collectOutputs(Promise.resolve(null), 'r')).toEqual({ r: null });
    await expect(collectOutputs({ a: 1 })).rejects.toMatchObject({ code: 'ERR_PROGRAM' });
    await expect(collectOutputs([1])).rejects.toMatchObject({ code: 'ERR_PROGRAM' });
    // An array-like output is copied: an unknown dtype or a data/shape mismatch is refused.
    const built = (dtype: string, n: number) => ({ x: { shape: [2], dtype, data: new Float64Array(n) } });
    await expect(collectOutputs(built('constructor', 2))).rejects.toMatchObject({ code: 'ERR_PROGRAM' });
    await expect(collectOutputs(built('float64', 3))).rejects.toMatchObject({ code: 'ERR_PROGRAM' });
    const data = new Float64Array([1, 2]);
    const out = await collectOutputs({ x: { shape: [2], dtype: 'float64', data } });
    expect(out.x).toEqual({ shape: [2], dtype: 'float64', data });
    expect(out.x!.data).not.toBe(data);
  });
});
