// Comparisons and math in the wide ring with dealer-free preprocessing (ring: 128, the default
// mode): the dealer-mode conformance files cover every function in both rings; this is the
// dealer-free sample (lt, maximum, sort, astype, argmax, bool logic on money-sized values; division
// by a secret, exp, sqrt, log) and the check that what party 1 receives during a wide lt depends
// only on shapes, never on the inputs.

import { expect, it } from 'vitest';
import type { NDArray } from '../../../shared/ndarray.js';
import { runLocal } from '../../../workers/securenumpy/index.js';
import { receivedByParty1 } from '../../helpers/transcript.js';
import { mine } from './conformance/harness.js';

it('compares, selects, sorts and converts money-sized values dealer-free in the wide ring', async () => {
  const X = [5_000_000, -1.4e14, 3, 0, 7.5];
  const Y = [4_999_999.5, 1.4e14, 3, 0.5, -7];
  const [r0] = (await runLocal(
    2,
    async (snp, p) => {
      const x = snp.array(mine(p, 0, X), 0, 'float64', { shape: [5] });
      const y = snp.array(mine(p, 1, Y), 1, 'float64', { shape: [5] });
      const outs = [x.lt(y), snp.maximum(x, y), snp.sort(x), x.astype('int64'), x.argmax(), x.lt(y).and(x.ne(3))];
      return Promise.all(outs.map((o) => o.revealTo(0)));
    },
    { preprocessing: 'dealer-free', ring: 128 },
  )) as (NDArray | null)[][];
  const v = r0!.map((nd) => Array.from(nd!.data as ArrayLike<number | bigint>, Number));
  expect(v[0]).toEqual([0, 1, 0, 1, 0]);
  expect(v[1]).toEqual([5_000_000, 1.4e14, 3, 0.5, 7.5]);
  expect(v[2]).toEqual([...X].sort((a, b) => a - b));
  expect(v[3]).toEqual([5_000_000, -1.4e14, 3, 0, 7]);
  expect(v[4]).toEqual([0]);
  expect(v[5]).toEqual([0, 1, 0, 1, 0]);
});

it('a wide lt sends party 1 the same keys and sizes whatever the inputs (dealer-free)', async () => {
  const n = 40;
  const t = (xs: number[]) =>
    receivedByParty1(
      async (snp, p) => {
        await snp.preprocess({ andWords: 27 * n });
        const x = snp.array(p === 0 ? xs : null, 0, { shape: [n] });
        const y = snp.array(p === 1 ? xs.map((v) => -v) : null, 1, { shape: [n] });
        await x.lt(y).share;
      },
      'dealer-free',
      128,
    );
  const a = await t(Array(n).fill(0));
  const b = await t(Array.from({ length: n }, (_, i) => (i % 2 ? 1e13 : -1e13 + i)));
  expect(b.seen).toEqual(a.seen);
  expect(b.other).toEqual(a.other);
}, 60_000);

it('divides by a secret and takes exp, sqrt and log of wide values dealer-free', async () => {
  const X = [12_345_678.5, -2.5e12, 0.75];
  const D = [3.25, 1.5e6, -0.5];
  const E = [30, -3, 0.5];
  const [r0] = (await runLocal(
    2,
    async (snp, p) => {
      const x = snp.array(mine(p, 0, X), 0, 'float64', { shape: [3] });
      const d = snp.array(mine(p, 1, D), 1, 'float64', { shape: [3] });
      const e = snp.array(mine(p, 1, E), 1, 'float64', { shape: [3] });
      const outs = [x.div(d), snp.exp(e), snp.sqrt(snp.abs(x)), snp.log(snp.abs(x))];
      return Promise.all(outs.map((o) => o.revealTo(0)));
    },
    { preprocessing: 'dealer-free', ring: 128 },
  )) as (NDArray | null)[][];
  const [q, ex, sq, lg] = r0!.map((nd) => Array.from(nd!.data as Float64Array));
  const rel = (got: number[], want: number[], tol: number) =>
    got.forEach((g, i) =>
      expect(Math.abs(g - want[i]!), `${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!))),
    );
  rel(
    q!,
    X.map((x, i) => x / D[i]!),
    1e-4,
  );
  rel(ex!, E.map(Math.exp), 1e-4);
  rel(
    sq!,
    X.map((x) => Math.sqrt(Math.abs(x))),
    1e-4,
  );
  rel(
    lg!,
    X.map((x) => Math.log(Math.abs(x))),
    1e-4,
  );
});
