// The bench page of `npm run bench:messages` and `npm run bench:engine` (bundled by
// bench/harness.ts under /bench/, driven over window.poolBench, see bench/pool-tabs.ts): a small
// client that signs in with the app's Connection and connects a job with the app's JobMesh, with the
// bench worker (bench/worker/bench.worker.ts) in place of the product's job worker. The job's
// pool is then `window.pool`; its `measure` functions run inside the worker.

import '../web/src/polyfills.js';
import type { Job, Role } from '../shared/protocol.js';
import type { Connection } from '../web/src/connection/connection.svelte.js';
import { JobMesh } from '../web/src/mesh/job-mesh.js';
import { signIn, untilJobs } from './page-session.js';
import type { BenchApi } from './worker/measure.js';

let session: Connection | null = null;

async function join(name: string, roles: Role[]) {
  session = await signIn(name, roles);
}

/** Proposes a program job (the text is never run: the bench worker runs the measurements). */
async function propose(peers: string[], dealer?: string): Promise<string> {
  const job = (await session!.call('job:propose', {
    kind: 'securenumpy',
    peers,
    program: 'bench',
    reveal: [{ output: 'none', to: [session!.name] }],
    ...(dealer ? { dealer } : {}),
  })) as Job;
  return job.id;
}

async function accept(jobId: string): Promise<void> {
  await untilJobs(session!, (js) => js.some((j) => j.id === jobId), `job ${jobId}`);
  await session!.call('job:accept', { jobId });
}

/** Once every member accepted: connects the job with the bench worker and sets window.pool. */
async function open(jobId: string): Promise<void> {
  const isReady = (j: Job) => j.id === jobId && j.state === 'ready';
  const job = (await untilJobs(session!, (js) => js.some(isReady), `job ${jobId} ready`)).find(isReady)!;
  // Written inline so that Vite bundles the worker (a URL kept in a variable is copied as an asset).
  const worker = new Worker(new URL('./worker/bench.worker.ts', import.meta.url), {
    type: 'module',
    name: 'parley-bench',
  });
  const mesh = new JobMesh<BenchApi>(session!, job, worker);
  await mesh.ready;
  await Promise.all(mesh.peers.map((p) => p.whenOpen()));
  mesh.markComputing();
  (globalThis as unknown as { pool: unknown }).pool = await mesh.engine.openPool();
}

const api = { join, propose, accept, open };
(globalThis as unknown as { poolBench: typeof api }).poolBench = api;
document.getElementById('status')!.textContent = 'ready';
