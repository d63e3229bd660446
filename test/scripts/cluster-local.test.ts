// The cluster as deployed, process by process: scripts/cluster-local.sh (PostgreSQL, Redis, two
// node processes, Caddy in front). A node killed with SIGKILL mid-job: its member's socket comes
// back through the proxy on the other node and the job survives the dead node's reaping and
// the grace period; a member who stays away past the grace period fails the job with
// ERR_PEER_LEFT. Every wait is on an event or on Redis state, with generous limits.

import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/protocol.js';
import { type ClientSocket, call, connect, connectAuto, login, makeIdentity, waitFor } from '../helpers/client.js';
import { type LocalCluster, startLocalCluster } from '../helpers/local-cluster.js';

const LIMIT = 60_000;
let cluster: LocalCluster | undefined;
const sockets: ClientSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await cluster?.stop();
  cluster = undefined;
}, LIMIT);

/** Polls `check` until it holds (every 100 ms, up to LIMIT). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + LIMIT; Date.now() < end; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${LIMIT} ms: ${what}`);
}

async function nodeOf(c: LocalCluster, name: string): Promise<string> {
  let node: string | null = null;
  await until(`${name} is counted on a node`, async () => (node = await c.nodeOf(name)) !== null);
  return node!;
}

/** Alice (`a`) and Bob (`b`, reconnecting) through the proxy, on different nodes, in a running job. */
async function runningJob(c: LocalCluster, a: ClientSocket) {
  if (!a.connected) await waitFor(a, 'connect', () => true, LIMIT);
  const b = connectAuto(c.url, await makeIdentity('bob'));
  sockets.push(b);
  await waitFor(b, 'connect', () => true, LIMIT);
  const [nodeA, nodeB] = [await nodeOf(c, 'alice'), await nodeOf(c, 'bob')];
  // The proxy balances socket.io connections on their own round robin: consecutive ones alternate.
  expect(nodeA).not.toBe(nodeB);
  const job: Job = await call(a, 'job:propose', { kind: 'sum-product', peer: 'bob' });
  const ready = waitFor<Job>(a, 'job:update', (j) => j.id === job.id && j.state === 'ready', LIMIT);
  await call(b, 'job:accept', { jobId: job.id });
  await ready;
  const running = waitFor<Job>(b, 'job:update', (j) => j.id === job.id && j.state === 'running', LIMIT);
  await call(a, 'job:start', { jobId: job.id });
  await running;
  return { b, job, nodeA, nodeB };
}

describe('scripts/cluster-local.sh: two node processes behind Caddy', () => {
  it('keeps a job running when a node is killed with SIGKILL and its member reconnects to the other', async () => {
    cluster = await startLocalCluster({ PARLEY_GRACE_SECONDS: '3' });
    const c = cluster;
    const a = connectAuto(c.url, await makeIdentity('alice'));
    sockets.push(a);
    const { b, job, nodeA, nodeB } = await runningJob(c, a);
    const updates: Job[] = [];
    for (const s of [a, b]) s.on('job:update', (j) => updates.push(j));

    const dropped = waitFor(a, 'disconnect' as never, () => true, LIMIT);
    const back = dropped.then(() => waitFor(a, 'connect', () => true, LIMIT));
    await c.kill(nodeA, 'SIGKILL');
    await back;
    await until('alice is counted on the surviving node', async () => (await c.nodeOf('alice')) === nodeB);
    // The survivors reap the dead node (its heartbeat lapses), and no grace deadline is left.
    await until(`${nodeA} is reaped`, async () => !(await c.isRegistered(nodeA)));
    await until('no grace deadline is pending', async () => (await c.redis.zcard('parley:grace')) === 0);

    const presence = await call(a, 'job:presence', { jobId: job.id });
    expect([...presence.online].sort()).toEqual(['alice', 'bob']);
    const relayed = waitFor<any>(b, 'signal', () => true, LIMIT);
    await call(a, 'signal', { jobId: job.id, to: 'bob', data: { after: 'kill' } });
    expect(await relayed).toEqual({ jobId: job.id, from: 'alice', data: { after: 'kill' } });
    expect((await call(b, 'job:list', {}))[0]).toMatchObject({ id: job.id, state: 'running' });

    const done = [a, b].map((s) => waitFor<Job>(s, 'job:update', (j) => j.id === job.id && j.state === 'done', LIMIT));
    await call(b, 'job:finish', { jobId: job.id, outcome: 'done' });
    await Promise.all(done);
    expect(updates.filter((j) => j.state === 'failed')).toEqual([]);
  }, 240_000);

  it('fails the job with ERR_PEER_LEFT when the member of the killed node stays away past the grace period', async () => {
    cluster = await startLocalCluster({ PARLEY_GRACE_SECONDS: '2' });
    const c = cluster;
    // Alice does not reconnect: once her node is gone she stays away.
    const ticket = (await login(c.url, await makeIdentity('alice'))).body.ticket;
    const a = await connect(c.url, ticket);
    sockets.push(a);
    const { b, job, nodeA } = await runningJob(c, a);
    const failed = waitFor<Job>(b, 'job:update', (j) => j.id === job.id && j.state === 'failed', LIMIT);
    await c.kill(nodeA, 'SIGKILL');
    expect((await failed).error?.code).toBe('ERR_PEER_LEFT');
    expect((await call(b, 'job:list', {}))[0]).toMatchObject({ id: job.id, state: 'failed' });
  }, 240_000);
});
