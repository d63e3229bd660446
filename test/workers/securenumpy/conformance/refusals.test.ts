// Inputs SecureNumpy must refuse with the contract's code: synchronously where shapes are known (session stays usable), and as runLocal's rejection.

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { DEALER, expectCode, input, type RunOptions, type Snp } from './harness.js';
import * as R from './reference.js';

const X23 = R.fromNested([
  [1, 2, 3],
  [4, 5, 6],
]);

/**
 * At both parties, every call in `bad` throws `code` at once; afterwards a valid computation still
 * runs and reveals (a refused call leaves the parties in step).
 */
async function refusedEverywhere(
  code: string,
  bad: ((snp: Snp, party: number) => unknown)[],
  opts: RunOptions = DEALER,
): Promise<void> {
  const [r0] = await runLocal(
    2,
    async (snp: Snp, party: number) => {
      bad.forEach((f, i) => expect(() => f(snp, party), `refusal ${i}`).toThrow(expect.objectContaining({ code })));
      return input(snp, party, 1, R.fromNested([1, 2]), 'float64', true)
        .add(1)
        .revealTo(0);
    },
    opts,
  );
  expect((r0 as { toArray(): unknown }).toArray()).toEqual([2, 3]);
}

/** The same refusal, uncaught in the program, makes runLocal reject with the code. */
async function rejects(
  code: string,
  program: (snp: Snp, party: number) => unknown,
  opts: RunOptions = DEALER,
): Promise<void> {
  await expect(runLocal(2, async (snp: Snp, party: number) => program(snp, party), opts)).rejects.toMatchObject({
    code,
  });
}

/** A [2,3] secret of party 0, with its shape known at party 1 too. */
const x23 = (snp: Snp, p: number) => input(snp, p, 0, X23, 'float64', true);

describe('refusals: ERR_SHAPE', () => {
  const bad: ((snp: Snp, p: number) => unknown)[] = [
    (snp) => snp.zeros([2, 3]).add(snp.zeros([4])),
    (snp, p) => x23(snp, p).add(input(snp, p, 1, R.zeros([3, 2]), 'float64', true)),
    (snp, p) => x23(snp, p).mul([1, 2]),
    (snp, p) => x23(snp, p).sub(R.toNested(R.zeros([3, 3]))),
    (snp, p) => x23(snp, p).reshape([4]),
    (snp, p) => x23(snp, p).reshape([4, -1]),
    (snp, p) => x23(snp, p).reshape([-1, -1]),
    (snp, p) => snp.reshape(x23(snp, p), [7]),
    (snp, p) => x23(snp, p).matmul(x23(snp, p)),
    (snp, p) => snp.matmul(x23(snp, p), [1, 2]),
    (snp, p) => snp.matmul(x23(snp, p), 2),
    (snp, p) => x23(snp, p).dot(x23(snp, p)),
    (snp, p) => snp.inner(x23(snp, p), [1, 2]),
    (snp, p) => snp.concatenate([x23(snp, p), snp.zeros([1, 2])]),
    (snp, p) => snp.concatenate([x23(snp, p), snp.zeros([3])]),
    (snp, p) => snp.stack([x23(snp, p), snp.zeros([3, 2])]),
    (snp, p) => snp.vstack([x23(snp, p), snp.zeros([2])]),
    (snp, p) => x23(snp, p).set([0], [1, 2]),
    (snp, p) => snp.average(x23(snp, p), 1, [1, 2]),
  ];
  it('broadcast mismatch, impossible reshape, matmul inner dimensions, concatenation, set values', async () => {
    await refusedEverywhere('ERR_SHAPE', bad);
  });
  it('runLocal rejects with ERR_SHAPE', async () => {
    await rejects('ERR_SHAPE', (snp, p) =>
      x23(snp, p)
        .matmul(snp.ones([2, 2]))
        .revealTo(0),
    );
    await rejects('ERR_SHAPE', (snp, p) => x23(snp, p).add([1, 2]).revealTo(0));
  });
  it('with shapes pending, both parties reject the result alike and runLocal rejects with ERR_SHAPE', async () => {
    await rejects('ERR_SHAPE', (snp, p) => {
      const a = input(snp, p, 0, X23); // no hint: party 1 learns the shape later
      const b = input(snp, p, 1, R.zeros([4]));
      return a.add(b).revealTo(0);
    });
  });
});

describe('refusals: ERR_AXIS', () => {
  it('reduction, concatenation, stacking, transpose and repeat axes out of range or repeated', async () => {
    await refusedEverywhere('ERR_AXIS', [
      (snp, p) => x23(snp, p).sum(2),
      (snp, p) => x23(snp, p).sum(-3),
      (snp, p) => x23(snp, p).mean(5),
      (snp, p) => x23(snp, p).cumsum(2),
      (snp, p) => x23(snp, p).prod(-3),
      (snp, p) => snp.sum(x23(snp, p), 2),
      (snp, p) => snp.concatenate([x23(snp, p), x23(snp, p)], 2),
      (snp, p) => snp.stack([x23(snp, p), x23(snp, p)], 3),
      (snp, p) => snp.stack([x23(snp, p), x23(snp, p)], -4),
      (snp, p) => x23(snp, p).transpose([0, 0]),
      (snp, p) => x23(snp, p).transpose([0, 2]),
      (snp, p) => snp.repeat(x23(snp, p), 2, 2),
    ]);
    await rejects('ERR_AXIS', (snp, p) => x23(snp, p).sum(3).revealTo(0));
  });
});

describe('refusals: ERR_INDEX', () => {
  it('indices out of range, too many indices, malformed slices', async () => {
    await refusedEverywhere('ERR_INDEX', [
      (snp, p) => x23(snp, p).get(2),
      (snp, p) => x23(snp, p).get(-3),
      (snp, p) => x23(snp, p).get(0, 3),
      (snp, p) => x23(snp, p).get(0, 0, 0),
      (snp, p) => x23(snp, p).get('1:2:3:4'),
      (snp, p) => x23(snp, p).get('a:b'),
      (snp, p) => x23(snp, p).get('::0'),
      (snp, p) => x23(snp, p).get(1.5),
      (snp, p) => x23(snp, p).set([5], 1),
      (snp, p) => x23(snp, p).set([0, 0, 0], 1),
    ]);
    await rejects('ERR_INDEX', (snp, p) => x23(snp, p).get(0, 7).revealTo(0));
  });
});

describe('refusals: ERR_OUT_OF_RANGE', () => {
  it('the owner refuses float64 inputs with |x| ≥ 2^15 and non-finite values, at once', async () => {
    const [r0] = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        // SPMD: both parties make the call; the owner's throws, the other's input rejects with the code.
        for (const v of [32768, -32768, 40000, 1e9, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          if (party === 0) expectCode(() => snp.array([1, v], 0), 'ERR_OUT_OF_RANGE');
          else snp.array(null, 0);
        }
        if (party === 1) expectCode(() => snp.array([[0], [1e6]], 1, 'float64'), 'ERR_OUT_OF_RANGE');
        else snp.array(null, 1);
        // Values just inside the range are taken, and the parties are still in step.
        return input(snp, party, 0, R.fromNested([32767.5, -32767.5]), 'float64').revealTo(0);
      },
      DEALER,
    );
    expect((r0 as { toArray(): unknown }).toArray()).toEqual([32767.5, -32767.5]);
  });

  it('runLocal rejects with ERR_OUT_OF_RANGE when the owner lets it escape', async () => {
    await rejects('ERR_OUT_OF_RANGE', (snp, p) =>
      snp
        .array(p === 0 ? [1, 1e6] : null, 0)
        .add(1)
        .revealTo(0),
    );
    await rejects('ERR_OUT_OF_RANGE', (snp, p) => snp.array(p === 1 ? [[Number.NaN]] : null, 1).revealTo(0));
  });
});

describe('refusals: ERR_DTYPE', () => {
  it('unknown dtype strings and bool − bool', async () => {
    await refusedEverywhere('ERR_DTYPE', [
      (snp, p) => snp.array(p === 0 ? [1] : null, 0, 'float32' as never),
      (snp) => snp.zeros([2], { dtype: 'complex' as never }),
      (snp, p) => x23(snp, p).astype('float32' as never),
      (snp, p) =>
        input(snp, p, 0, R.fromNested([1, 0]), 'bool', true).sub(input(snp, p, 1, R.fromNested([1, 1]), 'bool', true)),
      (snp, p) => input(snp, p, 0, R.fromNested([1, 0]), 'bool', true).sub(true),
      (snp, p) =>
        snp.subtract(
          input(snp, p, 1, R.fromNested([1, 0]), 'bool', true),
          input(snp, p, 0, R.fromNested([1, 0]), 'bool', true),
        ),
    ]);
    await rejects('ERR_DTYPE', (snp, p) =>
      input(snp, p, 0, R.fromNested([1]), 'bool', true)
        .sub(input(snp, p, 1, R.fromNested([1]), 'bool', true))
        .revealTo(0),
    );
  });
});

describe('refusals: ERR_REVEAL_DENIED', () => {
  it('revealTo a party outside options.reveal throws at once at both parties, before anything is sent', async () => {
    const [r0, r1] = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const x = input(snp, party, 1, R.fromNested([1.5, 2]), 'float64', true);
        expectCode(() => x.revealTo(1), 'ERR_REVEAL_DENIED');
        expectCode(() => x.add(1).revealTo(1), 'ERR_REVEAL_DENIED');
        return x.revealTo(0);
      },
      { ...DEALER, reveal: [0] },
    );
    expect((r0 as { toArray(): unknown }).toArray()).toEqual([1.5, 2]);
    expect(r1).toBeNull();
  });

  it('runLocal rejects with ERR_REVEAL_DENIED', async () => {
    await rejects('ERR_REVEAL_DENIED', (snp, p) => input(snp, p, 0, R.fromNested([1]), 'float64', true).revealTo(0), {
      ...DEALER,
      reveal: [1],
    });
  });
});

describe('shapes at the non-owner: ERR_PENDING', () => {
  it("reading an unhinted input's shape at the non-owner throws ERR_PENDING until ready() resolves", async () => {
    const seen = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const x = snp.array(party === 0 ? [[1, 2, 3]] : null, 0);
        const hinted = snp.array(party === 0 ? [[1, 2, 3]] : null, 0, 'float64', { shape: [1, 3] });
        const codeOf = (f: () => unknown) => {
          try {
            return f();
          } catch (e) {
            return (e as { code?: string }).code;
          }
        };
        const before = [codeOf(() => x.shape)];
        if (party === 1) {
          expectCode(() => x.ndim, 'ERR_PENDING');
          expectCode(() => x.size, 'ERR_PENDING');
        }
        const y = x.mul(2); // operations still return at once
        expect(hinted.shape).toEqual([1, 3]);
        const ready = await x.ready();
        return { before, ready, after: x.shape, y: await y.ready(), dtype: x.dtype };
      },
      DEALER,
    );
    expect(seen[0]).toEqual({ before: [[1, 3]], ready: [1, 3], after: [1, 3], y: [1, 3], dtype: 'float64' });
    expect(seen[1]).toEqual({ before: ['ERR_PENDING'], ready: [1, 3], after: [1, 3], y: [1, 3], dtype: 'float64' });
  });
});
