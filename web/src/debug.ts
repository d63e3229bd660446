// A diagnostics handle on window.parley, installed only when asked for
// (localStorage.parleyDebug = '1'): the connection to the service, a message-layer pool on a live job's
// connections, and a way to drop a connection as a network failure would. Tests use it; it gives
// a tab no power it does not already have.

import { ParleyError } from '../../shared/errors.js';
import type { RemotePool } from '../../workers/engine-api.js';
import type { Connection } from './connection/connection.svelte.js';
import type { JobRuns } from './jobs/job-runs.js';

export function installDebugHandle(connection: Connection, runs: JobRuns): void {
  (globalThis as unknown as { parley: unknown }).parley = {
    connection,
    async openPool(jobId: string): Promise<RemotePool> {
      const mesh = runs.get(jobId)?.mesh;
      if (!mesh) throw new ParleyError('ERR_UNKNOWN_JOB', `no live connections for job ${jobId}`);
      await mesh.ready;
      mesh.markComputing();
      return mesh.engine.openPool();
    },
    drop(jobId: string, peer: string): void {
      runs.get(jobId)?.mesh?.peers.find((p) => p.peer === peer)?.drop();
    },
  };
}
