// Jobs on the real service: the lifecycle with live updates, roles, programs and reveal lists,
// deadlines, job tickets, the member-only relay with its offline queue, presence and the grace
// period, and the triple sources (dealer-free, or a participant dealer; the service never deals).

import { importJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyJobTicket } from '../../shared/job-ticket.js';
import { call, connectAuto, makeIdentity, nextEvent, waitFor } from '../helpers/client.js';
import { Harness } from '../helpers/service.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start({ graceMs: 400 });
});
afterEach(() => h.stop());

async function readyJob(extra: Record<string, unknown> = {}) {
  const a = await h.online('alice');
  const b = await h.online('bob');
  const invited = nextEvent<any>(b.s, 'job:update');
  const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', receiver: 'alice', ...extra });
  expect(job).toMatchObject({
    state: 'proposed',
    members: ['alice', 'bob'],
    reveal: [
      { output: 'sum', to: ['alice'] },
      { output: 'product', to: ['alice'] },
    ],
  });
  expect((await invited).id).toBe(job.id);
  const readyAtA = nextEvent<any>(a.s, 'job:update');
  await call(b.s, 'job:accept', { jobId: job.id });
  expect((await readyAtA).state).toBe('ready');
  return { a, b, job };
}

describe('lifecycle', () => {
  it('runs proposed → ready → running → done with live updates to every member', async () => {
    const { a, b, job } = await readyJob();
    expect((await call(b.s, 'job:start', { jobId: job.id })).state).toBe('running');
    const doneAtB = waitFor<any>(b.s, 'job:update', (j) => j.state === 'done');
    await call(a.s, 'job:finish', { jobId: job.id, outcome: 'done' });
    expect((await doneAtB).id).toBe(job.id);
    // A late failure report does not overwrite the outcome.
    expect((await call(b.s, 'job:finish', { jobId: job.id, outcome: 'failed', code: 'ERR_TIMEOUT' })).state).toBe(
      'done',
    );
  });

  it('declines and cancels, refusing actions in the wrong state', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const j1 = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    expect((await call(b.s, 'job:decline', { jobId: j1.id })).state).toBe('declined');
    await expect(call(b.s, 'job:accept', { jobId: j1.id })).rejects.toMatchObject({ code: 'ERR_JOB_STATE' });
    const j2 = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await expect(call(a.s, 'job:start', { jobId: j2.id })).rejects.toMatchObject({ code: 'ERR_JOB_STATE' });
    const cancelled = waitFor<any>(b.s, 'job:update', (j) => j.id === j2.id && j.state === 'cancelled');
    await call(a.s, 'job:cancel', { jobId: j2.id });
    expect((await cancelled).error).toMatchObject({ code: 'ERR_CANCELLED', message: 'cancelled by alice' });
  });

  it('carries a SecureNumpy program with its hash and reveal list, checked against roles', async () => {
    const a = await h.online('alice');
    await h.online('bob');
    await h.online('carol', ['data-owner', 'compute']);
    const program = 'x = snp.array(data, 0)\nreturn x.sum().revealTo(1)';
    const job = await call(a.s, 'job:propose', {
      kind: 'securenumpy',
      peers: ['bob'],
      program,
      reveal: [{ output: 'total', to: ['bob'] }],
    });
    const { createHash } = await import('node:crypto');
    expect(job.program).toEqual({ text: program, hash: createHash('sha256').update(program).digest('hex') });
    expect(job.roles.bob).toContain('result-receiver');
    await expect(
      call(a.s, 'job:propose', {
        kind: 'securenumpy',
        peers: ['carol'],
        program,
        reveal: [{ output: 't', to: ['carol'] }],
      }),
    ).rejects.toMatchObject({ code: 'ERR_ROLE' });
    await expect(
      call(a.s, 'job:propose', {
        kind: 'securenumpy',
        peers: ['bob'],
        program,
        reveal: [{ output: 't', to: ['dave'] }],
      }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(call(a.s, 'job:propose', { kind: 'securenumpy', peers: ['bob'] })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
  });

  it('carries the number range (ring) to every member and through the store; refuses other rings', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const base = { kind: 'securenumpy', peers: ['bob'], program: 'return 1', reveal: [{ output: 'r', to: ['bob'] }] };
    const invited = nextEvent<any>(b.s, 'job:update');
    const wide = await call(a.s, 'job:propose', { ...base, ring: 128 });
    expect(wide.ring).toBe(128);
    expect((await invited).ring).toBe(128);
    const listed = (await call(b.s, 'job:list', {})) as { id: string; ring: number }[]; // read back from the store
    expect(listed.find((j) => j.id === wide.id)!.ring).toBe(128);
    expect((await call(a.s, 'job:propose', base)).ring).toBe(64);
    for (const ring of [96, 32, '128', 256]) {
      await expect(call(a.s, 'job:propose', { ...base, ring })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    }
    // The sum-and-product preset is written for the standard ring.
    await expect(call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', ring: 128 })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
    expect((await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' })).ring).toBe(64);
  });

  it('carries the named columns (schema) to every member and through the store; refuses bad schemas', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const base = { kind: 'securenumpy', peers: ['bob'], program: 'return 1', reveal: [{ output: 'r', to: ['bob'] }] };
    const schema = { alice: ['frequency', 'purchase'], bob: ['balance', 'wealth'] };
    const invited = nextEvent<any>(b.s, 'job:update');
    const job = await call(a.s, 'job:propose', { ...base, schema });
    expect(job.schema).toEqual(schema);
    expect((await invited).schema).toEqual(schema);
    const listed = (await call(b.s, 'job:list', {})) as { id: string; schema: unknown }[]; // read back from the store
    expect(listed.find((j) => j.id === job.id)!.schema).toEqual(schema);
    expect((await call(a.s, 'job:propose', base)).schema).toBeNull();
    expect((await call(a.s, 'job:propose', { ...base, schema: { bob: ['y'] } })).schema).toEqual({ bob: ['y'] });
    const refused = [
      { carol: ['x'] }, // not a member
      { bob: ['x', 'x'] }, // a column twice
      { bob: [] }, // no column
      { bob: ['1x'] }, // not an identifier
      { bob: ['a-b'] },
      { bob: ['x'.repeat(33)] }, // too long
      { bob: 'x' },
      ['x'],
    ];
    for (const bad of refused) {
      await expect(call(a.s, 'job:propose', { ...base, schema: bad })).rejects.toMatchObject({
        code: 'ERR_BAD_REQUEST',
      });
    }
    // A "__proto__" key (JSON's own property) never becomes the schema's prototype: it is dropped.
    const proto = await call(a.s, 'job:propose', { ...base, schema: JSON.parse('{"__proto__": ["x"], "bob": ["y"]}') });
    expect(proto.schema).toEqual({ bob: ['y'] });
    expect(Object.getPrototypeOf(proto.schema)).toBe(Object.prototype);
    const tooMany = { bob: Array.from({ length: 65 }, (_, i) => `c${i}`) };
    await expect(call(a.s, 'job:propose', { ...base, schema: tooMany })).rejects.toMatchObject({
      code: 'ERR_TOO_LARGE',
    });
    await expect(
      call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', schema: { bob: ['y'] } }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });

  it('carries the private join (key column per joining member, normalisation) through the store; refuses bad joins', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    await h.online('carol');
    const schema = { alice: ['customer_id', 'frequency', 'purchase'], bob: ['balance', 'wealth', 'cid'] };
    const base = {
      kind: 'securenumpy',
      peers: ['bob'],
      program: 'return 1',
      reveal: [{ output: 'r', to: ['bob'] }],
      schema,
    };
    const join = { keys: { alice: 'customer_id', bob: 'cid' }, normalise: 'trim-casefold' };
    const invited = nextEvent<any>(b.s, 'job:update');
    const job = await call(a.s, 'job:propose', { ...base, join });
    expect(job.join).toEqual(join);
    expect((await invited).join).toEqual(join);
    const listed = (await call(b.s, 'job:list', {})) as { id: string; join: unknown }[]; // read back from the store
    expect(listed.find((j) => j.id === job.id)!.join).toEqual(join);
    expect((await call(a.s, 'job:propose', base)).join).toBeNull();
    const refused: [unknown, RegExp][] = [
      [{ keys: { alice: 'customer_id' }, normalise: 'trim' }, /no key column for bob/],
      [{ keys: { alice: 'customer_id', bob: 'customer_id' }, normalise: 'trim' }, /not among the columns bob brings/],
      [{ keys: { alice: 'customer_id', bob: 'cid', carol: 'x' }, normalise: 'trim' }, /only parties 0 and 1 join/],
      [{ keys: { alice: 'customer_id', bob: 'cid' }, normalise: 'lowercase' }, /./], // no such normalisation
      [{ keys: { alice: 'customer_id', bob: 'cid' } }, /./], // no normalisation
      [{ keys: { alice: '1x', bob: 'cid' }, normalise: 'trim' }, /./], // not a column name
      [{ keys: ['customer_id', 'cid'], normalise: 'trim' }, /./],
    ];
    for (const [bad, message] of refused) {
      await expect(call(a.s, 'job:propose', { ...base, join: bad })).rejects.toMatchObject({
        code: 'ERR_BAD_REQUEST',
        message: expect.stringMatching(message),
      });
    }
    // Without a schema no member brings a key column; a third member (party 2) never joins.
    const { schema: _, ...noSchema } = base;
    await expect(call(a.s, 'job:propose', { ...noSchema, join })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(
      call(a.s, 'job:propose', {
        ...base,
        peers: ['carol', 'bob'],
        schema: { ...schema, carol: ['customer_id', 'x'] },
        join: { keys: { alice: 'customer_id', bob: 'cid' }, normalise: 'trim' },
      }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST', message: expect.stringMatching(/only parties 0 and 1 join/) });
    await expect(
      call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', join: { keys: {}, normalise: 'trim' } }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });

  it('carries the dry-run estimate to every member and through the store; refuses bad estimates', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const base = { kind: 'securenumpy', peers: ['bob'], program: 'return 1', reveal: [{ output: 'r', to: ['bob'] }] };
    const estimate = { ms: 12_500, rounds: 340, bytes: 2_000_000, rows: 200, measured: false };
    const invited = nextEvent<any>(b.s, 'job:update');
    const job = await call(a.s, 'job:propose', { ...base, estimate });
    expect(job.estimate).toEqual(estimate);
    expect((await invited).estimate).toEqual(estimate);
    const listed = (await call(b.s, 'job:list', {})) as { id: string; estimate: unknown }[]; // read back from the store
    expect(listed.find((j) => j.id === job.id)!.estimate).toEqual(estimate);
    expect((await call(a.s, 'job:propose', base)).estimate).toBeNull();
    const refused = [
      { ...estimate, ms: -1 },
      { ...estimate, rounds: 1.5 },
      { ...estimate, rows: 0 },
      { ...estimate, extra: 1 },
      { ms: 1, rounds: 1, bytes: 1, rows: 1 }, // measured missing
      'soon',
    ];
    for (const bad of refused) {
      await expect(call(a.s, 'job:propose', { ...base, estimate: bad })).rejects.toMatchObject({
        code: 'ERR_BAD_REQUEST',
      });
    }
    for (const big of [
      { ...estimate, ms: 24 * 3600 * 1000 + 1 },
      { ...estimate, bytes: 1e13 },
    ]) {
      await expect(call(a.s, 'job:propose', { ...base, estimate: big })).rejects.toMatchObject({
        code: 'ERR_TOO_LARGE',
      });
    }
    // Only program jobs carry one.
    await expect(call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', estimate })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
  });

  it('names an optional dealer as a member that must accept, and refuses dealers without the role', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const d = await h.online('dealer1', ['dealer']);
    const program = 'return 1';
    const job = await call(a.s, 'job:propose', {
      kind: 'securenumpy',
      peers: ['bob'],
      program,
      reveal: [{ output: 'r', to: ['alice'] }],
      dealer: 'dealer1',
    });
    expect(job).toMatchObject({
      members: ['alice', 'bob', 'dealer1'],
      dealer: 'dealer1',
      triples: 'participant-dealer',
    });
    await call(b.s, 'job:accept', { jobId: job.id });
    expect((await call(d.s, 'job:accept', { jobId: job.id })).state).toBe('ready');
    await expect(
      call(a.s, 'job:propose', {
        kind: 'securenumpy',
        peers: ['bob'],
        program,
        reveal: [{ output: 'r', to: ['alice'] }],
        dealer: 'bob',
      }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await h.online('carol');
    await expect(
      call(a.s, 'job:propose', {
        kind: 'securenumpy',
        peers: ['bob'],
        program,
        reveal: [{ output: 'r', to: ['alice'] }],
        dealer: 'carol',
      }),
    ).rejects.toMatchObject({ code: 'ERR_ROLE' });
  });

  it('expires a job that passes its deadline, visibly to all members', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', deadlineSeconds: 60 });
    const expired = waitFor<any>(b.s, 'job:update', (j) => j.state === 'expired');
    h.clock += 61_000;
    expect(await expired).toMatchObject({ id: job.id, error: { code: 'ERR_JOB_EXPIRED' } });
    await expect(call(a.s, 'job:accept', { jobId: job.id })).rejects.toMatchObject({ code: 'ERR_JOB_STATE' });
  });
});

describe('job tickets', () => {
  it('gives each member one ticket per peer, bound to the job and the peer as audience', async () => {
    const { a, job } = await readyJob();
    const { tickets } = await call(a.s, 'job:tickets', { jobId: job.id });
    expect(Object.keys(tickets)).toEqual(['bob']);
    const jwk = await (await fetch(`${h.url}/.well-known/parley-service-key`)).json();
    const key = (await importJWK(jwk, 'EdDSA')) as CryptoKey;
    const seen = new Set<string>();
    const claims = await verifyJobTicket(
      tickets.bob,
      key,
      { jobId: job.id, me: 'bob', holder: 'alice', party: 0 },
      { seen, now: h.clock },
    );
    expect(claims).toMatchObject({
      holder: 'alice',
      party: 0,
      jobId: job.id,
      roles: ['data-owner', 'compute', 'result-receiver'],
    });
    expect(claims.key).toEqual((await h.svc.store.getParticipant('alice'))!.publicKey);
    await expect(
      verifyJobTicket(
        tickets.bob,
        key,
        { jobId: job.id, me: 'bob', holder: 'alice', party: 0 },
        { seen, now: h.clock },
      ),
    ).rejects.toMatchObject({ code: 'ERR_TICKET_REPLAY' });
    await expect(
      verifyJobTicket(
        tickets.bob,
        key,
        { jobId: job.id, me: 'carol', holder: 'alice', party: 0 },
        { seen: new Set(), now: h.clock },
      ),
    ).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
  });

  it('issues no tickets before the job is ready', async () => {
    const a = await h.online('alice');
    await h.online('bob');
    const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await expect(call(a.s, 'job:tickets', { jobId: job.id })).rejects.toMatchObject({ code: 'ERR_JOB_STATE' });
  });
});

describe('relay', () => {
  it('relays signaling between members, stamping the sender', async () => {
    const { a, b, job } = await readyJob();
    const got = nextEvent<any>(b.s, 'signal');
    await call(a.s, 'signal', { jobId: job.id, to: 'bob', data: { type: 'offer', sdp: 'v=0' } });
    expect(await got).toEqual({ jobId: job.id, from: 'alice', data: { type: 'offer', sdp: 'v=0' } });
  });

  it('refuses relay to or from a participant outside the job, and before acceptance', async () => {
    const { a, job } = await readyJob();
    const c = await h.online('carol');
    await expect(call(c.s, 'signal', { jobId: job.id, to: 'alice', data: {} })).rejects.toMatchObject({
      code: 'ERR_NOT_MEMBER',
    });
    await expect(call(a.s, 'signal', { jobId: job.id, to: 'carol', data: {} })).rejects.toMatchObject({
      code: 'ERR_NOT_MEMBER',
    });
    await expect(call(c.s, 'job:accept', { jobId: job.id })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_JOB' });
    await expect(call(c.s, 'job:tickets', { jobId: job.id })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_JOB' });
    const j2 = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'carol' });
    await expect(call(a.s, 'signal', { jobId: j2.id, to: 'carol', data: {} })).rejects.toMatchObject({
      code: 'ERR_JOB_STATE',
    });
  });

  it('stops relaying once the job ends, also on connections that relayed in it before', async () => {
    const { a, b, job } = await readyJob();
    const got = nextEvent<any>(b.s, 'signal');
    await call(a.s, 'signal', { jobId: job.id, to: 'bob', data: { n: 1 } });
    await got;
    await call(b.s, 'job:cancel', { jobId: job.id });
    await expect(call(a.s, 'signal', { jobId: job.id, to: 'bob', data: { n: 2 } })).rejects.toMatchObject({
      code: 'ERR_JOB_STATE',
    });
    await expect(call(b.s, 'signal', { jobId: job.id, to: 'alice', data: { n: 3 } })).rejects.toMatchObject({
      code: 'ERR_JOB_STATE',
    });
  });

  it('queues signals for a member who is briefly offline, bounded, and delivers them on return', async () => {
    await h.svc.close();
    await h.start({ graceMs: 5000, relayLimits: { queuePerMember: 3 } });
    const { a, b, job } = await readyJob();
    b.s.close();
    await waitFor<any>(a.s, 'job:presence', (p) => p.online.length === 1);
    for (const i of [1, 2, 3]) await call(a.s, 'signal', { jobId: job.id, to: 'bob', data: { i } });
    await expect(call(a.s, 'signal', { jobId: job.id, to: 'bob', data: { i: 4 } })).rejects.toMatchObject({
      code: 'ERR_RATE_LIMITED',
    });
    const back = h.track(connectAuto(h.url, b.id));
    const got: any[] = [];
    back.on('signal', (s) => got.push(s.data));
    await waitFor(back, 'connect');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it('drops queued signals once they expire', async () => {
    const { a, b, job } = await readyJob();
    b.s.close();
    await waitFor<any>(a.s, 'job:presence', (p) => p.online.length === 1);
    await call(a.s, 'signal', { jobId: job.id, to: 'bob', data: { old: true } });
    h.clock += 61_000;
    const back = h.track(connectAuto(h.url, b.id));
    const got: unknown[] = [];
    back.on('signal', (s) => got.push(s));
    await waitFor(back, 'connect');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([]);
  });
});

describe('presence and grace period', () => {
  it('puts a member who returns within the grace period back into its job', async () => {
    const { a, b, job } = await readyJob();
    const offline = waitFor<any>(a.s, 'job:presence', (p) => p.online.join() === 'alice');
    b.s.close();
    await offline;
    const online = waitFor<any>(a.s, 'job:presence', (p) => p.online.length === 2);
    const back = h.track(connectAuto(h.url, b.id));
    await online;
    await new Promise((r) => setTimeout(r, 600)); // past the grace period
    const [j] = await call(back, 'job:list', {});
    expect(j).toMatchObject({ id: job.id, state: 'ready' });
    expect(await call(back, 'job:presence', { jobId: job.id })).toEqual({ jobId: job.id, online: ['alice', 'bob'] });
  });

  it('fails the job with ERR_PEER_LEFT, visible to all members, after the grace period', async () => {
    const { a, b, job } = await readyJob();
    const failed = waitFor<any>(a.s, 'job:update', (j) => j.state === 'failed', 3000);
    const t = Date.now();
    b.s.close();
    expect(await failed).toMatchObject({ id: job.id, error: { code: 'ERR_PEER_LEFT' } });
    expect(Date.now() - t).toBeGreaterThanOrEqual(350);
  });
});

describe('triple sources', () => {
  it('makes sum-and-product jobs dealer-free, and has no service dealer to ask', async () => {
    const { a, job } = await readyJob();
    expect(job.triples).toBe('dealer-free');
    // The retired service dealer: neither its event nor its option exists any more.
    const unanswered = Promise.race([
      call(a.s, 'dealer:triples' as never, { jobId: job.id, count: 4 }).then(
        () => 'answered',
        () => 'answered',
      ),
      new Promise((r) => setTimeout(() => r('unanswered'), 300)),
    ]);
    expect(await unanswered).toBe('unanswered');
    await expect(
      call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob', triples: 'service-dealer' }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    await expect(
      call(a.s, 'job:propose', {
        kind: 'securenumpy',
        peers: ['bob'],
        program: 'p',
        reveal: [{ output: 'r', to: ['alice'] }],
        triples: 'service-dealer',
      }),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });
});

void makeIdentity;
