// Starts one dry-run worker (workers/jobs/dry-run.worker.ts) for one dry run and ends it when the
// report is in: the page never holds the engine, and an abandoned dry run leaves no worker behind.

import * as Comlink from 'comlink';
import type { DryRunArgs, DryRunReport } from '../../../workers/dry-run.js';
import type { DryRunWorkerApi } from '../../../workers/jobs/dry-run.worker.js';
import { unwrap } from '../../../workers/outcome.js';

/** Runs the program at every party on synthetic data in a fresh worker; rejects with its coded error. */
export async function runDryRun(args: DryRunArgs): Promise<DryRunReport> {
  const worker = new Worker(new URL('../../../workers/jobs/dry-run.worker.ts', import.meta.url), {
    type: 'module',
    name: 'parley dry run',
  });
  try {
    return await unwrap(Comlink.wrap<DryRunWorkerApi>(worker).dryRun(args));
  } finally {
    worker.terminate();
  }
}
