// Starts a program worker (workers/jobs/program.worker.ts: locked down, the program in a
// Compartment, its CSP connecting nowhere) for one dry run and ends it when the report is in: the
// page never holds the engine, and no worker outlives its dry run.

import * as Comlink from 'comlink';
import type { DryRunArgs, DryRunReport } from '../../../workers/dry-run.js';
import type { ProgramJobApi } from '../../../workers/jobs/program-api.js';
import { unwrap } from '../../../workers/outcome.js';

/** Runs the program at every party on synthetic data in a fresh worker; rejects with its coded error. */
export async function runDryRun(args: DryRunArgs): Promise<DryRunReport> {
  const worker = new Worker(new URL('../../../workers/jobs/program.worker.ts', import.meta.url), {
    type: 'module',
    name: 'parley dry run',
  });
  try {
    return await unwrap(Comlink.wrap<ProgramJobApi>(worker).dryRun(args));
  } finally {
    worker.terminate();
  }
}
