// The dry-run worker: runs a program the proposer is about to propose on synthetic data, every
// party simulated here (workers/dry-run.ts), and reports its outputs' shapes, rounds, bytes and
// wall time to the page with comlink. Like the program worker it locks the realm down first, so
// that the program, compiled in a Compartment, reaches nothing but the SecureNumpy facade. One
// worker per dry run: the page terminates it when the report is in (or the proposer leaves).

import * as Comlink from 'comlink';
import { toErrorInfo } from '../../shared/errors.js';
import { type DryRunArgs, type DryRunReport, dryRun } from '../dry-run.js';
import { lockdownRealm } from '../sandbox/lockdown.js';
import type { Outcome } from './attach.js';

lockdownRealm();

export interface DryRunWorkerApi {
  dryRun(args: DryRunArgs): Promise<Outcome<DryRunReport>>;
}

const api: DryRunWorkerApi = {
  dryRun: (args) =>
    dryRun(args).then(
      (value) => ({ ok: true, value }),
      (e) => ({ ok: false, error: toErrorInfo(e) }),
    ),
};

Comlink.expose(api);
