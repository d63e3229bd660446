// The message layer between real tabs over real WebRTC: ordered delivery and buffering between
// two tabs, a three-tab mesh with ids scoped by sender, and a 50 MB typed array that arrives
// exactly once although its connection is dropped and re-established mid-transfer.

import { expect, formPoolJob, test } from './fixtures.js';

test('two tabs: ordered delivery without ids, buffering, and receive-before-send', async ({ openParty }) => {
  const {
    pages: [a, b],
  } = await formPoolJob(openParty, 2);
  const waiting = b!.evaluate(() => (globalThis as any).pool.recv(0, 'later'));
  await a!.evaluate(async () => {
    const pool = (globalThis as any).pool;
    for (let i = 0; i < 200; i++) await pool.send(1, { i, data: new Uint16Array([i]) });
    await pool.send(1, 'finally', 'later');
  });
  expect(await waiting).toEqual({ ok: true, value: 'finally' });
  const got = await b!.evaluate(async () => {
    const pool = (globalThis as any).pool;
    const out = [];
    for (let i = 0; i < 200; i++) {
      const r = await pool.recv(0);
      out.push(r.value.i === i && r.value.data instanceof Uint16Array && r.value.data[0] === i);
    }
    return out.every(Boolean);
  });
  expect(got).toBe(true);
});

test('three tabs: a full mesh, ids scoped by sender, coded errors', async ({ openParty }) => {
  const { pages } = await formPoolJob(openParty, 3);
  await Promise.all(
    pages.map((p, i) => p.evaluate((me) => (globalThis as any).pool.broadcast({ from: me }, 'hello'), i)),
  );
  for (const [i, p] of pages.entries()) {
    const got = await p.evaluate(async (me) => {
      const pool = (globalThis as any).pool;
      const peers = [0, 1, 2].filter((x) => x !== me);
      return Promise.all(peers.map((x) => pool.recv(x, 'hello')));
    }, i);
    expect(got).toEqual([0, 1, 2].filter((x) => x !== i).map((x) => ({ ok: true, value: { from: x } })));
  }
  const second = await pages[1]!.evaluate(() => (globalThis as any).pool.recv(0, 'hello'));
  expect(second).toMatchObject({ ok: false, error: { code: 'ERR_DUPLICATE_ID' } });
  const timeout = await pages[2]!.evaluate(() => (globalThis as any).pool.recv(1, 'never', 200));
  expect(timeout).toMatchObject({ ok: false, error: { code: 'ERR_TIMEOUT' } });
});

test('50 MB arrive exactly once across a dropped and re-established connection', async ({ openParty }) => {
  test.setTimeout(120_000);
  const {
    pages: [a, b],
    jobId,
  } = await formPoolJob(openParty, 2);
  const received = b!.evaluate(async () => {
    const r = await (globalThis as any).pool.recv(0, 'big');
    if (!r.ok) return r;
    const v = r.value as Float64Array;
    let ok = v instanceof Float64Array && v.length === (50 * 1024 * 1024) / 8;
    for (let i = 0; ok && i < v.length; i++) ok = v[i] === i * 1.5;
    return { ok, length: v.length };
  });
  const sent = a!.evaluate(async () => {
    const big = new Float64Array((50 * 1024 * 1024) / 8);
    for (let i = 0; i < big.length; i++) big[i] = i * 1.5;
    return (globalThis as any).pool.send(1, big, 'big');
  });
  // Drop the channel from the receiving tab as soon as 5 MiB have arrived (watched inside the
  // page, so the drop lands while frames are in flight); the tabs reconnect through the service.
  await b!.evaluate(
    ([id]) =>
      new Promise<void>((resolve) => {
        const g = globalThis as any;
        const timer = setInterval(async () => {
          if ((await g.pool.stats()).bytesReceived > 5 << 20) {
            clearInterval(timer);
            g.parley.drop(id, 'party0');
            resolve();
          }
        }, 2);
      }),
    [jobId],
  );
  expect(await sent).toEqual({ ok: true, value: null });
  expect(await received).toEqual({ ok: true, length: (50 * 1024 * 1024) / 8 });
  const stats = await a!.evaluate(() => (globalThis as any).pool.stats());
  expect(stats.framesResent).toBeGreaterThan(0);
  expect(await a!.evaluate(() => (globalThis as any).pool.flush())).toEqual({ ok: true, value: null });
});

test('five tabs: the fixture forms a full mesh of ten authenticated connections', async ({ openParty }) => {
  test.setTimeout(120_000);
  const { pages } = await formPoolJob(openParty, 5);
  await Promise.all(pages.map((p, i) => p.evaluate((me) => (globalThis as any).pool.broadcast(me * 11, 'round1'), i)));
  for (const [i, p] of pages.entries()) {
    const got = await p.evaluate(async (me) => {
      const pool = (globalThis as any).pool;
      const peers = [0, 1, 2, 3, 4].filter((x) => x !== me);
      return (await Promise.all(peers.map((x) => pool.recv(x, 'round1')))).map((r: { value: number }) => r.value);
    }, i);
    expect(got).toEqual([0, 1, 2, 3, 4].filter((x) => x !== i).map((x) => x * 11));
  }
});
