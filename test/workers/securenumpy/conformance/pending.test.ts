// Shapes still on their way and inputs their owner refused: every party takes the same path
// through the program and fails with the same code (issue 15: "never at one party alone").

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { DEALER, expectCode, type Snp } from './harness.js';

const A32 = [
  [1, 2],
  [3, 4],
  [5, 6],
];

/** What a step did at this party: 'returned' (the call gave an array) or the code it threw. */
function step(trace: string[], f: () => unknown): unknown {
  try {
    const v = f();
    trace.push('returned');
    return v;
  } catch (e) {
    trace.push((e as { code?: string }).code ?? 'uncoded');
    return null;
  }
}

/** The code a promise rejects with, or 'resolved'. */
async function settle(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return (e as { code?: string }).code ?? 'uncoded';
  }
}

/** Party 0's unhinted 3×2 input: party 1 learns its shape only when it arrives. */
const a32 = (snp: Snp, party: number) => snp.array(party === 0 ? A32 : null, 0);

describe('shape errors on a shape still on its way', () => {
  it('a.reshape([8]) of a pending 3×2 input fails with ERR_SHAPE at both parties, on the same path', async () => {
    const out = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const a = a32(snp, party);
        const trace: string[] = [];
        const b = step(trace, () => a.reshape([8])) as ReturnType<Snp['zeros']> | null;
        // Both parties must issue (or skip) the same operations after the call.
        const total = a.sum().revealTo(0);
        if (b) trace.push(await settle(b.revealTo(0)));
        const later = await a.mul(2).sum().revealTo(0);
        return { trace, total: (await total)?.toArray() ?? null, later: later?.toArray() ?? null };
      },
      DEALER,
    );
    expect(out[0]).toEqual({ trace: ['returned', 'ERR_SHAPE'], total: 21, later: 42 });
    expect(out[1]).toEqual({ trace: ['returned', 'ERR_SHAPE'], total: null, later: null });
  });

  it('axis, index and broadcast errors on pending shapes reject alike at both parties', async () => {
    const out = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const a = a32(snp, party);
        const bad = [
          () => a.sum(2),
          () => a.max(-3),
          () => a.argmin(2),
          () => a.get(3),
          () => a.get(0, 0, 0),
          () => a.transpose([0, 2]),
          () => a.add([1, 2, 3]),
          () => a.matmul(snp.ones([3, 3])),
          () => snp.concatenate([a, snp.zeros([2, 3])]),
          () => snp.resize(a, [2, 2]).reshape([5]),
        ];
        const codes: string[][] = [];
        for (const f of bad) {
          const trace: string[] = [];
          const r = step(trace, f) as ReturnType<Snp['zeros']> | null;
          if (r) trace.push(await settle(r.revealTo(0)));
          codes.push(trace);
        }
        return codes;
      },
      DEALER,
    );
    expect(out[0]).toEqual(out[1]);
    expect(out[0]!.map((t) => t[1])).toEqual([
      'ERR_AXIS',
      'ERR_AXIS',
      'ERR_AXIS',
      'ERR_INDEX',
      'ERR_INDEX',
      'ERR_AXIS',
      'ERR_SHAPE',
      'ERR_SHAPE',
      'ERR_SHAPE',
      'ERR_SHAPE',
    ]);
  });

  it('arguments wrong whatever the shape throw at once at both parties, pending or not', async () => {
    await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const a = a32(snp, party);
        expectCode(() => a.reshape([-1, -1]), 'ERR_SHAPE');
        expectCode(() => a.reshape([2, -3]), 'ERR_SHAPE');
        expectCode(() => snp.resize(a, [-2]), 'ERR_SHAPE');
        expectCode(() => a.transpose([1, 1]), 'ERR_AXIS');
        expectCode(() => a.get('1:2:3:4'), 'ERR_INDEX');
        return a.sum().revealTo(0);
      },
      DEALER,
    );
  });

  it('after snp.ready the shapes are settled: shape errors throw at the call at both parties', async () => {
    const out = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const a = a32(snp, party);
        const b = snp.array(party === 1 ? [1, 2, 3] : null, 1);
        const shapes = await snp.ready(a, b);
        expectCode(() => a.reshape([8]), 'ERR_SHAPE');
        expectCode(() => a.add(b), 'ERR_SHAPE');
        expectCode(() => a.sum(2), 'ERR_AXIS');
        return { shapes, sum: (await a.matmul(b.get('0:2')).sum().revealTo(0))?.toArray() ?? null };
      },
      DEALER,
    );
    expect(out[0]).toEqual({ shapes: [[3, 2], [3]], sum: 1 + 4 + 3 + 8 + 5 + 12 });
    expect(out[1]).toEqual({ shapes: [[3, 2], [3]], sum: null });
  });

  it('snp.ready of several inputs costs one message from each owner, as ready of one does', async () => {
    const out = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const xs = [
          snp.array(party === 0 ? [1, 2] : null, 0),
          snp.array(party === 0 ? [[1], [2]] : null, 0),
          snp.array(party === 1 ? [[[1]]] : null, 1),
          snp.array(party === 0 ? 3 : null, 0),
        ];
        const shapes = await snp.ready(...xs);
        const { messages, rounds } = snp.stats();
        return { shapes, messages, rounds };
      },
      DEALER,
    );
    for (const r of out) expect(r).toEqual({ shapes: [[2], [2, 1], [1, 1, 1], []], messages: 1, rounds: 0 });
  });

  it('snp.ready refuses what is not a SecureArray', async () => {
    await runLocal(2, async (snp: Snp) => expectCode(() => snp.ready([1, 2] as never), 'ERR_BAD_INPUT'), DEALER);
  });
});

describe("an input its owner refuses fails the other party's operations on it at once, with its code", () => {
  const refused = (code: string, bad: (party: number) => unknown, hint?: number[]) =>
    runLocal(
      2,
      async (snp: Snp, party: number) => {
        const opts = hint ? { shape: hint } : {};
        if (party === 0) {
          let thrown = 'none';
          try {
            snp.array(bad(0) as never, 0, 'float64', opts);
          } catch (e) {
            thrown = (e as { code: string }).code;
          }
          return [thrown];
        }
        const x = snp.array(null, 0, 'float64', opts);
        const y = snp.array([1, 2], 1);
        const errors: unknown[] = [];
        const seen = await Promise.all(
          [x.revealTo(0), x.revealTo(1), x.mul(y).revealTo(1), x.add(1).sum().revealTo(0), x.ready()].map((p) =>
            p.then(
              () => 'resolved',
              (e: { code?: string }) => (errors.push(e), e.code),
            ),
          ),
        );
        // The code travels, the owner's message (which may quote its data) does not.
        for (const e of errors) expect(String((e as Error).message)).not.toContain('1000000');
        return seen;
      },
      DEALER,
    ).then(([r0, r1]) => {
      expect(r0).toEqual([code]);
      // With a hint the shape is known here, so only the values never come.
      expect(r1).toEqual([code, code, code, code, hint ? 'resolved' : code]);
    });

  it('ERR_OUT_OF_RANGE (a value beyond the fixed-point range)', { timeout: 60_000 }, async () => {
    await refused('ERR_OUT_OF_RANGE', () => [1, 1000000]);
  });
  it('ERR_OUT_OF_RANGE with a shape hint (the shape was known, the share never comes)', {
    timeout: 60_000,
  }, async () => {
    await refused('ERR_OUT_OF_RANGE', () => [1, Number.NaN], [2]);
  });
  it('ERR_BAD_INPUT (the owner passes no data, or data that is not numbers), ERR_SHAPE (ragged data)', {
    timeout: 60_000,
  }, async () => {
    await refused('ERR_BAD_INPUT', () => null);
    await refused('ERR_BAD_INPUT', () => [1, 'two']);
    await refused('ERR_SHAPE', () => [[1, 2], [3]]); // ragged: NumPy's "inhomogeneous shape"
  });
  it('ERR_SHAPE (the data does not match the shape hint every party passed)', { timeout: 60_000 }, async () => {
    await refused('ERR_SHAPE', () => [1, 2, 3], [2]);
  });
});
