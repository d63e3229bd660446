// A diagnostics handle on window.parley, installed only when asked for
// (localStorage.parleyDebug = '1'): the connection to the service, a message-layer pool on a live
// program job's connections (workers/jobs/diagnostics.ts), and a way to drop a connection as a
// network failure would. Tests use it; it gives a tab no power it does not already have.

import { ParleyError } from '../../shared/errors.js';
import type { RemotePool } from '../../workers/jobs/diagnostics.js';
import type { Connection } from './connection/connection.svelte.js';
import type { JobRuns } from './jobs/job-runs.js';

export function installDebugHandle(connection: Connection, runs: JobRuns): void {
  (globalThis as unknown as { parley: unknown }).parley = {
    connection,
    async openPool(jobId: string): Promise<RemotePool> {
      const live = runs.find(jobId);
      if (live?.kind === 'market') throw new ParleyError('ERR_JOB_STATE', 'only program jobs open a diagnostics pool');
      const mesh = live?.run.mesh;
      if (!mesh) throw new ParleyError('ERR_UNKNOWN_JOB', `no live connections for job ${jobId}`);
      await mesh.ready;
      mesh.markComputing();
      return mesh.engine.openPool();
    },
    drop(jobId: string, peer: string): void {
      runs
        .find(jobId)
        ?.run.mesh?.peers.find((p) => p.peer === peer)
        ?.drop();
    },
  };
}
