// Waiting for a job mesh's peer connections to be open (authenticated) before a market job's
// worker starts its pool.

import type { JobMesh } from '../lib/job-mesh.js';

/** Resolves once every peer connection of the mesh is open. */
export function whenOpen(mesh: JobMesh): Promise<void> {
  return Promise.all(mesh.peers.map((p) => p.whenOpen())).then(() => undefined);
}

