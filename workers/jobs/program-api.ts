// The page/worker contract of a program job (a SecureNumpy program, the sum-and-product preset,
// and the job's participant dealer), exposed by workers/jobs/program.worker.ts with comlink. The
// worker lives as long as the job's connections.

import type { DryRunArgs, DryRunReport } from '../dry-run.js';
import type { ProgramArgs, ProgramOutputs, ProgramProgress } from '../program.js';
import type { AttachApi, Outcome } from './attach.js';

export interface ProgramJobApi extends AttachApi {
  /**
   * Runs the job's SecureNumpy program on this party's input (rows of numbers, or null) in the
   * job's ring; resolves to its outputs by name (null for outputs revealed to other parties).
   */
  runProgram(
    job: Omit<ProgramArgs, 'onProgress'>,
    onProgress: (p: ProgramProgress) => void,
  ): Promise<Outcome<ProgramOutputs>>;

  /**
   * Serves as the job's participant dealer (pool index 2, for parties 0 and 1) until party 1
   * ends the session; `onServed` gets the running count of requests (throttled).
   */
  serveDealer(onServed: (requests: number) => void): Promise<Outcome<{ requests: number }>>;

  /**
   * The dry run of a program about to be proposed (workers/dry-run.ts): every party simulated in
   * this worker on synthetic data, nothing sent; needs no attach (a worker started for it alone).
   */
  dryRun(args: DryRunArgs): Promise<Outcome<DryRunReport>>;
}
