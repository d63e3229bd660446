// Bad input and abuse on the real service: malformed and oversized payloads get coded refusals,
// floods are rate limited per connection and per address, and other clients are unaffected.
// Also the operational endpoints (/healthz, /metrics).

import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, login, makeIdentity, post, sign } from '../helpers/client.js';
import { Harness } from '../helpers/service.js';

let h: Harness;
beforeEach(() => {
  h = new Harness();
});
afterEach(() => h.stop());

describe('malformed and oversized input', () => {
  beforeEach(() => h.start());

  it('answers malformed events with ERR_BAD_REQUEST and keeps serving', async () => {
    const a = await h.online('alice');
    for (const bad of [null, 42, 'text', [], { jobId: 'not-a-uuid' }, { jobId: crypto.randomUUID(), extra: 1 }]) {
      await expect(call(a.s, 'job:accept', bad)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    }
    await expect(
      call(a.s, 'job:propose', { kind: 'sum-product', peer: 'x', receiver: { $ne: 1 } }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(await call(a.s, 'job:list', {})).toEqual([]);
  });

  it('ignores events without an acknowledgement instead of crashing', async () => {
    const a = await h.online('alice');
    (a.s.emit as (...x: unknown[]) => void)('job:list', {});
    (a.s.emit as (...x: unknown[]) => void)('no-such-event', { x: 1 }, () => undefined);
    expect(await call(a.s, 'job:list', {})).toEqual([]);
  });

  it('refuses oversized event payloads with ERR_TOO_LARGE', async () => {
    const a = await h.online('alice');
    await h.online('bob');
    const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await expect(call(a.s, 'signal', { jobId: job.id, to: 'bob', data: 'x'.repeat(20_000) })).rejects.toMatchObject({
      code: 'ERR_TOO_LARGE',
    });
    await expect(call(a.s, 'job:accept', { jobId: job.id, pad: 'x'.repeat(5000) })).rejects.toMatchObject({
      code: 'ERR_TOO_LARGE',
    });
    await expect(
      call(a.s, 'job:propose', {
        kind: 'securenumpy',
        peers: ['bob'],
        program: 'x'.repeat(70_000),
        reveal: [{ output: 'r', to: ['alice'] }],
      }),
    ).rejects.toMatchObject({ code: 'ERR_TOO_LARGE' });
  });

  it('refuses unknown HTTP methods and bodies with codes', async () => {
    const r = await fetch(`${h.url}/api/login`);
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe('ERR_BAD_REQUEST');
    expect((await post(h.url, '/api/login', [])).body.error.code).toBe('ERR_BAD_REQUEST');
  });
});

describe('rate limits', () => {
  it('limits a flooding connection with ERR_RATE_LIMITED while others are served', async () => {
    await h.start({ relayLimits: { eventsPerSecond: 10, eventBurst: 20 } });
    const flood = await h.online('mallory');
    const calm = await h.online('alice');
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => call(flood.s, 'job:list', {})));
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'ERR_RATE_LIMITED',
    );
    expect(refused.length).toBeGreaterThanOrEqual(170);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(20);
    const t = Date.now();
    expect(await call(calm.s, 'job:list', {})).toEqual([]);
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('limits HTTP requests and new connections per address', async () => {
    await h.start({
      httpLimits: { perSecondPerIp: 1, burstPerIp: 5 },
      relayLimits: { connectsPerSecondPerIp: 1, connectBurstPerIp: 2 },
    });
    const codes = [];
    for (let i = 0; i < 8; i++) codes.push((await post(h.url, '/api/challenge', { name: 'nobody' })).body.error.code);
    expect(codes.slice(0, 5).every((c) => c === 'ERR_UNKNOWN_PARTICIPANT')).toBe(true);
    expect(codes.slice(5)).toEqual(['ERR_RATE_LIMITED', 'ERR_RATE_LIMITED', 'ERR_RATE_LIMITED']);

    const attempt = () =>
      new Promise<string>((resolve) => {
        const s = io(h.url, { auth: { ticket: 'x' }, transports: ['websocket'], reconnection: false, forceNew: true });
        s.on('connect_error', (e: Error & { data?: { code: string } }) => {
          s.close();
          resolve(e.data?.code ?? 'none');
        });
      });
    const got = [await attempt(), await attempt(), await attempt()];
    expect(got).toEqual(['ERR_TICKET_INVALID', 'ERR_TICKET_INVALID', 'ERR_RATE_LIMITED']);
  });
});

describe('behind a proxy (PARLEY_TRUST_PROXY=1)', () => {
  /** A request as one proxy hop forwards it: the client's own X-Forwarded-For, then its address. */
  const via = async (client: string, written: string | null, path: string, body: unknown) => {
    const res = await fetch(h.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': written ? `${written}, ${client}` : client },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const rotating = (i: number) => `10.${i >> 8}.${i & 255}.1`;

  it('keys the HTTP limit on the address the proxy appended, whatever the client writes', async () => {
    await h.start({ trustProxy: 1, httpLimits: { perSecondPerIp: 0.1, burstPerIp: 20 } });
    const codes: string[] = [];
    for (let i = 0; i < 60; i++)
      codes.push((await via('203.0.113.7', rotating(i), '/api/challenge', { name: 'nobody' })).body.error.code);
    expect(codes.filter((c) => c === 'ERR_RATE_LIMITED').length).toBeGreaterThanOrEqual(35);
    // Another client behind the same proxy is not affected.
    expect((await via('198.51.100.9', null, '/api/challenge', { name: 'nobody' })).body.error.code).toBe(
      'ERR_UNKNOWN_PARTICIPANT',
    );
  });

  it('caps open login challenges per address: a flood from one client leaves others able to log in', async () => {
    await h.start({ trustProxy: 1, httpLimits: { perSecondPerIp: 0 } });
    const victim = await makeIdentity('alice');
    const mallory = await makeIdentity('mallory');
    await via('198.51.100.9', null, '/api/register', { name: 'alice', publicKey: victim.publicKey });
    await via('203.0.113.7', null, '/api/register', { name: 'mallory', publicKey: mallory.publicKey });
    const flood = async (client: (i: number) => string) => {
      let granted = 0;
      for (let i = 0; i < 60; i++) {
        const r = await via(client(i), rotating(i), '/api/challenge', { name: i % 2 ? 'alice' : 'mallory' });
        if (r.status === 200) granted++;
        else expect(r.body.error.code).toBe('ERR_RATE_LIMITED');
      }
      return granted;
    };
    expect(await flood(() => '203.0.113.7')).toBeLessThanOrEqual(8);
    // Rotating the low 64 bits of an IPv6 address is the same client.
    expect(await flood((i) => `2001:db8:1:2::${(i + 1).toString(16)}`)).toBeLessThanOrEqual(8);

    const ch = await via('198.51.100.9', rotating(999), '/api/challenge', { name: 'alice' });
    expect(ch.status).toBe(200);
    const signature = await sign(victim, ch.body.challenge, ch.body.serviceKeyId);
    const r = await via('198.51.100.9', null, '/api/login', { name: 'alice', challenge: ch.body.challenge, signature });
    expect(r.status).toBe(200);
    expect(typeof r.body.ticket).toBe('string');
  });
});

describe('operations', () => {
  it('keeps /metrics to the operator when a token is configured', async () => {
    await h.start({ metricsToken: 'op-secret' });
    const anon = await fetch(`${h.url}/metrics`);
    expect(anon.status).toBe(401);
    const op = await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer op-secret' } });
    expect(op.status).toBe(200);
    expect(await op.text()).toContain('parley_connections');
  });

  it('serves /healthz and Prometheus /metrics with connections, jobs and refusals', async () => {
    await h.start();
    const a = await h.online('alice');
    await h.online('bob');
    await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await expect(call(a.s, 'job:accept', { jobId: 'bad' })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ ok: true, node: h.svc.node });
    expect(await (await fetch(`${h.url}/readyz`)).json()).toEqual({ ok: true, node: h.svc.node });
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toContain('parley_connections 2');
    expect(text).toContain('parley_jobs{state="proposed"} 1');
    expect(text).toContain('parley_refusals_total{code="ERR_BAD_REQUEST"} 1');
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).not.toMatch(/ticket|signature/i);
    void login;
    void makeIdentity;
  });
});
