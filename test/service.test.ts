// The service over real HTTP and socket.io with a real SQLite file: registration, challenge
// login, refusals (bad signature, replayed challenge, expired or forged tickets, non-members),
// job flow, the dealer's no-reuse rule, and state that survives a restart.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../signaling/app.js';
import { ringMul, ringAdd } from '../shared/fixed.js';
import { triplesFromGrant } from '../shared/triples.js';
import { call, connect, connectAs, login, makeIdentity, nextEvent, post, type ClientSocket } from './helpers/client.js';

let dir: string;
let svc: Service;
let clock: number;
const sockets: ClientSocket[] = [];

async function start(): Promise<Service> {
  svc = await createService({ dbFile: join(dir, 'parley.db'), staticDir: null, now: () => clock });
  return svc;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-svc-'));
  clock = Date.now();
  await start();
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

async function online(name: string) {
  const id = await makeIdentity(name);
  const s = await connectAs(svc.url, id);
  sockets.push(s);
  return { id, s };
}

describe('registration', () => {
  it('registers a name once and refuses it for another key', async () => {
    const a = await makeIdentity('alice');
    const first = await post(svc.url, '/api/register', { name: 'alice', publicKey: a.publicKey });
    expect(first.status).toBe(201);
    const again = await post(svc.url, '/api/register', { name: 'alice', publicKey: a.publicKey });
    expect(again.status).toBe(200);
    const other = await makeIdentity('alice');
    const taken = await post(svc.url, '/api/register', { name: 'alice', publicKey: other.publicKey });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('ERR_NAME_TAKEN');
  });

  it('refuses bad names, bad keys, malformed and oversized bodies with codes', async () => {
    const a = await makeIdentity('x');
    expect((await post(svc.url, '/api/register', { name: 'no spaces', publicKey: a.publicKey })).body.error.code).toBe('ERR_BAD_NAME');
    const offCurve = { ...a.publicKey, y: a.publicKey.x };
    expect((await post(svc.url, '/api/register', { name: 'bob', publicKey: offCurve })).body.error.code).toBe('ERR_BAD_REQUEST');
    expect((await post(svc.url, '/api/register', '{"name": ')).body.error.code).toBe('ERR_BAD_REQUEST');
    const big = await post(svc.url, '/api/register', { name: 'bob', pad: 'x'.repeat(20000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('ERR_TOO_LARGE');
  });
});

describe('login and tickets', () => {
  it('logs in by signing the challenge and connects with the ticket', async () => {
    const a = await makeIdentity('alice');
    const r = await login(svc.url, a);
    expect(r.status).toBe(200);
    expect(r.body.expiresAt).toBeGreaterThan(clock);
    const s = await connect(svc.url, r.body.ticket);
    sockets.push(s);
    expect(await call(s, 'job:list', {})).toEqual([]);
  });

  it('refuses a signature by another key', async () => {
    const a = await makeIdentity('alice');
    const mallory = await makeIdentity('mallory');
    const r = await login(svc.url, a, mallory);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('ERR_BAD_SIGNATURE');
  });

  it('refuses a replayed challenge answer', async () => {
    const a = await makeIdentity('alice');
    await post(svc.url, '/api/register', { name: 'alice', publicKey: a.publicKey });
    const ch = await post(svc.url, '/api/challenge', { name: 'alice' });
    const { sign } = await import('./helpers/client.js');
    const signature = await sign(a, ch.body.challenge, ch.body.serviceKeyId);
    const body = { name: 'alice', challenge: ch.body.challenge, signature };
    expect((await post(svc.url, '/api/login', body)).status).toBe(200);
    const replay = await post(svc.url, '/api/login', body);
    expect(replay.body.error.code).toBe('ERR_CHALLENGE_INVALID');
  });

  it('refuses an expired ticket at connection and on events', async () => {
    const a = await makeIdentity('alice');
    const r = await login(svc.url, a);
    const s = await connect(svc.url, r.body.ticket);
    sockets.push(s);
    clock += 2 * 3600 * 1000;
    await expect(call(s, 'job:list', {})).rejects.toMatchObject({ code: 'ERR_TICKET_EXPIRED' });
    await expect(connect(svc.url, r.body.ticket)).rejects.toMatchObject({ code: 'ERR_TICKET_EXPIRED' });
  });

  it('refuses forged and missing tickets', async () => {
    const a = await makeIdentity('alice');
    const r = await login(svc.url, a);
    const [h, p, sig] = (r.body.ticket as string).split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...payload, sub: 'bob' })).toString('base64url'), sig].join('.');
    await expect(connect(svc.url, forged)).rejects.toMatchObject({ code: 'ERR_TICKET_INVALID' });
    await expect(connect(svc.url, undefined)).rejects.toMatchObject({ code: 'ERR_TICKET_INVALID' });
  });
});

describe('jobs and relay', () => {
  async function readyJob() {
    const a = await online('alice');
    const b = await online('bob');
    const invited = nextEvent<any>(b.s, 'job:update');
    const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', receiver: 'alice' });
    expect(job).toMatchObject({ state: 'proposed', members: ['alice', 'bob'], receiver: 'alice' });
    expect((await invited).id).toBe(job.id);
    const readyAtA = nextEvent<any>(a.s, 'job:update');
    await call(b.s, 'job:accept', { jobId: job.id });
    expect((await readyAtA).state).toBe('ready');
    return { a, b, job };
  }

  it('relays signaling between members, stamping the sender', async () => {
    const { a, b, job } = await readyJob();
    const got = nextEvent<any>(b.s, 'signal');
    await call(a.s, 'signal', { jobId: job.id, to: 'bob', data: { type: 'offer', sdp: 'v=0' } });
    expect(await got).toEqual({ jobId: job.id, from: 'alice', data: { type: 'offer', sdp: 'v=0' } });
  });

  it('refuses relay to or from a participant outside the job', async () => {
    const { a, job } = await readyJob();
    const c = await online('carol');
    await expect(call(c.s, 'signal', { jobId: job.id, to: 'alice', data: {} })).rejects.toMatchObject({ code: 'ERR_NOT_MEMBER' });
    await expect(call(a.s, 'signal', { jobId: job.id, to: 'carol', data: {} })).rejects.toMatchObject({ code: 'ERR_NOT_MEMBER' });
    await expect(call(c.s, 'job:accept', { jobId: job.id })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_JOB' });
  });

  it('refuses relay before acceptance and malformed or oversized events', async () => {
    const a = await online('alice');
    await online('bob');
    const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', receiver: 'alice' });
    await expect(call(a.s, 'signal', { jobId: job.id, to: 'bob', data: {} })).rejects.toMatchObject({ code: 'ERR_JOB_STATE' });
    await expect(call(a.s, 'job:propose', { kind: 'rm -rf', peer: 'bob', receiver: 'alice' })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(call(a.s, 'job:propose', { kind: 'sum-product', peer: 'nobody', receiver: 'alice' })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_PARTICIPANT' });
    await expect(call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', receiver: 'carol' })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });

  it('refuses signaling payloads over the size limit', async () => {
    const { a, job } = await readyJob();
    await expect(call(a.s, 'signal', { jobId: job.id, to: 'bob', data: 'x'.repeat(20000) })).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
  });

  it('fails a live job with ERR_PEER_LEFT when a member disconnects', async () => {
    const { a, b, job } = await readyJob();
    const update = nextEvent<any>(a.s, 'job:update');
    b.s.close();
    const failed = await update;
    expect(failed).toMatchObject({ id: job.id, state: 'failed', error: { code: 'ERR_PEER_LEFT' } });
  });

  it('deals consistent triples once per party and refuses a second request', async () => {
    const { a, b, job } = await readyJob();
    const [g0, g1] = await Promise.all([
      call(a.s, 'dealer:triples', { jobId: job.id, count: 64 }),
      call(b.s, 'dealer:triples', { jobId: job.id, count: 64 }),
    ]);
    const t0 = await triplesFromGrant(0, g0);
    const t1 = await triplesFromGrant(1, g1);
    expect(ringAdd(t0.c, t1.c)).toEqual(ringMul(ringAdd(t0.a, t1.a), ringAdd(t0.b, t1.b)));
    await expect(call(a.s, 'dealer:triples', { jobId: job.id, count: 64 })).rejects.toMatchObject({ code: 'ERR_DEALER_REPLAY' });
  });
});

describe('client config', () => {
  it('publishes the operator ICE servers and the service key', async () => {
    await svc.close();
    svc = await createService({ dbFile: join(dir, 'parley.db'), staticDir: null, iceServers: [{ urls: 'stun:stun.example.org' }] });
    expect(await (await fetch(`${svc.url}/api/config`)).json()).toEqual({ iceServers: [{ urls: 'stun:stun.example.org' }] });
    const key = await (await fetch(`${svc.url}/.well-known/parley-service-key`)).json();
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(key.d).toBeUndefined();
  });
});

describe('restart', () => {
  it('keeps participants, jobs and the service key in the SQLite file', async () => {
    const a = await makeIdentity('alice');
    const b = await makeIdentity('bob');
    const ticket = (await login(svc.url, a)).body.ticket;
    await login(svc.url, b);
    const sa = await connect(svc.url, ticket);
    const job = await call(sa, 'job:propose', { kind: 'sum-product', peer: 'bob', receiver: 'alice' });
    sa.close();
    await svc.close();

    await start();
    const taken = await post(svc.url, '/api/register', { name: 'alice', publicKey: b.publicKey });
    expect(taken.body.error.code).toBe('ERR_NAME_TAKEN');
    const again = await connect(svc.url, ticket); // same service key: the old ticket still verifies
    sockets.push(again);
    const jobs = await call(again, 'job:list', {});
    expect(jobs.map((j: any) => j.id)).toEqual([job.id]);
    expect((await login(svc.url, a)).status).toBe(200);
  });
});
