// High-net-worth customers (the SecureNumpy seed's first scenario) on synthetic data:
// `npx tsx examples/hnwc.ts [--dealer]`. Company A (party 0) brings [purchase frequency,
// purchase amount], Company B (party 1) [account balance, wealth-management amount], amounts as
// they are (the wide ring); Company B learns the count and the average wealth-management amount.

import { HNWC_COLUMNS, HNWC_RING, hnwcPlain, hnwcProgram } from '../workers/programs/hnwc.js';
import { hnwcData } from './data.js';
import { modeFromArgs, numbers, runPreset } from './run-preset.js';

const n = 100;
const { data0, data1 } = hnwcData(n);
const options = { ...modeFromArgs(), ring: HNWC_RING } as const;
const started = performance.now();
const [a, b] = await runPreset(hnwcProgram({ receivers: [1] }), HNWC_COLUMNS, [data0, data1], options);
const seconds = (performance.now() - started) / 1000;
const plain = hnwcPlain(data0, data1);

console.log(
  `HNWC over ${n} customers (${options.preprocessing}, ${seconds.toFixed(2)} s, ring ${HNWC_RING}); amounts as they are`,
);
console.log(
  `  secure (revealed to Company B): count ${numbers(b!.count)[0]}, average ${numbers(b!.average)[0]!.toFixed(2)}`,
);
console.log(`  plaintext reference:            count ${plain.count}, average ${plain.average.toFixed(2)}`);
console.log(`  Company A received: ${JSON.stringify(a)}`);
