// Runs a preset program text the way a job runs it (the body of `async (snp, party, input) => …`,
// workers/program.ts), but with both parties in this process over runLocal's in-memory network.

import { type RunLocalOptions, runLocal } from 'parley/securenumpy';
import { collectOutputs, compileProgram, type PlainArray, type ProgramOutputs } from '../workers/program.js';
import { type InputKeys, inputTable } from '../workers/sandbox/input-table.js';

/**
 * Each party's outputs by name (null where an output went to the other party). `columns` names each
 * party's columns (the preset's *_COLUMNS, the job's schema), which the program reads by name;
 * `keys`, where the job joins on a key, each party's key column (kept out of its rows).
 */
export async function runPreset(
  text: string,
  columns: readonly (readonly string[])[],
  inputs: [number[][] | null, number[][] | null],
  options: RunLocalOptions = {},
  keys: [InputKeys | null, InputKeys | null] = [null, null],
): Promise<ProgramOutputs[]> {
  const program = compileProgram(text);
  const table = (party: number) => {
    const rows = inputs[party];
    return rows ? inputTable(rows, columns[party] ?? null, keys[party]) : null;
  };
  return runLocal(2, async (snp, party) => collectOutputs(await program(snp, party, table(party))), options);
}

/** An output's values as plain numbers (int64 and bool included). */
export function numbers(out: PlainArray | null | undefined): number[] {
  if (!out) throw new Error('this party did not receive the output');
  return Array.from(out.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** `--dealer` on the command line: triples from an in-process dealer (faster) instead of dealer-free. */
export function modeFromArgs(): RunLocalOptions {
  return process.argv.includes('--dealer') ? { preprocessing: 'dealer' } : { preprocessing: 'dealer-free' };
}
