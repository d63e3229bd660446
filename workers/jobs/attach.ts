// The part of the page/worker contract every job worker shares: the page hands the worker one
// control port per peer (over which it then transfers the data channels) and the job's parties,
// and the worker builds the job's one Pool on them (workers/jobs/job-pool.ts). Results carry
// coded errors as values (Outcome) because comlink keeps only name and message of thrown errors.

export type { Outcome } from '../outcome.js';

export interface PoolSetup {
  /** Member names in party order, and this tab's index. */
  parties: string[];
  me: number;
  /** How long a peer's connection may stay down before it counts as gone. */
  graceMs: number;
}

export interface AttachApi {
  /** Takes one control port per peer (by party index), over which the page hands over channels. */
  attach(controls: Record<number, MessagePort>, setup: PoolSetup): Promise<void>;
}
