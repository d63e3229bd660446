// PETAce SecureNumpy's test_array and test_array_creation programs (tiktok-privacy-innovation/
// PETAce, python/petace/tests/securenumpy/), written against our contract: attributes (at party 1
// after snp.ready), creation, ranges, fromshare, reveal; arithmetic, comparisons and logic with
// plain, scalar and cipher operands in both orders; getitem/setitem; matmul. Tolerances are
// PETAce's.

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { type Case, close, DEALER, exact, expectCode, input, runCases, type SA, type Snp } from './harness.js';
import { ar, dec, N, own0, random } from './petace.js';
import * as R from './reference.js';

describe('PETAce test_array: attributes and creation', () => {
  it('shape, ndim, size and dtype of party 0 inputs, at party 1 after snp.ready', async () => {
    const shapes = [[], [1000], [100, 10], [10, 60]];
    const seen = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const xs = shapes.map((s, i) => input(snp, party, 0, random(43 + i, s)));
        await snp.ready(...xs);
        return xs.map((x) => ({ shape: x.shape, ndim: x.ndim, size: x.size, dtype: x.dtype }));
      },
      DEALER,
    );
    const want = shapes.map((s) => ({ shape: s, ndim: s.length, size: R.sizeOf(s), dtype: 'float64' }));
    expect(seen).toEqual([want, want]);
  });

  it('empty, identity, ones, zeros, full, copy; arange, linspace, logspace; reveal; fromShare', async () => {
    const cases: Case[] = [];
    for (const s of [[10], [10, 20]]) {
      cases.push(exact(`zeros ${s}`, (snp) => snp.zeros(s), R.zeros(s)));
      cases.push(exact(`ones ${s}`, (snp) => snp.ones(s), R.ones(s)));
      cases.push(exact(`full ${s}`, (snp) => snp.full(s, 3.0), R.full(s, 3)));
      cases.push(exact(`empty ${s}`, (snp) => snp.empty(s), R.zeros(s)));
    }
    cases.push(exact('identity(10)', (snp) => snp.identity(10), R.identity(10)));
    cases.push(exact('copy(empty)', (snp) => snp.copy(snp.empty([2, 3])), R.zeros([2, 3])));
    cases.push(exact('arange(10)', (snp) => snp.arange(10), ar(10)));
    cases.push(exact('arange(1, 10)', (snp) => snp.arange(1, 10), ar(1, 10)));
    cases.push(exact('arange(0, 10, 0.5)', (snp) => snp.arange(0, 10, 0.5), R.arange(0, 10, 0.5)));
    cases.push(close('linspace(0, 10)', (snp) => snp.linspace(0, 10), R.linspace(0, 10), dec(5)));
    cases.push(close('linspace(2, 10, 100)', (snp) => snp.linspace(2, 10, 100), R.linspace(2, 10, 100), dec(4)));
    cases.push(
      close(
        'linspace(2, 10, endpoint false)',
        (snp) => snp.linspace(2, 10, 50, false),
        R.linspace(2, 10, 50, false),
        dec(5),
      ),
    );
    cases.push(close('logspace(0, 6)', (snp) => snp.logspace(0, 6), R.logspace(0, 6), dec(4)));
    cases.push(close('logspace(0, 6, 100)', (snp) => snp.logspace(0, 6, 100), R.logspace(0, 6, 100), dec(4)));
    cases.push(
      close(
        'logspace(0, 6, endpoint false)',
        (snp) => snp.logspace(0, 6, 50, false),
        R.logspace(0, 6, 50, false),
        dec(5),
      ),
    );
    cases.push(
      exact(
        'reveal float64',
        own0(
          N([
            [4, 4],
            [4, 4],
          ]),
        ),
        N([
          [4, 4],
          [4, 4],
        ]),
      ),
    );
    cases.push(
      exact(
        'reveal bool',
        own0(
          N([
            [1, 0],
            [0, 1],
          ]),
          'bool',
        ),
        N([
          [1, 0],
          [0, 1],
        ]),
        'bool',
      ),
    );
    await runCases(cases);
  });

  it('fromShare(toShare()) of 0-d, 1-d and 2-d inputs', async () => {
    const data = [random(43, []), random(44, [100]), random(45, [10, 20])];
    const [r0] = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const out = [];
        for (const x of data) {
          const share = await input(snp, party, 0, x).toShare();
          expect(share.shape).toEqual(x.shape);
          out.push(await snp.fromShare(share, 'float64').revealTo(0));
        }
        return out;
      },
      DEALER,
    );
    (r0 as { toArray(): unknown }[]).forEach((nd, i) =>
      expect(R.sub(N(nd.toArray() as R.Nested), data[i]!).data.every((e) => Math.abs(e) < dec(4))).toBe(true),
    );
  });
});

describe('PETAce test_array: operators', () => {
  const a25 = R.reshape(ar(10), [2, 5]);
  const p0 = random(43, [2, 5]);
  const c0 = (snp: Snp) => snp.arange(10).reshape([2, 5]);

  it('add, sub, mul, div with a plain array, a scalar and a cipher, both orders; in-place forms', async () => {
    const cases: Case[] = [
      close('c0 + p0', (snp) => c0(snp).add(R.toNested(p0)), R.add(a25, p0), dec(5)),
      close('p0 + c0', (snp) => snp.add(R.toNested(p0), c0(snp)), R.add(p0, a25), dec(5)),
      exact('c0 + 1, 1 + c0', (snp) => snp.add(1, c0(snp).add(1)).sub(1), R.add(a25, 1)),
      exact('cipher + cipher', (snp) => snp.arange(10).add(snp.arange(10, 20)), R.add(ar(10), ar(10, 20))),
      close('c0 - p0', (snp) => c0(snp).sub(R.toNested(p0)), R.sub(a25, p0), dec(5)),
      close('p0 - c0', (snp) => snp.subtract(R.toNested(p0), c0(snp)), R.sub(p0, a25), dec(5)),
      exact('1 - c0', (snp) => snp.subtract(1, c0(snp)), R.sub(1, a25)),
      exact('cipher - cipher', (snp) => snp.arange(10).sub(snp.arange(10, 20)), R.sub(ar(10), ar(10, 20))),
      close('c0 * p0', (snp) => c0(snp).mul(R.toNested(p0)), R.mul(a25, p0), dec(4)),
      close('p0 * c0', (snp) => snp.multiply(R.toNested(p0), c0(snp)), R.mul(p0, a25), dec(4)),
      exact('cipher * cipher', (snp) => snp.arange(10).mul(snp.arange(10, 20)), R.mul(ar(10), ar(10, 20))),
      close(
        'c0 / p',
        (snp) =>
          snp
            .arange(20, 30)
            .reshape([2, 5])
            .div(R.toNested(R.reshape(ar(10, 20), [2, 5]))),
        R.div(R.reshape(ar(20, 30), [2, 5]), R.reshape(ar(10, 20), [2, 5])),
        dec(3),
      ),
      close(
        'p / c0',
        (snp) => snp.divide(R.toNested(R.reshape(ar(10, 20), [2, 5])), snp.arange(20, 30).reshape([2, 5])),
        R.div(R.reshape(ar(10, 20), [2, 5]), R.reshape(ar(20, 30), [2, 5])),
        dec(3),
      ),
      exact('-arange(10)', (snp) => snp.arange(10).neg(), R.neg(ar(10))),
      exact(
        '~(a == b)',
        (snp, p) =>
          input(snp, p, 0, N([1, 0]))
            .eq(input(snp, p, 0, N([0, 0])))
            .not(),
        N([1, 0]),
        'bool',
      ),
    ];
    await runCases(cases);
  });

  it('lt gt eq ne ge le with a plain array, a scalar and a cipher, both orders', async () => {
    const ops: [string, (snp: Snp, a: unknown, b: unknown) => SA, (x: R.Operand, y: R.Operand) => R.Arr][] = [
      ['lt', (snp, a, b) => snp.lt(a, b), R.less],
      ['gt', (snp, a, b) => snp.gt(a, b), R.greater],
      ['eq', (snp, a, b) => snp.eq(a, b), R.equal],
      ['ne', (snp, a, b) => snp.ne(a, b), R.notEqual],
      ['ge', (snp, a, b) => snp.ge(a, b), R.greaterEqual],
      ['le', (snp, a, b) => snp.le(a, b), R.lessEqual],
    ];
    const cases = ops.flatMap(([name, op, ref]): Case[] => [
      exact(`c0 ${name} p0`, (snp) => op(snp, c0(snp), R.toNested(p0)), ref(a25, p0), 'bool'),
      exact(`p0 ${name} c0`, (snp) => op(snp, R.toNested(p0), c0(snp)), ref(p0, a25), 'bool'),
      exact(`c0 ${name} 1`, (snp) => op(snp, c0(snp), 1), ref(a25, 1), 'bool'),
      exact(`1 ${name} c0`, (snp) => op(snp, 1, c0(snp)), ref(1, a25), 'bool'),
      exact(`c ${name} c`, (snp) => op(snp, snp.arange(10), snp.arange(10, 20)), ref(ar(10), ar(10, 20)), 'bool'),
    ]);
    await runCases(cases);
  });

  it('and, or, xor with a plain array, a scalar and a cipher', async () => {
    const b0 = N([1, 1, 0]);
    const b1 = N([1, 0, 1]);
    const bool0 = (x: R.Arr) => own0(x, 'bool');
    const ops: [string, (a: SA, b: unknown) => SA, (x: R.Operand, y: R.Operand) => R.Arr][] = [
      ['and', (a, b) => a.and(b), R.logicalAnd],
      ['or', (a, b) => a.or(b), R.logicalOr],
      ['xor', (a, b) => a.xor(b), R.logicalXor],
    ];
    const cases = ops.flatMap(([name, op, ref]): Case[] => [
      exact(`c ${name} plain`, (snp, p) => op(bool0(b0)(snp, p), [true, false, true]), ref(b0, b1), 'bool'),
      exact(`c ${name} false`, (snp, p) => op(bool0(b0)(snp, p), false), ref(b0, 0), 'bool'),
      exact(
        `c ${name} c`,
        (snp, p) => op(bool0(N([b0.data]))(snp, p), bool0(N([b1.data]))(snp, p)),
        ref(N([b0.data]), N([b1.data])),
        'bool',
      ),
    ]);
    await runCases(cases);
  });

  it('getitem on 1-d and 2-d inputs; setitem with numbers, arrays and ciphers; IndexError and ValueError', async () => {
    const d18 = ar(18);
    const d92 = R.reshape(ar(18), [9, 2]);
    const idx1: R.Index[][] = [[1], ['1:'], ['-2:'], ['5:10']];
    const idx2: R.Index[][] = [[0], ['5:'], ['-5:'], ['1:9'], ['-5:-1'], [2, 1], [1, ':2'], ['1:', 1], ['1:', '1:2']];
    const cases: Case[] = [
      ...idx1.map((i) => exact(`1d ${i}`, (snp, p) => own0(d18)(snp, p).get(...i), R.get(d18, ...i))),
      ...idx2.map((i) => exact(`2d ${i}`, (snp, p) => own0(d92)(snp, p).get(...i), R.get(d92, ...i))),
      exact(
        'ones[:, 5] + ones[5]',
        (snp) =>
          snp
            .ones([10, 10])
            .get(':', 5)
            .add(snp.ones([10, 10]).get(5)),
        R.full([10], 2),
      ),
      exact(
        '1d set',
        (snp, p) => {
          const c = own0(N([1, 2, 3, 4, 5]))(snp, p);
          c.set([0], 10)
            .set([1], 20)
            .set([2], own0(R.scalar(30))(snp, p));
          return c.set(['3:5'], [40, 50]);
        },
        N([10, 20, 30, 40, 50]),
      ),
      exact(
        '1d slice set',
        (snp, p) => own0(N([1, 2, 3, 4, 5]))(snp, p).set(['1:3'], own0(N([30, 30]))(snp, p)),
        N([1, 30, 30, 4, 5]),
      ),
      exact(
        '2d set',
        (snp, p) => {
          const c = own0(
            N([
              [1, 2, 4, 5, 6],
              [7, 8, 9, 10, 11],
              [2, 3, 4, 5, 6],
            ]),
          )(snp, p);
          c.set([0, 0], 10).set([0, 1], own0(R.scalar(20))(snp, p));
          return c.set(
            ['1:', '2:-1'],
            own0(
              N([
                [12, 13],
                [17, 18],
              ]),
            )(snp, p),
          );
        },
        N([
          [10, 20, 4, 5, 6],
          [7, 8, 12, 13, 11],
          [2, 3, 17, 18, 6],
        ]),
      ),
    ];
    await runCases(cases);
    await runLocal(
      2,
      async (snp: Snp, p: number) => {
        const c = input(snp, p, 0, N([1, 2, 3, 4, 5]), 'float64', true);
        expectCode(() => c.set([5], 10), 'ERR_INDEX');
        expectCode(() => c.set(['1:2'], [2, 3, 4, 5]), 'ERR_SHAPE');
      },
      DEALER,
    );
  });

  it('matmul of ciphers and of a cipher with plain data: 2d@2d, 1d@1d, 1d@2d, 2d@1d, both orders', async () => {
    const m25 = R.reshape(ar(10), [2, 5]);
    const m52 = R.reshape(ar(10), [5, 2]);
    const pairs: [R.Arr, R.Arr][] = [
      [m25, m52],
      [ar(5), ar(5)],
      [ar(5), m52],
      [m25, ar(5)],
      [m52, m25],
    ];
    const cases = pairs.flatMap(([x, y], i): Case[] => [
      exact(`c@c ${i}`, (snp, p) => own0(x)(snp, p).matmul(own0(y)(snp, p)), R.matmul(x, y)),
      exact(`c@p ${i}`, (snp, p) => own0(x)(snp, p).matmul(R.toNested(y)), R.matmul(x, y)),
      exact(`p@c ${i}`, (snp, p) => snp.matmul(R.toNested(x), own0(y)(snp, p)), R.matmul(x, y)),
    ]);
    await runCases(cases);
  });
});
