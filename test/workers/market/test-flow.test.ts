// The free test flow: the buyer's computation on synthetic test data under the published test
// key, with the same homomorphic evaluation as on purchased data; real ciphertexts are refused
// and the test key says nothing about them.

import { describe, expect, it } from 'vitest';
import { computeTest } from '../../../workers/market/buyer.js';
import type { ComputationSpec } from '../../../workers/market/computations.js';
import { decrypt, generateKeys } from '../../../workers/market/paillier/index.js';
import { evaluatePlain } from '../../../workers/market/plain.js';
import { encryptColumns, makeTestData, openTable } from '../../../workers/market/seller.js';
import { type Column, syntheticValues } from '../../../workers/market/table.js';

const columns: Column[] = [
  { name: 'age', type: 'int', decimals: 0, min: 18, max: 90 },
  { name: 'income', type: 'decimal', decimals: 2, min: -100, max: 5000 },
];

describe('test data', () => {
  it('answers every computation on test data as plaintext does, and refuses real ciphertexts', async () => {
    const test = await makeTestData(columns, 50, 11, 1024);
    const table = openTable(test.key.publicKey, test.blob);
    const values = table.data.map((col) => col.map((c) => decrypt(test.key, c)));
    const specs: ComputationSpec[] = [
      { kind: 'count' },
      { kind: 'sum', column: 'income' },
      {
        kind: 'weighted-sum',
        column: 'income',
        weights: Array.from({ length: 50 }, (_, i) => (i % 3) - 1.5),
        weightDecimals: 1,
      },
      { kind: 'linear-score', coefficients: { age: 2, income: 0.5 }, intercept: -1, weightDecimals: 1 },
      { kind: 'threshold-count', column: 'age', op: 'lt', threshold: 40 },
      { kind: 'max', column: 'income' },
      {
        kind: 'threshold-count',
        score: { coefficients: { age: 1, income: 0.01 }, intercept: -20, weightDecimals: 2 },
        op: 'le',
        threshold: 40,
      },
    ];
    for (const spec of specs) {
      const got = computeTest(test.key, spec, table);
      const want = evaluatePlain(spec, columns, values, 50);
      got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 6));
    }

    const real = await generateKeys(1024);
    const realValues = syntheticValues(columns, 50, 12);
    const realBlob = encryptColumns(real, columns, realValues);
    const realTable = openTable(real.publicKey, realBlob);
    expect(() => computeTest(test.key, { kind: 'sum', column: 'age' }, realTable)).toThrow(
      expect.objectContaining({ code: 'ERR_WRONG_KEY' }),
    );
    expect(() => openTable(test.key.publicKey, realBlob)).toThrow(expect.objectContaining({ code: 'ERR_WRONG_KEY' }));
    // Even forced past the key check, the test key turns a real ciphertext into an unrelated number.
    const forced = decrypt(test.key, realTable.data[0]![0]! % test.key.publicKey.n2);
    expect(forced).not.toBe(realValues[0]![0]);
    expect(forced > 1n << 200n || forced < -(1n << 200n)).toBe(true);
  }, 30_000);
});
