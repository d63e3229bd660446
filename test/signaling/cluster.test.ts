// Two service nodes on one Redis (coordinator and socket.io adapter), sharing one SQLite file:
// a login spans nodes, members on different nodes form a job, see each other's presence and
// pushes and relay signals both ways, an offline member's queued signal reaches it on the other
// node, listings and purchases are pushed across nodes, a revocation closes sockets on both, a
// member back on the other node keeps its job, a restarted node does not fail jobs of members
// connected elsewhere, and limits are cluster-wide.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { grantCredits } from '../../signaling/ledger-store.js';
import {
  type ClientSocket,
  call,
  connect,
  connectAuto,
  makeIdentity,
  post,
  sign,
  type TestIdentity,
  waitFor,
} from '../helpers/client.js';
import { Cluster } from '../helpers/cluster.js';
import { listingBody, type Req, signed } from '../helpers/market.js';
import { type RedisServer, startRedis } from '../helpers/redis.js';
import type { Harness } from '../helpers/service.js';

let redis: RedisServer;
let c: Cluster;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());
beforeEach(() => {
  c = new Cluster(redis);
});
afterEach(() => c.stop());

/** Registers and takes a challenge on node `asked`, answers it on node `answered`. */
async function loginAcross(id: TestIdentity, asked: number, answered: number) {
  await post(c.url(asked), '/api/register', { name: id.name, publicKey: id.publicKey });
  const ch = await post(c.url(asked), '/api/challenge', { name: id.name });
  const body = {
    name: id.name,
    challenge: ch.body.challenge,
    signature: await sign(id, ch.body.challenge, ch.body.serviceKeyId),
  };
  return { body, res: await post(c.url(answered), '/api/login', body) };
}

/** A client of `id` on node `i` that logs in again on every reconnection. */
async function on(i: number, id: TestIdentity): Promise<ClientSocket> {
  const s = c.track(connectAuto(c.url(i), id));
  await waitFor(s, 'connect');
  return s;
}

/** Alice on node 0, Bob on node 1, and a ready job between them. */
async function readyJob() {
  const [alice, bob] = [await makeIdentity('alice'), await makeIdentity('bob')];
  const a = await on(0, alice);
  const b = await on(1, bob);
  const job = await call(a, 'job:propose', { kind: 'sum-product', peer: 'bob' });
  const seen = waitFor<any>(a, 'job:update', (j) => j.id === job.id && j.state === 'ready');
  await call(b, 'job:accept', { jobId: job.id });
  await seen;
  return { alice, bob, a, b, job };
}

describe('two nodes on one Redis', () => {
  beforeEach(async () => {
    await c.start(0, { graceMs: 1500 });
    await c.start(1, { graceMs: 1500 });
  });

  it('names each node and is ready while Redis answers', async () => {
    expect(await (await fetch(`${c.url(0)}/healthz`)).json()).toEqual({ ok: true, node: 'n0' });
    expect(await (await fetch(`${c.url(1)}/readyz`)).json()).toEqual({ ok: true, node: 'n1' });
  });

  it('logs in with a challenge asked on one node and answered on the other, once', async () => {
    const { body, res } = await loginAcross(await makeIdentity('alice'), 0, 1);
    expect(res.status).toBe(200);
    const s = c.track(await connect(c.url(0), res.body.ticket));
    expect(s.connected).toBe(true);
    const again = await post(c.url(0), '/api/login', body);
    expect(again.body.error.code).toBe('ERR_TICKET_REPLAY');
  });

  it('forms a job across nodes: pushes, presence and signals reach both', async () => {
    const { a, b, job } = await readyJob();
    expect(await call(a, 'job:presence', { jobId: job.id })).toEqual({ jobId: job.id, online: ['alice', 'bob'] });
    const started = waitFor<any>(b, 'job:update', (j) => j.state === 'running');
    await call(a, 'job:start', { jobId: job.id });
    await started;
    const toBob = waitFor<any>(b, 'signal');
    await call(a, 'signal', { jobId: job.id, to: 'bob', data: { sdp: 'offer' } });
    expect(await toBob).toEqual({ jobId: job.id, from: 'alice', data: { sdp: 'offer' } });
    const toAlice = waitFor<any>(a, 'signal');
    await call(b, 'signal', { jobId: job.id, to: 'alice', data: { sdp: 'answer' } });
    expect(await toAlice).toEqual({ jobId: job.id, from: 'bob', data: { sdp: 'answer' } });
  });

  it('stops relaying in a job ended on the other node, also where it relayed before', async () => {
    const { a, b, job } = await readyJob();
    const toBob = waitFor<any>(b, 'signal');
    await call(a, 'signal', { jobId: job.id, to: 'bob', data: { n: 1 } });
    await toBob;
    const ended = waitFor<any>(a, 'job:update', (j) => j.id === job.id && j.state === 'cancelled');
    await call(b, 'job:cancel', { jobId: job.id });
    await ended;
    await expect(call(a, 'signal', { jobId: job.id, to: 'bob', data: { n: 2 } })).rejects.toMatchObject({
      code: 'ERR_JOB_STATE',
    });
  });

  it("delivers an offline member's queued signal when it comes back on the other node", async () => {
    const { bob, a, b, job } = await readyJob();
    const away = waitFor<any>(a, 'job:presence', (p) => p.online.join() === 'alice');
    b.close();
    await away;
    await call(a, 'signal', { jobId: job.id, to: 'bob', data: { queued: 1 } });
    const back = c.track(connectAuto(c.url(0), bob));
    const got = waitFor<any>(back, 'signal');
    expect(await got).toEqual({ jobId: job.id, from: 'alice', data: { queued: 1 } });
  });

  it('keeps the job of a member who comes back on the other node within the grace period', async () => {
    const { bob, a, b, job } = await readyJob();
    const away = waitFor<any>(a, 'job:presence', (p) => p.online.join() === 'alice');
    b.close(); // bob's last connection to node 1 closes: its grace period starts
    await away;
    const back = waitFor<any>(a, 'job:presence', (p) => p.online.length === 2);
    const b2 = await on(0, bob);
    await back;
    await new Promise((r) => setTimeout(r, 1800)); // past the grace period, on both nodes
    expect((await call(b2, 'job:list', {}))[0]).toMatchObject({ id: job.id, state: 'ready' });
    // Staying away fails the job, once, for everyone.
    const failed: any[] = [];
    a.on('job:update', (j) => failed.push(j));
    b2.close();
    await waitFor<any>(a, 'job:update', (j) => j.state === 'failed', 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(failed.filter((j) => j.state === 'failed')).toMatchObject([{ error: { code: 'ERR_PEER_LEFT' } }]);
  });

  it("closes a revoked participant's sockets on both nodes and fails its open jobs", async () => {
    const { alice, a, b, job } = await readyJob();
    const a1 = await on(1, alice);
    // Both connections have acted (their checks are remembered) before the revocation.
    for (const s of [a, a1]) await call(s, 'signal', { jobId: job.id, to: 'bob', data: {} });
    const ends = [a, a1].map((s) => waitFor<any>(s, 'session:end'));
    const closed = [a, a1].map((s) => new Promise((r) => s.once('disconnect', r)));
    const failed = waitFor<any>(b, 'job:update', (j) => j.id === job.id && j.state === 'failed');
    c.nodes[0]!.store.revoke('alice', Date.now());
    for (const e of await Promise.all(ends)) expect(e.code).toBe('ERR_REVOKED');
    expect((await failed).error.code).toBe('ERR_REVOKED');
    await Promise.all(closed);
  });

  it('pushes a listing to everyone and a purchase to the seller on the other node', async () => {
    const [sam, bea] = [await makeIdentity('sam', ['seller']), await makeIdentity('bea', ['buyer'])];
    const seller = await on(1, sam);
    const buyer = await on(0, bea);
    await grantCredits(c.nodes[0]!.ledger, 'bea', 100);
    const clock = { clock: Date.now() } as Harness;
    const send = async (s: ClientSocket, id: TestIdentity, event: string, r: Req) =>
      call(s, event as never, await signed(clock, id, r));
    const listed = waitFor<any>(buyer, 'market:listing');
    const listing = await send(seller, sam, 'market:publish', { type: 'publish', body: listingBody(clock.clock) });
    expect((await listed).id).toBe(listing.id);
    const sold = waitFor<any>(seller, 'market:purchase');
    const purchase = await send(buyer, bea, 'market:buy', { type: 'buy', listing: listing.id, body: {} });
    expect(await sold).toMatchObject({ id: purchase.id, buyer: 'bea', seller: 'sam' });
  });
});

describe('restarts and limits', () => {
  it('does not fail jobs of members on node 0 when node 1 restarts', async () => {
    await c.start(0, { graceMs: 300 });
    await c.start(1, { graceMs: 300 });
    const [alice, bob] = [await makeIdentity('alice'), await makeIdentity('bob')];
    const a = await on(0, alice);
    const b = await on(0, bob);
    const job = await call(a, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await call(b, 'job:accept', { jobId: job.id });
    await c.nodes[1]!.close();
    await c.start(1, { graceMs: 300 });
    await new Promise((r) => setTimeout(r, 900));
    expect((await call(a, 'job:list', {}))[0]).toMatchObject({ id: job.id, state: 'ready' });
  });

  it('limits connections and HTTP requests per address across the cluster', async () => {
    const limits = { relayLimits: { connectsPerSecondPerIp: 0.001, connectBurstPerIp: 3 } };
    const http = { httpLimits: { perSecondPerIp: 0.001, burstPerIp: 12 } };
    await c.start(0, { ...limits, ...http });
    await c.start(1, { ...limits, ...http });
    const tickets: string[] = [];
    for (const [i, name] of ['p', 'q', 'r', 's'].entries()) {
      const { res } = await loginAcross(await makeIdentity(name), i % 2, (i + 1) % 2); // 3 requests each
      tickets.push(res.body.ticket);
    }
    const refused = await post(c.url(0), '/api/challenge', { name: 'p' });
    expect(refused.body.error.code).toBe('ERR_RATE_LIMITED');
    for (const [i, t] of tickets.slice(0, 3).entries()) c.track(await connect(c.url(i % 2), t));
    await expect(connect(c.url(1), tickets[3])).rejects.toMatchObject({ code: 'ERR_RATE_LIMITED' });
  });
});
