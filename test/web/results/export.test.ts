// The result's records and exports (web/src/results/result.ts, export.ts, result-store.ts,
// propose-again.svelte.ts): from the engine's outputs to JSON, CSV, the stored record checked on
// read, and the proposal a result repeats.

import '../../helpers/runes.js';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/protocol.js';
import { exportName, RESULT_FORMAT, resultCsv, resultJson } from '../../../web/src/results/export.js';
import { draftOf } from '../../../web/src/results/propose-again.svelte.js';
import { resultOf, tableOf } from '../../../web/src/results/result.js';
import { readResult } from '../../../web/src/results/result-store.js';

const job = {
  id: '12345678-aaaa-bbbb-cccc-000000000000',
  kind: 'securenumpy',
  program: { text: 'return { theta, count, flags, note };', hash: 'ab'.repeat(32) },
  members: ['alice', 'bob', 'dana'],
  reveal: [
    { output: 'theta', to: ['alice'] },
    { output: 'count', to: ['alice'] },
    { output: 'flags', to: ['alice'] },
    { output: 'note', to: ['bob'] },
  ],
  ring: 128,
  triples: 'participant-dealer',
  dealer: 'dana',
} as unknown as Job;

const result = resultOf(
  job,
  {
    theta: { shape: [3, 1], dtype: 'float64', data: new Float64Array([0.5, -1.25, 2]) },
    count: { shape: [], dtype: 'int64', data: new BigInt64Array([7n]) },
    flags: { shape: [2, 2], dtype: 'bool', data: new Uint8Array([1, 0, 0, 1]) },
    note: null,
  },
  Date.UTC(2026, 11, 7, 23, 0, 0),
);

describe('the result record', () => {
  it('keeps the job’s program hash and settings and each output as plain values', () => {
    expect(result.program.hash).toBe('ab'.repeat(32));
    expect(result.outputs.count).toEqual({ shape: [], dtype: 'int64', values: [7] });
    expect(result.outputs.flags!.values).toEqual([true, false, false, true]);
    expect(result.outputs.note).toBeNull();
    expect(result).not.toHaveProperty('schema');
    const withSchema = resultOf({ ...job, schema: { bob: ['y'], alice: ['x1', 'x2'] } }, {}, 0);
    // In the job's member order, whatever order the schema's keys came in.
    expect(withSchema.schema).toEqual([
      { member: 'alice', columns: ['x1', 'x2'] },
      { member: 'bob', columns: ['y'] },
    ]);
  });

  it('tables an output with the first axis as rows', () => {
    expect(tableOf('flags', result.outputs.flags!)).toEqual({
      columns: ['flags[:,0]', 'flags[:,1]'],
      rows: [
        [true, false],
        [false, true],
      ],
    });
    expect(tableOf('count', result.outputs.count!)).toEqual({ columns: ['count'], rows: [[7]] });
  });
});

describe('exports', () => {
  it('JSON: the whole record with a format tag and an ISO time, and reads back as the same values', () => {
    const parsed = JSON.parse(resultJson(result));
    expect(parsed.format).toBe(RESULT_FORMAT);
    expect(parsed.savedAt).toBe('2026-12-07T23:00:00.000Z');
    expect(parsed.jobId).toBe(job.id);
    expect(parsed.program.hash).toBe('ab'.repeat(32));
    expect(parsed.ring).toBe(128);
    expect(parsed.outputs.theta).toEqual({ shape: [3, 1], dtype: 'float64', values: [0.5, -1.25, 2] });
    expect(parsed.outputs.note).toBeNull();
  });

  it('CSV: one line per element with row and flattened column; outputs revealed elsewhere left out', () => {
    expect(resultCsv(result)).toBe(
      [
        'output,row,column,value',
        'theta,0,0,0.5',
        'theta,1,0,-1.25',
        'theta,2,0,2',
        'count,0,0,7',
        'flags,0,0,true',
        'flags,0,1,false',
        'flags,1,0,false',
        'flags,1,1,true',
        '',
      ].join('\n'),
    );
    expect(exportName(result, 'json')).toBe('parley-result-12345678.json');
  });
});

describe('the stored record', () => {
  it('reads back a kept result (through structured clone) and ignores damaged ones', () => {
    expect(readResult(structuredClone(result))).toEqual(result);
    expect(readResult(null)).toBeNull();
    expect(readResult({ ...result, ring: 32 })).toBeNull();
    expect(readResult({ ...result, rows: 200 })).toEqual({ ...result, rows: 200 });
    expect(readResult({ ...result, rows: '200' })).toBeNull();
    expect(readResult({ ...result, rows: -1 })).toBeNull();
    expect(readResult({ ...result, program: { text: 'x' } })).toBeNull();
    const short = { ...result, outputs: { theta: { shape: [3, 1], dtype: 'float64', values: [1] } } };
    expect(readResult(short)).toBeNull();
  });
});

describe('propose again', () => {
  it('repeats the program, members, outputs, receivers, number range and dealer', () => {
    expect(draftOf(result)).toEqual({
      program: job.program!.text,
      members: ['alice', 'bob', 'dana'],
      outputs: ['theta', 'count', 'flags', 'note'],
      receivers: ['alice', 'bob'],
      ring: 128,
      dealer: 'dana',
    });
  });
});
