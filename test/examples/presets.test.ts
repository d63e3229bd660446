// The preset programs (workers/programs/) run through runLocal the way examples/ runs them, in
// dealer mode on small synthetic data (examples/data.ts), against their plaintext references:
// HNWC on natural units in the wide ring (exact count, average to the cent; refused in the
// standard ring at the owner) and logistic regression (theta within 1e-2,
// the same training accuracy). Linear regression is checked in test/program.test.ts; here only
// that its example path (the package import and runPreset) gives the same theta. The sum and
// product runs in both modes and must equal its reference exactly (its edge cases and refusals
// over real pools are in test/sum-product.test.ts).

import { describe, expect, it } from 'vitest';
import { hnwcData, logisticData, regressionData, sumProductData } from '../../examples/data.js';
import { numbers, runPreset } from '../../examples/run-preset.js';
import { HNWC_COLUMNS, HNWC_RING, hnwcPlain, hnwcProgram } from '../../workers/programs/hnwc.js';
import {
  LINEAR_REGRESSION_COLUMNS,
  linearRegressionPlain,
  linearRegressionProgram,
} from '../../workers/programs/linear-regression.js';
import {
  LOGISTIC_REGRESSION_COLUMNS,
  LOGISTIC_REGRESSION_DEFAULTS,
  logisticAccuracy,
  logisticRegressionPlain,
  logisticRegressionProgram,
} from '../../workers/programs/logistic-regression.js';
import { SUM_PRODUCT_COLUMNS, sumProductPlain, sumProductProgram } from '../../workers/programs/sum-product.js';

const dealer = { preprocessing: 'dealer' } as const;
/** HNWC runs on natural units (balances of 5,000,000 and more): the wide ring. */
const wide = { ...dealer, ring: HNWC_RING } as const;

describe('preset programs against plaintext (runLocal, dealer mode)', () => {
  it('HNWC on natural units (wide ring): Company B learns the exact count and the average; Company A nothing', async () => {
    const { data0, data1 } = hnwcData(60);
    expect(Math.max(...data1.map((r) => r[0]!))).toBeGreaterThan(5_000_000); // balances as the seed states them
    const plain = hnwcPlain(data0, data1);
    expect(plain.count).toBeGreaterThan(2); // the data has some HNWC and some not
    expect(plain.count).toBeLessThan(30);
    const [a, b] = await runPreset(hnwcProgram({ receivers: [1] }), HNWC_COLUMNS, [data0, data1], wide);
    expect(a).toEqual({ count: null, average: null });
    expect(b!.count).toMatchObject({ shape: [], dtype: 'int64' });
    expect(numbers(b!.count)).toEqual([plain.count]);
    // In the data's currency, to the cent: each wealth amount is rounded to 2^-16 when shared.
    expect(numbers(b!.average)[0]!).toBeCloseTo(plain.average, 2);
  }, 60_000);

  it('HNWC on natural units is refused in the standard ring at the owner, naming the value and the wide ring', async () => {
    const { data0, data1 } = hnwcData(4);
    await expect(
      runPreset(hnwcProgram({ receivers: [1] }), HNWC_COLUMNS, [data0, data1], dealer),
    ).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      message: expect.stringContaining('ring: 128'),
    });
  }, 60_000);

  it('HNWC: thresholds are strict (> not ≥), and no HNWC gives count 0 and average 0', async () => {
    // Row 0 sits exactly on every threshold (not HNWC); row 1 is just above, by a cent (HNWC); row 2
    // fails on balance only, by a cent.
    const data0 = [
      [2, 5_000],
      [3, 5_000.01],
      [6, 20_000],
    ];
    const data1 = [
      [5_000_000, 100_000],
      [5_000_000.01, 250_000.25],
      [4_999_999.99, 3_000_000],
    ];
    const [, b] = await runPreset(hnwcProgram({ receivers: [1] }), HNWC_COLUMNS, [data0, data1], wide);
    expect(numbers(b!.count)).toEqual([1]);
    expect(numbers(b!.average)[0]).toBeCloseTo(250_000.25, 3);
    const none = await runPreset(hnwcProgram({ receivers: [0, 1] }), HNWC_COLUMNS, [[[1, 1]], [[1, 1]]], wide);
    for (const out of none) {
      expect(numbers(out.count)).toEqual([0]);
      expect(numbers(out.average)[0]).toBe(0);
    }
  }, 60_000);

  it('HNWC: mismatched row counts fail with ERR_SHAPE', async () => {
    await expect(
      runPreset(
        hnwcProgram({ receivers: [1] }),
        HNWC_COLUMNS,
        [
          [
            [3, 6],
            [3, 6],
          ],
          [[6_000_000, 1]],
        ],
        wide,
      ),
    ).rejects.toMatchObject({ code: 'ERR_SHAPE' });
  });

  it('logistic regression: theta within 1e-2 of plain gradient descent, the same training accuracy', async () => {
    const { X, y } = logisticData(40);
    const { epochs, learningRate } = LOGISTIC_REGRESSION_DEFAULTS;
    const plain = logisticRegressionPlain(X, y, epochs, learningRate);
    const [a, b] = await runPreset(
      logisticRegressionProgram({ receivers: [0] }),
      LOGISTIC_REGRESSION_COLUMNS,
      [X, y.map((v) => [v])],
      dealer,
    );
    expect(b).toEqual({ theta: null });
    expect(a!.theta!.shape).toEqual([3, 1]);
    const theta = numbers(a!.theta);
    theta.forEach((t, i) => expect(Math.abs(t - plain[i]!)).toBeLessThan(1e-2));
    expect(logisticAccuracy(theta, X, y)).toBe(logisticAccuracy(plain, X, y));
    expect(logisticAccuracy(plain, X, y)).toBeGreaterThan(0.9);
  }, 60_000);

  it('logistic regression: the constants are in the text, and labels other than 0/1 fail with ERR_BAD_INPUT', async () => {
    const text = logisticRegressionProgram({ receivers: [0], epochs: 3, learningRate: 0.5 });
    expect(text).toContain('const epochs = 3;');
    expect(text).toContain('const lr = 0.5;');
    await expect(
      runPreset(
        text,
        LOGISTIC_REGRESSION_COLUMNS,
        [
          [
            [1, 2],
            [3, 4],
          ],
          [[0], [2]],
        ],
        dealer,
      ),
    ).rejects.toMatchObject({ code: 'ERR_BAD_INPUT' });
  });

  it('linear regression through the examples path matches plain gradient descent', async () => {
    const { X, y } = regressionData(24);
    const expected = linearRegressionPlain(X, y, 30, 0.1);
    const [a] = await runPreset(
      linearRegressionProgram({ receivers: [0] }),
      LINEAR_REGRESSION_COLUMNS,
      [X, y.map((v) => [v])],
      dealer,
    );
    numbers(a!.theta).forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThan(1e-2));
  }, 60_000);
});

describe('the sum-and-product preset against its plaintext reference (runLocal)', () => {
  const { x, y } = sumProductData(200);
  const plain = sumProductPlain(x, y);
  const column = (v: number[]) => v.map((e) => [e]);

  for (const mode of ['dealer-free', 'dealer'] as const) {
    it(`${mode}: party 0 learns exactly the reference sum and product; party 1 nothing`, async () => {
      const [a, b] = await runPreset(
        sumProductProgram({ receivers: [0] }),
        SUM_PRODUCT_COLUMNS,
        [column(x), column(y)],
        {
          preprocessing: mode,
        },
      );
      expect(b).toEqual({ sum: null, product: null });
      expect(a!.sum).toMatchObject({ shape: [200], dtype: 'float64' });
      expect(numbers(a!.sum)).toEqual(plain.sum);
      expect(numbers(a!.product)).toEqual(plain.product);
      expect(plain.product.some((p) => Math.abs(p) > 1e9)).toBe(true); // far beyond float64 inputs' product range
    }, 60_000);
  }
});
