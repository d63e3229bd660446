// Linear regression by gradient descent on synthetic data: `npx tsx examples/linear-regression.ts
// [--dealer]`. Party 0 brings X (n × 2), party 1 brings y; party 0 learns theta.

import {
  LINEAR_REGRESSION_COLUMNS,
  linearRegressionPlain,
  linearRegressionProgram,
} from '../workers/programs/linear-regression.js';
import { regressionData } from './data.js';
import { modeFromArgs, numbers, runPreset } from './run-preset.js';

const n = 100;
const { X, y } = regressionData(n);
const options = modeFromArgs();
const started = performance.now();
const [a] = await runPreset(
  linearRegressionProgram({ receivers: [0] }),
  LINEAR_REGRESSION_COLUMNS,
  [X, y.map((v) => [v])],
  options,
);
const seconds = (performance.now() - started) / 1000;
const plain = linearRegressionPlain(X, y);

const fmt = (t: number[]) => t.map((v) => v.toFixed(5)).join(', ');
console.log(`Linear regression, ${n} rows × 2 features, 30 steps (${options.preprocessing}, ${seconds.toFixed(2)} s)`);
console.log(`  secure theta (intercept first): [${fmt(numbers(a!.theta))}]`);
console.log(`  plaintext theta:                [${fmt(plain)}]`);
