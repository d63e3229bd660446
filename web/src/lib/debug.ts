// A diagnostics handle on window.parley, installed only when asked for
// (localStorage.parleyDebug = '1'): the session, a message-layer pool on a live program job's
// connections (workers/jobs/diagnostics.ts), and a way to drop a connection as a network failure
// would. Tests use it; it gives a tab no power it does not already have.

import { ParleyError } from '../../../shared/errors.js';
import type { RemotePool } from '../../../workers/jobs/diagnostics.js';
import { type JobMesh, meshes, type ProgramWorkerApi } from './job-mesh.js';
import type { Session } from './session.js';

export function installDebugHandle(session: Session): void {
  (globalThis as unknown as { parley: unknown }).parley = {
    session,
    async openPool(jobId: string): Promise<RemotePool> {
      const mesh = meshes.get(jobId);
      if (!mesh) throw new ParleyError('ERR_UNKNOWN_JOB', `no live connections for job ${jobId}`);
      if (mesh.job.kind === 'market') {
        throw new ParleyError('ERR_JOB_STATE', 'only program jobs open a diagnostics pool');
      }
      await mesh.ready;
      mesh.markComputing();
      // A job that is not a market job runs the program worker (jobWorker in job-mesh.ts).
      return (mesh as JobMesh<ProgramWorkerApi>).engine.openPool();
    },
    drop(jobId: string, peer: string): void {
      meshes.get(jobId)?.peers.find((p) => p.peer === peer)?.drop();
    },
  };
}
