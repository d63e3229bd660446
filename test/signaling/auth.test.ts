// Identities and tickets on the real service (HTTP + socket.io, SQLite file): registration with
// roles and admission, challenge login, and every refusal: bad signature, replayed challenge or
// session ticket, expired, forged or wrong-audience tickets, rotated and revoked keys.

import { calculateJwkThumbprint } from 'jose';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rotationStatement, SIGN_PARAMS } from '../../shared/identity.js';
import { readTicketNonce } from '../../shared/job-ticket.js';
import { toBase64Url } from '../../shared/random.js';
import { hashInvite } from '../../signaling/auth.js';
import {
  type ClientSocket,
  call,
  connect,
  login,
  makeIdentity,
  post,
  sign,
  type TestIdentity,
} from '../helpers/client.js';
import { Harness } from '../helpers/service.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start();
});
afterEach(() => h.stop());

describe('registration', () => {
  it('registers a name once and refuses it for another key', async () => {
    const a = await makeIdentity('alice');
    const first = await post(h.url, '/api/register', { name: 'alice', publicKey: a.publicKey });
    expect(first.status).toBe(201);
    expect((await post(h.url, '/api/register', { name: 'alice', publicKey: a.publicKey })).status).toBe(200);
    const other = await makeIdentity('alice');
    const taken = await post(h.url, '/api/register', { name: 'alice', publicKey: other.publicKey });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('ERR_NAME_TAKEN');
  });

  it('stores roles, defaulting to data owner, compute party and result receiver', async () => {
    const s = await makeIdentity('seller1', ['seller']);
    await post(h.url, '/api/register', { name: s.name, publicKey: s.publicKey, roles: ['seller'] });
    expect((await h.svc.store.getParticipant('seller1'))?.roles).toEqual(['seller']);
    const d = await makeIdentity('dora');
    await post(h.url, '/api/register', { name: d.name, publicKey: d.publicKey });
    expect((await h.svc.store.getParticipant('dora'))?.roles).toEqual(['data-owner', 'compute', 'result-receiver']);
    const bad = await post(h.url, '/api/register', { name: 'x', publicKey: d.publicKey, roles: ['admin'] });
    expect(bad.body.error.code).toBe('ERR_BAD_REQUEST');
  });

  it('refuses bad names, bad keys, malformed and oversized bodies with codes', async () => {
    const a = await makeIdentity('x');
    expect((await post(h.url, '/api/register', { name: 'no spaces', publicKey: a.publicKey })).body.error.code).toBe(
      'ERR_BAD_NAME',
    );
    const offCurve = { ...a.publicKey, y: a.publicKey.x };
    expect((await post(h.url, '/api/register', { name: 'bob', publicKey: offCurve })).body.error.code).toBe(
      'ERR_BAD_REQUEST',
    );
    expect((await post(h.url, '/api/register', '{"name": ')).body.error.code).toBe('ERR_BAD_REQUEST');
    const big = await post(h.url, '/api/register', { name: 'bob', pad: 'x'.repeat(20000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('ERR_TOO_LARGE');
  });
});

describe('admission by invitation', () => {
  it('refuses registration without a valid code and spends codes', async () => {
    await h.svc.close();
    await h.start({ admission: 'invite' });
    await h.svc.store.addInvite(hashInvite('welcome-code-1'), 1, Date.now() + 60_000, Date.now());
    const a = await makeIdentity('alice');
    const none = await post(h.url, '/api/register', { name: 'alice', publicKey: a.publicKey });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('ERR_ADMISSION');
    const wrong = await post(h.url, '/api/register', { name: 'alice', publicKey: a.publicKey, invite: 'not-the-code' });
    expect(wrong.body.error.code).toBe('ERR_ADMISSION');
    expect(
      (await post(h.url, '/api/register', { name: 'alice', publicKey: a.publicKey, invite: 'welcome-code-1' })).status,
    ).toBe(201);
    const b = await makeIdentity('bob');
    const spent = await post(h.url, '/api/register', { name: 'bob', publicKey: b.publicKey, invite: 'welcome-code-1' });
    expect(spent.body.error.code).toBe('ERR_ADMISSION');
    expect(await (await fetch(`${h.url}/api/config`)).json()).toMatchObject({ admission: 'invite' });
  });
});

describe('roles bound to the invitation', () => {
  it("refuses roles the invitation does not grant (ERR_ROLE) without spending it; omitted roles are the invitation's", async () => {
    await h.svc.close();
    await h.start({ admission: 'invite' });
    await h.svc.store.addInvite(hashInvite('buyer-only-code'), 2, Date.now() + 60_000, Date.now(), ['buyer']);
    const m = await makeIdentity('mallory');
    for (const roles of [['seller'], ['buyer', 'seller'], ['dealer']]) {
      const r = await post(h.url, '/api/register', {
        name: 'mallory',
        publicKey: m.publicKey,
        roles,
        invite: 'buyer-only-code',
      });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('ERR_ROLE');
    }
    // Omitting roles does not fall back to the defaults: the invitation's roles are given.
    expect(
      (await post(h.url, '/api/register', { name: 'mallory', publicKey: m.publicKey, invite: 'buyer-only-code' }))
        .status,
    ).toBe(201);
    expect((await h.svc.store.getParticipant('mallory'))?.roles).toEqual(['buyer']);
    const b = await makeIdentity('bea');
    const r = await post(h.url, '/api/register', {
      name: 'bea',
      publicKey: b.publicKey,
      roles: ['buyer'],
      invite: 'buyer-only-code',
    });
    expect(r.status).toBe(201);
    // Both uses are spent: the refused attempts did not spend any.
    const c = await makeIdentity('cy');
    const spent = await post(h.url, '/api/register', { name: 'cy', publicKey: c.publicKey, invite: 'buyer-only-code' });
    expect(spent.body.error.code).toBe('ERR_ADMISSION');
  });
});

describe('login and session tickets', () => {
  it('logs in by signing the challenge and connects with the ticket', async () => {
    const a = await makeIdentity('alice');
    const r = await login(h.url, a);
    expect(r.status).toBe(200);
    expect(r.body.expiresAt).toBeGreaterThan(h.clock);
    const s = h.track(await connect(h.url, r.body.ticket));
    expect(await call(s, 'job:list', {})).toEqual([]);
  });

  it('refuses a signature by another key', async () => {
    const r = await login(h.url, await makeIdentity('alice'), await makeIdentity('mallory'));
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('ERR_BAD_SIGNATURE');
  });

  it('refuses a replayed challenge answer with ERR_TICKET_REPLAY', async () => {
    const a = await makeIdentity('alice');
    await post(h.url, '/api/register', { name: 'alice', publicKey: a.publicKey });
    const ch = await post(h.url, '/api/challenge', { name: 'alice' });
    const body = {
      name: 'alice',
      challenge: ch.body.challenge,
      signature: await sign(a, ch.body.challenge, ch.body.serviceKeyId),
    };
    expect((await post(h.url, '/api/login', body)).status).toBe(200);
    expect((await post(h.url, '/api/login', body)).body.error.code).toBe('ERR_TICKET_REPLAY');
  });

  it('refuses a session ticket presented a second time', async () => {
    const r = await login(h.url, await makeIdentity('alice'));
    h.track(await connect(h.url, r.body.ticket));
    await expect(connect(h.url, r.body.ticket)).rejects.toMatchObject({ code: 'ERR_TICKET_REPLAY' });
  });

  it('refuses an expired ticket at connection and on events', async () => {
    const a = await makeIdentity('alice');
    const s = h.track(await connect(h.url, (await login(h.url, a)).body.ticket));
    const fresh = (await login(h.url, a)).body.ticket;
    h.clock += 2 * 3600 * 1000;
    await expect(call(s, 'job:list', {})).rejects.toMatchObject({ code: 'ERR_TICKET_EXPIRED' });
    await expect(connect(h.url, fresh)).rejects.toMatchObject({ code: 'ERR_TICKET_EXPIRED' });
  });

  it('refuses a session ticket past its expiry, even within the clock-skew tolerance', async () => {
    const r = await login(h.url, await makeIdentity('alice'));
    h.clock = r.body.expiresAt + 20_000;
    await expect(connect(h.url, r.body.ticket)).rejects.toMatchObject({ code: 'ERR_TICKET_EXPIRED' });
  });

  it('refuses a used ticket replayed 10 s after its expiry, once the replay cache has been swept', async () => {
    const a = await h.online('bob');
    const r = await login(h.url, await makeIdentity('alice'));
    const victim = h.track(await connect(h.url, r.body.ticket));
    victim.close();
    await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'alice' });
    h.clock = r.body.expiresAt + 10_000;
    await h.svc.store.sweep(h.clock);
    const refused = await connect(h.url, r.body.ticket).then(
      (s) => (h.track(s), 'connected'),
      (e: { code: string }) => e.code,
    );
    expect(['ERR_TICKET_REPLAY', 'ERR_TICKET_EXPIRED']).toContain(refused);
    // The replay cache keeps the id until expiry plus skew, whatever the check in front of it.
    expect(await h.svc.store.useTicket(readTicketNonce(r.body.ticket), r.body.expiresAt)).toBe(false);
  });

  it("closes a connection when its ticket expires, saying why, and the tab's next login works", async () => {
    await h.svc.close();
    await h.start({ sessionTtlSeconds: 2 });
    const a = await makeIdentity('alice');
    const s = h.track(await connect(h.url, (await login(h.url, a)).body.ticket));
    const why = new Promise<any>((resolve) => s.once('session:end', resolve));
    const closed = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect(await why).toMatchObject({ code: 'ERR_TICKET_EXPIRED' });
    expect(await closed).toBe('io server disconnect');
    const again = h.track(await connect(h.url, (await login(h.url, a)).body.ticket));
    expect(await call(again, 'job:list', {})).toEqual([]);
  });

  it('refuses forged, missing and wrong-audience tickets', async () => {
    const a = await makeIdentity('alice');
    const r = await login(h.url, a);
    const [hd, p, sig] = (r.body.ticket as string).split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = [hd, Buffer.from(JSON.stringify({ ...payload, sub: 'bob' })).toString('base64url'), sig].join('.');
    await expect(connect(h.url, forged)).rejects.toMatchObject({ code: 'ERR_TICKET_INVALID' });
    await expect(connect(h.url, undefined)).rejects.toMatchObject({ code: 'ERR_TICKET_INVALID' });

    // A job ticket (audience: one peer in one job) is not a session ticket.
    const { s } = await h.online('bob');
    const sa = h.track(await connect(h.url, r.body.ticket));
    const job = await call(sa, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await call(s, 'job:accept', { jobId: job.id });
    const { tickets } = await call(sa, 'job:tickets', { jobId: job.id });
    await expect(connect(h.url, tickets.bob)).rejects.toMatchObject({ code: 'ERR_TICKET_INVALID' });
    expect(readTicketNonce(tickets.bob)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

it('names keys by their RFC 7638 thumbprint', async () => {
  for (const name of ['alice', 'bob', 'carol']) {
    const { publicKey } = await makeIdentity(name);
    const r = await post(h.url, '/api/register', { name, publicKey });
    expect(r.body.keyId).toBe(await calculateJwkThumbprint(publicKey));
  }
});

describe('key rotation and revocation', () => {
  it('closes a connection whose participant is revoked while it is being admitted', async () => {
    await h.svc.close();
    await h.start({ sweepMs: 3_600_000 }); // no sweep: only the connection's own check can see it
    const ticket = (await login(h.url, await makeIdentity('alice'))).body.ticket;
    const store = h.svc.store;
    const useTicket = store.useTicket.bind(store);
    // The revocation commits after the connect-time check, before the connection is in its room.
    store.useTicket = async (jti, expiresAt) => {
      await store.revoke('alice', Date.now());
      return useTicket(jti, expiresAt);
    };
    const s: ClientSocket = io(h.url, {
      auth: { ticket },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const why = new Promise<any>((resolve) => s.once('session:end', resolve));
    const closed = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect(await why).toMatchObject({ code: 'ERR_REVOKED' });
    expect(await closed).toBe('io server disconnect');
  });

  async function rotate(id: TestIdentity, next: TestIdentity, signer = id) {
    const ch = await post(h.url, '/api/challenge', { name: id.name });
    const statement = rotationStatement(
      id.name,
      ch.body.challenge,
      ch.body.serviceKeyId,
      next.publicKey,
    ) as BufferSource;
    const s1 = toBase64Url(new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS, signer.keys.privateKey, statement)));
    const s2 = toBase64Url(new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS, next.keys.privateKey, statement)));
    return post(h.url, '/api/rotate', {
      name: id.name,
      challenge: ch.body.challenge,
      newPublicKey: next.publicKey,
      signature: s1,
      newSignature: s2,
    });
  }

  it('rotates a key signed by the old key; old key and old tickets stop working', async () => {
    const a = await makeIdentity('alice');
    const oldTicket = (await login(h.url, a)).body.ticket;
    const next = { ...(await makeIdentity('alice')), name: 'alice' };
    expect((await rotate(a, next)).status).toBe(200);
    expect((await login(h.url, a)).body.error.code).toBe('ERR_BAD_SIGNATURE');
    await expect(connect(h.url, oldTicket)).rejects.toMatchObject({ code: 'ERR_TICKET_INVALID' });
    expect((await login(h.url, next)).status).toBe(200);
  });

  it('closes the sessions opened under the old key: they can no longer act as the participant', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const job = await call(b.s, 'job:propose', { kind: 'sum-product', peer: 'alice' });
    const why = new Promise<any>((resolve) => a.s.once('session:end', resolve));
    const closed = new Promise<string>((resolve) => a.s.once('disconnect', resolve));
    expect((await rotate(a.id, { ...(await makeIdentity('alice')), name: 'alice' })).status).toBe(200);
    const outcome = await Promise.race([
      call(a.s, 'job:accept', { jobId: job.id }).then(
        () => 'accepted',
        (e: { code: string }) => e.code,
      ),
      closed.then(() => 'closed'),
    ]);
    expect(['ERR_TICKET_INVALID', 'closed']).toContain(outcome);
    expect(await why).toMatchObject({ code: 'ERR_TICKET_INVALID' });
    expect(await closed).toBe('io server disconnect');
    expect((await h.svc.store.getJob(job.id))?.state).toBe('proposed');
    expect(b.s.connected).toBe(true);
  });

  it('refuses a rotation not signed by the current key', async () => {
    const a = await makeIdentity('alice');
    await login(h.url, a);
    const mallory = await makeIdentity('alice');
    const r = await rotate(a, mallory, mallory);
    expect(r.body.error.code).toBe('ERR_BAD_SIGNATURE');
    expect((await login(h.url, a)).status).toBe(200);
  });

  it('revocation closes sessions, fails open jobs for all members, and refuses login', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    const failedAtA = new Promise<any>((resolve) =>
      a.s.on('job:update', (j: any) => j.state === 'failed' && resolve(j)),
    );
    const dropped = new Promise((resolve) => b.s.on('disconnect', resolve));
    await h.svc.store.revoke('bob', Date.now());
    expect(await failedAtA).toMatchObject({ id: job.id, error: { code: 'ERR_REVOKED' } });
    await dropped;
    expect((await post(h.url, '/api/challenge', { name: 'bob' })).body.error.code).toBe('ERR_REVOKED');
    expect((await post(h.url, '/api/register', { name: 'bob', publicKey: b.id.publicKey })).body.error.code).toBe(
      'ERR_REVOKED',
    );
    await expect(call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' })).rejects.toMatchObject({
      code: 'ERR_REVOKED',
    });
  });
});
