// Waiting for a job mesh's peer connections to be open (authenticated) before a market job's
// worker starts its pool.

import { ParleyError } from '../../../shared/errors.js';
import type { AttachApi } from '../../../workers/jobs/attach.js';
import type { JobMesh } from '../lib/job-mesh.js';

/** Resolves once every peer connection of the mesh is open. */
export function whenOpen(mesh: JobMesh<AttachApi>): Promise<void> {
  return Promise.all(
    mesh.peers.map(
      (p) =>
        new Promise<void>((resolve, reject) => {
          let unsub: (() => void) | null = null;
          let settled = false;
          unsub = p.state.subscribe((s) => {
            if (settled) return;
            if (s === 'open') (settled = true), resolve();
            else if (s === 'gone') (settled = true), reject(new ParleyError('ERR_PEER_LEFT', `${p.peer} went away`));
            if (settled) queueMicrotask(() => unsub?.());
          });
        }),
    ),
  ).then(() => undefined);
}

