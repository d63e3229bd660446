// The jobs this tab is running, by job id: one JobRun per job, made on first use and forgotten
// when stopped. Owned by the app's Workspace next to its Connection (no module-global registry),
// so the job cards, the seller, the buyer and the diagnostics handle reach the same runs.

import type { Job } from '../../../shared/protocol.js';
import type { AttachApi } from '../../../workers/jobs/attach.js';
import type { MarketJobApi } from '../../../workers/jobs/market-api.js';
import type { Connection } from '../connection/connection.svelte.js';
import type { ProgramWorkerApi } from '../mesh/job-mesh.js';
import { JobRun } from './job-run.svelte.js';

type LiveRun = { kind: 'program'; run: JobRun<ProgramWorkerApi> } | { kind: 'market'; run: JobRun<MarketJobApi> };

export class JobRuns {
  private readonly programs = new Map<string, JobRun<ProgramWorkerApi>>();
  private readonly markets = new Map<string, JobRun<MarketJobApi>>();

  constructor(readonly connection: Connection) {}

  /** This tab's run of a program job (sum and product, SecureNumpy): the live one, or a new one. */
  program(job: Job): JobRun<ProgramWorkerApi> {
    return this.runOf(this.programs, job);
  }

  /** This tab's run of a market job (buyer or seller): the live one, or a new one. */
  market(job: Job): JobRun<MarketJobApi> {
    return this.runOf(this.markets, job);
  }

  /** The live run of a job, if this tab has one, by the kind of its worker. */
  find(jobId: string): LiveRun | undefined {
    const program = this.programs.get(jobId);
    if (program) return { kind: 'program', run: program };
    const market = this.markets.get(jobId);
    return market ? { kind: 'market', run: market } : undefined;
  }

  /** Stops every run (the tab signs out). */
  close(): void {
    for (const run of [...this.programs.values(), ...this.markets.values()]) run.stop(0);
  }

  private runOf<Api extends AttachApi>(live: Map<string, JobRun<Api>>, job: Job): JobRun<Api> {
    const known = live.get(job.id);
    if (known) return known;
    const run: JobRun<Api> = new JobRun<Api>(this.connection, job, {
      onStop: () => {
        if (live.get(job.id) === run) live.delete(job.id);
      },
    });
    live.set(job.id, run);
    return run;
  }
}
