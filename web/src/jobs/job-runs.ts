// The jobs this tab is running, by job id: one JobRun per job, made on first use and forgotten
// when stopped. Owned by the app next to its Connection (no module-global registry), so the job
// cards, the seller, the buyer and the diagnostics handle reach the same runs.

import type { Job } from '../../../shared/protocol.js';
import type { Connection } from '../connection/connection.svelte.js';
import { JobRun } from './job-run.svelte.js';

export class JobRuns {
  private readonly live = new Map<string, JobRun>();

  constructor(readonly connection: Connection) {}

  /** This tab's run of the job: the live one, or a new one. */
  of(job: Job): JobRun {
    const known = this.live.get(job.id);
    if (known) return known;
    const run = new JobRun(this.connection, job, {
      onStop: (r) => {
        if (this.live.get(job.id) === r) this.live.delete(job.id);
      },
    });
    this.live.set(job.id, run);
    return run;
  }

  /** The live run of a job, if this tab has one. */
  get(jobId: string): JobRun | undefined {
    return this.live.get(jobId);
  }

  /** Stops every run (the tab signs out). */
  close(): void {
    for (const run of [...this.live.values()]) run.stop(0);
  }
}
