// The presets run unchanged in the sandbox: each preset's text, through runProgram in a
// locked-down process (as the program worker runs it), gives its plaintext reference's result.
// This is also the check that lockdown() leaves the engine working (the dealer-free OT
// machinery, typed arrays, noble's hashes, the message layer).

import { describe, expect, it } from 'vitest';
import { hnwcData, logisticData, regressionData, sumProductData } from '../../../examples/data.js';
import { HNWC_COLUMNS, HNWC_RING, hnwcPlain, hnwcProgram } from '../../../workers/programs/hnwc.js';
import {
  LINEAR_REGRESSION_COLUMNS,
  linearRegressionPlain,
  linearRegressionProgram,
} from '../../../workers/programs/linear-regression.js';
import {
  LOGISTIC_REGRESSION_COLUMNS,
  logisticRegressionPlain,
  logisticRegressionProgram,
} from '../../../workers/programs/logistic-regression.js';
import { SUM_PRODUCT_COLUMNS, sumProductPlain, sumProductProgram } from '../../../workers/programs/sum-product.js';
import { lockedRun } from '../../helpers/locked.js';

describe('the presets in a locked-down realm', () => {
  it('linear and logistic regression, HNWC and sum-and-product give their references', async () => {
    const lin = regressionData(16);
    const log = logisticData(12);
    const hn = hnwcData(20);
    const sp = sumProductData(10);
    const col = (v: number[]) => v.map((x) => [x]);
    const [r1, r2, r3, r4] = await lockedRun([
      {
        text: linearRegressionProgram({ receivers: [1] }),
        schema: LINEAR_REGRESSION_COLUMNS,
        inputs: [lin.X, col(lin.y)],
        reveal: [1],
        victim: 1,
      },
      {
        text: logisticRegressionProgram({ receivers: [1] }),
        schema: LOGISTIC_REGRESSION_COLUMNS,
        inputs: [log.X, col(log.y)],
        reveal: [1],
        victim: 1,
      },
      {
        text: hnwcProgram({ receivers: [1] }),
        schema: HNWC_COLUMNS,
        inputs: [hn.data0, hn.data1],
        reveal: [1],
        victim: 1,
        ring: HNWC_RING,
      },
      {
        text: sumProductProgram({ receivers: [1] }),
        schema: SUM_PRODUCT_COLUMNS,
        inputs: [col(sp.x), col(sp.y)],
        reveal: [1],
        victim: 1,
      },
    ]);
    for (const r of [r1, r2, r3, r4]) expect(r).toMatchObject({ codes: ['ok', 'ok'], locked: true });

    const linPlain = linearRegressionPlain(lin.X, lin.y);
    r1!.outputs!.theta!.data.forEach((t, i) => expect(t).toBeCloseTo(linPlain[i]!, 2));
    const logPlain = logisticRegressionPlain(log.X, log.y);
    r2!.outputs!.theta!.data.forEach((t, i) => expect(Math.abs(t - logPlain[i]!)).toBeLessThan(1e-2));
    const hnPlain = hnwcPlain(hn.data0, hn.data1);
    expect(r3!.outputs!.count!.data).toEqual([hnPlain.count]);
    expect(Math.abs(r3!.outputs!.average!.data[0]! - hnPlain.average)).toBeLessThan(
      1e-3 * Math.max(1, hnPlain.average),
    );
    expect(r4!.outputs).toEqual({
      sum: { shape: [10], data: sumProductPlain(sp.x, sp.y).sum },
      product: { shape: [10], data: sumProductPlain(sp.x, sp.y).product },
    });
  }, 300_000);
});
