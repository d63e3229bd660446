// A diagnostics handle on window.parley, installed only when asked for
// (localStorage.parleyDebug = '1'): the session, a message-layer pool on a live job's
// connections, and a way to drop a connection as a network failure would. Tests use it; it gives
// a tab no power it does not already have.

import * as Comlink from 'comlink';
import { ParleyError } from '../../../shared/errors.js';
import type { EngineApi, RemotePool } from '../../../workers/engine-api.js';
import { meshes } from './job-mesh.js';
import type { Session } from './session.js';

export function installDebugHandle(session: Session): void {
  (globalThis as unknown as { parley: unknown }).parley = {
    session,
    async openPool(jobId: string): Promise<RemotePool> {
      const mesh = meshes.get(jobId);
      if (!mesh) throw new ParleyError('ERR_UNKNOWN_JOB', `no live connections for job ${jobId}`);
      const worker = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'parley-pool' });
      const engine = Comlink.wrap<EngineApi>(worker);
      const ports = mesh.takePorts();
      return engine.openPool(Comlink.transfer(ports, Object.values(ports)), {
        parties: mesh.job.members, me: mesh.me, graceMs: session.config.graceMs,
      });
    },
    drop(jobId: string, peer: string): void {
      meshes.get(jobId)?.peers.find((p) => p.peer === peer)?.drop();
    },
  };
}
