// How the app maps a job to its engine run: the participant dealer's pool index, who deals,
// which parties the engine may reveal to, the job's ring, and the sum-and-product card's stage line.

import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/protocol.js';
import {
  isDealerOf,
  keyColumnOf,
  programCompute,
  programTriples,
  revealParties,
  sumProductStage,
} from '../../../web/src/jobs/program-job.js';
import type { ProgramArgs } from '../../../workers/program.js';

function job(extra: Partial<Job> = {}): Job {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    kind: 'securenumpy',
    program: { text: 'return null;', hash: '' },
    members: ['alice', 'bob'],
    roles: {},
    accepted: ['alice'],
    reveal: [{ output: 'theta', to: ['alice'] }],
    triples: 'dealer-free',
    dealer: null,
    ring: 64,
    schema: null,
    join: null,
    estimate: null,
    purchase: null,
    deadline: 0,
    state: 'ready',
    error: null,
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
}
const dealt = job({ members: ['alice', 'bob', 'dan'], triples: 'participant-dealer', dealer: 'dan' });

describe('program jobs in the app', () => {
  it('runs dealer-free jobs dealer-free, and dealer jobs with the dealer at its pool index (last)', () => {
    expect(programTriples(job())).toBe('dealer-free');
    expect(programTriples(dealt)).toEqual({ dealer: 2 });
  });

  it('refuses a participant-dealer job whose dealer is not a member', () => {
    expect(() => programTriples({ ...dealt, dealer: null })).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_REQUEST' }),
    );
    expect(() => programTriples({ ...dealt, dealer: 'eve' })).toThrow(
      expect.objectContaining({ code: 'ERR_BAD_REQUEST' }),
    );
  });

  it('tells the dealer apart from the parties', () => {
    expect(isDealerOf(dealt, 'dan')).toBe(true);
    expect(isDealerOf(dealt, 'alice')).toBe(false);
    expect(isDealerOf(job(), 'alice')).toBe(false);
  });

  it("hands the job's ring (number range) to the engine run, with its text, reveal parties and triples", async () => {
    for (const ring of [64, 128] as const) {
      let got: Omit<ProgramArgs, 'onProgress'> | null = null;
      const mesh = {
        engine: {
          runProgram: async (args: Omit<ProgramArgs, 'onProgress'>) => {
            got = args;
            return { ok: true, value: {} };
          },
        },
      };
      await programCompute({ ...dealt, ring }, [[1]], () => {})(mesh as never);
      expect(got).toMatchObject({ ring, text: 'return null;', reveal: [0], triples: { dealer: 2 }, input: [[1]] });
      expect(got!.schema).toEqual([null, null, null]); // no named columns
    }
    // The job's schema by member becomes the engine's by party index (the dealer brings none).
    let got: Omit<ProgramArgs, 'onProgress'> | null = null;
    const mesh = { engine: { runProgram: async (args: typeof got) => ((got = args), { ok: true, value: {} }) } };
    await programCompute({ ...dealt, schema: { bob: ['y'], alice: ['x1', 'x2'] } }, [[1, 2]], () => {})(mesh as never);
    expect(got!.schema).toEqual([['x1', 'x2'], ['y'], null]);
  });

  it("hands a keyed table's number rows as the input and its key column (raw cells, the job's normalisation) as keys", async () => {
    const joined = job({
      schema: { alice: ['customer_id', 'x'], bob: ['y', 'cid'] },
      join: { keys: { alice: 'customer_id', bob: 'cid' }, normalise: 'trim-casefold' },
    });
    expect(keyColumnOf(joined, 'bob')).toEqual({ name: 'cid', normalise: 'trim-casefold' });
    expect(keyColumnOf(joined, 'carol')).toBeNull();
    expect(keyColumnOf(job(), 'alice')).toBeNull();
    let got: Omit<ProgramArgs, 'onProgress'> | null = null;
    const mesh = { engine: { runProgram: async (args: typeof got) => ((got = args), { ok: true, value: {} }) } };
    const key = keyColumnOf(joined, 'bob')!;
    await programCompute(joined, { table: { keys: [' A ', 'b'], rows: [[1], [2]] }, key }, () => {})(mesh as never);
    expect(got).toMatchObject({
      input: [[1], [2]],
      keys: { column: 'cid', values: [' A ', 'b'], normalise: 'trim-casefold' },
    });
    await programCompute(joined, [[3]], () => {})(mesh as never);
    expect(got).toMatchObject({ input: [[3]], keys: null });
  });

  it('never lets the engine reveal to the dealer: only members the reveal list names', () => {
    expect(revealParties(dealt)).toEqual([0]);
    expect(revealParties({ ...dealt, reveal: [{ output: 'theta', to: ['bob', 'alice'] }] })).toEqual([0, 1]);
  });
});

describe('the sum-and-product stage line', () => {
  it('waits for the peer, shows the fraction of triples made, then computes, then is done', () => {
    expect(sumProductStage({ stage: 'running', done: 0, total: 0 })).toEqual({
      stage: 'waiting-for-peer',
      progress: null,
    });
    expect(sumProductStage({ stage: 'preprocessing', done: 4096, total: 16384 })).toEqual({
      stage: 'triples',
      progress: 0.25,
    });
    expect(sumProductStage({ stage: 'preprocessing', done: 16384, total: 16384 })).toEqual({
      stage: 'computing',
      progress: null,
    });
    expect(sumProductStage({ stage: 'done', done: 1, total: 1 })).toEqual({ stage: 'done', progress: null });
  });
});
