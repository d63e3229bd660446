// The program's `input` (workers/sandbox/input-table.ts): rows of numbers as before, columns by
// the names the job declares, a frozen copy, and ERR_SCHEMA for a name the party does not bring
// or rows that do not fit its declared columns; and the same through runProgram on two pools.

import { describe, expect, it } from 'vitest';
import type { Pool } from '../../../workers/pool/pool.js';
import { type ProgramArgs, type ProgramOutputs, runProgram } from '../../../workers/program.js';
import { inputTable } from '../../../workers/sandbox/input-table.js';
import { poolDuo } from '../../helpers/pools.js';

describe('inputTable', () => {
  const rows = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];

  it('is the rows (indexable, mappable) and reads columns by name', () => {
    const t = inputTable(rows, ['balance', 'wealth']);
    expect(t.length).toBe(3);
    expect(t[1]).toEqual([3, 4]);
    expect(t.map((r) => r[0])).toEqual([1, 3, 5]);
    expect([...t]).toEqual(rows);
    expect(t.rows).toEqual(rows);
    expect(t.cols).toEqual(['balance', 'wealth']);
    expect(t.col('wealth')).toEqual([2, 4, 6]);
    expect(Object.keys(t)).toEqual(['0', '1', '2']); // the names are not rows
  });

  it('is a frozen copy: the program can change neither it nor the caller', () => {
    const source = rows.map((r) => [...r]);
    const t = inputTable(source, ['a', 'b']);
    source[0]![0] = 99;
    expect(t[0]![0]).toBe(1);
    expect(Object.isFrozen(t) && Object.isFrozen(t[0]) && Object.isFrozen(t.rows) && Object.isFrozen(t.cols)).toBe(
      true,
    );
    expect(Object.isFrozen(t.col)).toBe(true);
    expect(() => (t as unknown as number[][]).push([7, 8])).toThrow(TypeError);
    expect(() => {
      (t[0] as number[])[0] = 7;
    }).toThrow(TypeError);
    const column = t.col('a');
    column[0] = 42; // a fresh array each call
    expect(t.col('a')).toEqual([1, 3, 5]);
  });

  it('refuses a column the party does not bring, and rows that do not fit its columns, with ERR_SCHEMA', () => {
    const t = inputTable(rows, ['balance', 'wealth']);
    expect(() => t.col('income')).toThrow(expect.objectContaining({ code: 'ERR_SCHEMA' }));
    expect(() => t.col('income')).toThrow(/no column "income" \(it brings balance, wealth\)/);
    expect(() => inputTable(rows, null).col('balance')).toThrow(/declares no columns/);
    expect(() => inputTable(rows, ['balance'])).toThrow(expect.objectContaining({ code: 'ERR_SCHEMA' }));
    expect(() => inputTable(rows, ['a', 'b', 'c'])).toThrow(/row 1 has 2 values; the job declares 3 columns/);
    expect(inputTable(rows, null).cols).toEqual([]);
  });
});

describe('input by name through runProgram', () => {
  async function duo(text: string, schema: ProgramArgs['schema'], inputs: [number[][], number[][] | null]) {
    const g = poolDuo({ graceMs: 500 });
    const pools = g.pools as [Pool, Pool];
    const r = await Promise.allSettled(
      pools.map((pool, i) =>
        runProgram(pool, { text, schema, input: inputs[i]!, reveal: [0], triples: 'dealer-free' }).finally(() =>
          pool.close(),
        ),
      ),
    );
    g.close();
    return r as [PromiseSettledResult<ProgramOutputs>, PromiseSettledResult<ProgramOutputs>];
  }

  it("hands each party its own columns by name (the other party's schema entry does not apply)", async () => {
    const text = `const w = snp.array(party === 0 ? input.col('wealth') : null, 0);
return { w: w.mul(2).revealTo(0) };`;
    const [r0, r1] = await duo(
      text,
      [['balance', 'wealth'], ['x']],
      [
        [
          [1, 2],
          [3, 4],
        ],
        [[9]],
      ],
    );
    expect(r1.status).toBe('fulfilled');
    if (r0.status !== 'fulfilled') throw r0.reason;
    expect(Array.from(r0.value.w!.data as Float64Array)).toEqual([4, 8]);
  }, 30_000);

  it('fails a program that asks for a column its party does not bring with ERR_SCHEMA', async () => {
    const text = `const w = snp.array(party === 0 ? input.col('income') : null, 0);
return w.revealTo(0);`;
    const [r0] = await duo(text, [['balance', 'wealth'], null], [[[1, 2]], null]);
    expect(r0).toMatchObject({ status: 'rejected', reason: { code: 'ERR_SCHEMA' } });
  }, 30_000);

  it('fails a program that changes its input (the table is frozen) with ERR_PROGRAM', async () => {
    const text = `if (party === 0) input[0][0] = 5;
return snp.array(party === 0 ? input : null, 0).revealTo(0);`;
    const [r0] = await duo(text, undefined, [[[1, 2]], null]);
    expect(r0).toMatchObject({ status: 'rejected', reason: { code: 'ERR_PROGRAM' } });
  }, 30_000);
});

describe('a join key column', () => {
  const rows = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];
  const keyed = (values: string[], normalise: 'trim' | 'trim-casefold' = 'trim') =>
    inputTable(rows, ['customer_id', 'balance', 'wealth'], { column: 'customer_id', values, normalise });

  it('reads the key column as strings (never numbers), normalised as the job says, outside the rows', () => {
    const t = keyed([' 007 ', 'Alice@Example.org', '42']);
    expect(t.key).toBe('customer_id');
    expect(t.cols).toEqual(['balance', 'wealth']);
    expect(t.rows).toEqual(rows);
    expect(t.col('customer_id')).toEqual(['007', 'Alice@Example.org', '42']);
    expect(t.col('wealth')).toEqual([2, 4, 6]);
    expect(keyed([' 007 ', 'Alice@Example.org', 'ÉCOLE']).col('customer_id')).toEqual([
      '007',
      'Alice@Example.org',
      'ÉCOLE',
    ]);
    expect(keyed([' 007 ', 'Alice@Example.org', 'ÉCOLE'], 'trim-casefold').col('customer_id')).toEqual([
      '007',
      'alice@example.org',
      'école',
    ]);
    // A fresh copy each time: the program cannot change what a later read gets.
    const k = t.col('customer_id');
    k[0] = 'x';
    expect(t.col('customer_id')[0]).toBe('007');
    expect(inputTable(rows, ['balance', 'wealth']).key).toBeNull();
  });

  it('refuses a key two rows share after normalisation (ERR_DUPLICATE_KEY) and a missing key (ERR_BAD_INPUT), naming the rows', () => {
    expect(() => keyed(['a', 'b', ' a'])).toThrow(
      expect.objectContaining({ code: 'ERR_DUPLICATE_KEY', message: expect.stringMatching(/^rows 1 and 3 /) }),
    );
    expect(keyed(['a', 'b', 'A']).col('customer_id')).toEqual(['a', 'b', 'A']); // trim keeps case
    expect(() => keyed(['a', 'b', 'A'], 'trim-casefold')).toThrow(
      expect.objectContaining({ code: 'ERR_DUPLICATE_KEY' }),
    );
    expect(() => keyed(['a', '  ', 'c'])).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_INPUT', message: expect.stringMatching(/^row 2:/) }),
    );
    expect(() => keyed(['a', 'b'])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
    expect(() => keyed(['a', 'b', 3 as unknown as string])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
    expect(() =>
      inputTable(rows, ['balance', 'wealth'], { column: 'customer_id', values: ['a', 'b', 'c'], normalise: 'trim' }),
    ).toThrow(expect.objectContaining({ code: 'ERR_SCHEMA' }));
  });

  it('a duplicate key at one party fails the run at both: ERR_DUPLICATE_KEY there, the code reaches the peer (no hang)', async () => {
    const text = `const k = snp.array(party === 1 ? [input.col('customer_id').length] : null, 1);
return { n: k.revealTo(0) };`;
    const g = poolDuo({ graceMs: 500 });
    const pools = g.pools as [Pool, Pool];
    const schema = [null, ['customer_id', 'wealth']];
    const runs = [
      runProgram(pools[0], { text, schema, input: null, reveal: [0], triples: 'dealer-free' }),
      runProgram(pools[1], {
        text,
        schema,
        input: [[1], [2]],
        keys: { column: 'customer_id', values: ['C1', 'C1 '], normalise: 'trim' },
        reveal: [0],
        triples: 'dealer-free',
      }),
    ];
    const [r0, r1] = await Promise.allSettled(runs.map((r, i) => r.finally(() => pools[i]!.close())));
    g.close();
    expect(r1).toMatchObject({ status: 'rejected', reason: { code: 'ERR_DUPLICATE_KEY' } });
    expect(r0).toMatchObject({
      status: 'rejected',
      reason: { code: 'ERR_PEER_ABORTED', message: expect.stringContaining('ERR_DUPLICATE_KEY') },
    });
  }, 30_000);
});
