// The secure sum and product on synthetic data: `npx tsx examples/sum-product.ts [--dealer]`.
// Party 0 brings x, party 1 brings y (one column each); party 0 learns x + y and the exact x · y
// of the inputs rounded to 16 fractional bits.

import { SUM_PRODUCT_COLUMNS, sumProductPlain, sumProductProgram } from '../workers/programs/sum-product.js';
import { sumProductData } from './data.js';
import { modeFromArgs, numbers, runPreset } from './run-preset.js';

const n = 1000;
const { x, y } = sumProductData(n);
const options = modeFromArgs();
const started = performance.now();
const [a] = await runPreset(
  sumProductProgram({ receivers: [0] }),
  SUM_PRODUCT_COLUMNS,
  [x.map((v) => [v]), y.map((v) => [v])],
  options,
);
const seconds = (performance.now() - started) / 1000;
const plain = sumProductPlain(x, y);
const sum = numbers(a!.sum);
const product = numbers(a!.product);
const same = (u: number[], v: number[]) => u.every((s, i) => s === v[i]);

console.log(`Sum and product of ${n} values (${options.preprocessing}, ${seconds.toFixed(2)} s)`);
console.log(`  first values, secure: sum ${sum.slice(0, 3).join(', ')}; product ${product.slice(0, 3).join(', ')}`);
console.log(`  equal to the plaintext reference: sum ${same(sum, plain.sum)}, product ${same(product, plain.product)}`);
