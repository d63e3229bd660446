// Restarting the service on the same SQLite file loses nothing: participants, the service key
// (old tickets still verify), jobs, queued signals; tabs reconnect on their own and a live job
// resumes within the grace period.

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../signaling/migrations.js';
import { SqliteStore } from '../../signaling/store.js';
import { call, connect, connectAuto, login, makeIdentity, post, waitFor } from '../helpers/client.js';
import { Harness } from '../helpers/service.js';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start({ graceMs: 3000 });
});
afterEach(() => h.stop());

describe('restart', () => {
  it('keeps participants, jobs and the service key in the SQLite file', async () => {
    const a = await makeIdentity('alice');
    const b = await makeIdentity('bob');
    await login(h.url, b);
    const sa = await connect(h.url, (await login(h.url, a)).body.ticket);
    const job = await call(sa, 'job:propose', { kind: 'sum-product', peer: 'bob', receiver: 'alice' });
    const unused = (await login(h.url, a)).body.ticket;
    sa.close();
    await h.svc.close();

    await h.start();
    expect((await post(h.url, '/api/register', { name: 'alice', publicKey: b.publicKey })).body.error.code).toBe(
      'ERR_NAME_TAKEN',
    );
    const again = h.track(await connect(h.url, unused)); // same service key: the ticket still verifies
    expect((await call(again, 'job:list', {})).map((j: { id: string }) => j.id)).toEqual([job.id]);
  });

  it('resumes a live job when the service is killed mid-job and restarted', async () => {
    const a = await makeIdentity('alice');
    const b = await makeIdentity('bob');
    const sa = h.track(connectAuto(h.url, a));
    const sb = h.track(connectAuto(h.url, b));
    await Promise.all([waitFor(sa, 'connect'), waitFor(sb, 'connect')]);
    const job = await call(sa, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await call(sb, 'job:accept', { jobId: job.id });
    await call(sa, 'job:start', { jobId: job.id });
    // bob drops first: alice's signal is queued in the store.
    sb.disconnect();
    await waitFor<any>(sa, 'job:presence', (p) => p.online.length === 1);
    await call(sa, 'signal', { jobId: job.id, to: 'bob', data: { hello: 'bob' } });

    const port = new URL(h.url).port;
    await h.svc.close(); // tabs see a disconnect and retry on their own
    await h.start({ port: Number(port), graceMs: 3000 });
    await waitFor(sa, 'connect', () => true, 5000);
    const got = waitFor<any>(sb, 'signal', () => true, 5000);
    sb.connect();
    expect((await got).data).toEqual({ hello: 'bob' });
    await new Promise((r) => setTimeout(r, 200));
    const [j] = await call(sb, 'job:list', {});
    expect(j).toMatchObject({ id: job.id, state: 'running' });
    expect(await call(sa, 'job:presence', { jobId: job.id })).toEqual({ jobId: job.id, online: ['alice', 'bob'] });
  });

  it('fails a live job whose member does not come back after a restart', async () => {
    const a = await h.online('alice');
    const b = await h.online('bob');
    const job = await call(a.s, 'job:propose', { kind: 'sum-product', peer: 'bob' });
    await call(b.s, 'job:accept', { jobId: job.id });
    await h.svc.close();
    await h.start({ graceMs: 200 });
    const sa = h.track(connectAuto(h.url, a.id));
    await waitFor<any>(sa, 'job:update', (j) => j.state === 'failed' && j.error.code === 'ERR_PEER_LEFT', 3000);
  });

  it('migrates a database of the first schema version, keeping its rows', async () => {
    const file = `${h.dir}/v1.db`;
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0]!);
    v1.prepare('INSERT INTO participants VALUES (?, ?, ?, ?)').run('old', JSON.stringify({ kty: 'EC' }), 'kid', 1);
    v1.prepare(
      "INSERT INTO jobs VALUES ('j1', 'sum-product', '[\"old\",\"b\"]', '[\"old\"]', 'old', 'service-dealer', 'proposed', NULL, 1, 1)",
    ).run();
    v1.close();
    const store = new SqliteStore(file);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(await store.getParticipant('old')).toMatchObject({
      roles: ['data-owner', 'compute', 'result-receiver'],
      revokedAt: null,
    });
    expect(await store.getJob('j1')).toMatchObject({
      members: ['old', 'b'],
      state: 'cancelled',
      reveal: [],
      error: { code: 'ERR_UNSUPPORTED' },
    });
    await store.close();
  });

  it('cancels open jobs of the retired service dealer with a code, keeps finished ones, and drops its seeds', async () => {
    const file = `${h.dir}/v4.db`;
    const v4 = new Database(file);
    for (const sql of MIGRATIONS.slice(0, 4)) v4.exec(sql);
    v4.pragma('user_version = 4');
    const insert = v4.prepare(
      `INSERT INTO jobs (id, kind, members, accepted, receiver, triples, state, error, created_at, updated_at)
       VALUES (?, 'sum-product', '["a","b"]', '["a"]', '', ?, ?, NULL, 1, 1)`,
    );
    insert.run('open', 'service-dealer', 'ready');
    insert.run('done', 'service-dealer', 'done');
    insert.run('free', 'dealer-free', 'proposed');
    v4.prepare('INSERT INTO dealer (job_id, count, seed0, seed1) VALUES (?, 4, ?, ?)').run(
      'open',
      Buffer.alloc(16),
      Buffer.alloc(16),
    );
    v4.close();
    const store = new SqliteStore(file);
    expect(await store.getJob('open')).toMatchObject({
      state: 'cancelled',
      triples: 'dealer-free',
      error: { code: 'ERR_UNSUPPORTED' },
    });
    expect((await store.getJob('open'))!.error!.message).toContain('service dealer was retired');
    expect(await store.getJob('done')).toMatchObject({ state: 'done', triples: 'dealer-free', error: null });
    expect(await store.getJob('free')).toMatchObject({ state: 'proposed', triples: 'dealer-free', error: null });
    await store.close();
    const after = new Database(file);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'dealer'").all()).toEqual([]);
    after.close();
  });
});
