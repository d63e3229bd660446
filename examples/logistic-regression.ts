// Logistic regression by full-batch gradient descent on synthetic data:
// `npx tsx examples/logistic-regression.ts [--dealer]`. Party 0 brings X (n × 2), party 1 the
// 0/1 labels y; party 0 learns theta.

import {
  LOGISTIC_REGRESSION_COLUMNS,
  LOGISTIC_REGRESSION_DEFAULTS,
  logisticAccuracy,
  logisticRegressionPlain,
  logisticRegressionProgram,
} from '../workers/programs/logistic-regression.js';
import { logisticData } from './data.js';
import { modeFromArgs, numbers, runPreset } from './run-preset.js';

const n = 100;
const { X, y } = logisticData(n);
const { epochs, learningRate } = LOGISTIC_REGRESSION_DEFAULTS;
const options = modeFromArgs();
const started = performance.now();
const [a] = await runPreset(
  logisticRegressionProgram({ receivers: [0] }),
  LOGISTIC_REGRESSION_COLUMNS,
  [X, y.map((v) => [v])],
  options,
);
const seconds = (performance.now() - started) / 1000;
const theta = numbers(a!.theta);
const plain = logisticRegressionPlain(X, y, epochs, learningRate);

const fmt = (t: number[]) => t.map((v) => v.toFixed(5)).join(', ');
console.log(
  `Logistic regression, ${n} rows × 2 features, ${epochs} epochs, lr ${learningRate} (${options.preprocessing}, ${seconds.toFixed(2)} s)`,
);
console.log(`  secure theta (intercept first): [${fmt(theta)}], training accuracy ${logisticAccuracy(theta, X, y)}`);
console.log(`  plaintext theta:                [${fmt(plain)}], training accuracy ${logisticAccuracy(plain, X, y)}`);
