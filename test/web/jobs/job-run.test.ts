// The app's one job lifecycle (web/src/jobs/job-run.svelte.ts): lock, mesh, start, compute,
// report, teardown, with the lock and the mesh replaced by fakes.

import '../../helpers/runes.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../shared/protocol.js';
import type { Connection } from '../../../web/src/connection/connection.svelte.js';
import { BUYER, DEALER, JobRun, PARTY, type RunDeps } from '../../../web/src/jobs/job-run.svelte.js';
import type { JobMesh } from '../../../web/src/mesh/job-mesh.js';
import type { AttachApi } from '../../../workers/jobs/attach.js';

const job = { id: 'job-1', members: ['alice', 'bob'] } as Job;

function world(opts: { locked?: boolean } = {}) {
  const calls: { event: string; body: unknown }[] = [];
  const connection = {
    name: 'alice',
    call: async (event: string, body: unknown) => (calls.push({ event, body }), null),
  } as unknown as Connection;
  let open!: () => void;
  const linkOpen = new Promise<void>((r) => (open = r));
  const mesh = {
    ready: Promise.resolve(),
    peers: [{ whenOpen: () => linkOpen }],
    markComputing: vi.fn(),
    stop: vi.fn(),
  };
  const release = vi.fn();
  const deps: RunDeps<AttachApi> = {
    lockJob: async () => (opts.locked ? null : { release }),
    openMesh: () => mesh as unknown as JobMesh<AttachApi>,
    onStop: vi.fn(),
  };
  return { run: new JobRun<AttachApi>(connection, job, deps), calls, mesh, release, openLinks: open, deps };
}

afterEach(() => vi.useRealTimers());

describe('JobRun', () => {
  it('starts the job, computes, reports done, and tears down once after the last frames', async () => {
    vi.useFakeTimers();
    const w = world();
    const outcome = await w.run.run(PARTY, async () => ({ ok: true, value: 42 }));
    expect(outcome).toEqual({ ok: true, value: 42 });
    expect(w.calls.map((c) => c.event)).toEqual(['job:start', 'job:finish']);
    expect(w.calls[1]!.body).toEqual({ jobId: 'job-1', outcome: 'done' });
    expect(w.mesh.markComputing).toHaveBeenCalledOnce();
    expect(w.run.phase).toBe('ended');
    w.run.stop();
    w.run.stop();
    expect(w.mesh.stop).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.mesh.stop).toHaveBeenCalledOnce();
    expect(w.release).toHaveBeenCalledOnce();
    expect(w.deps.onStop).toHaveBeenCalledOnce();
    expect(w.run.phase).toBe('stopped');
  });

  it('reports a party failure with its code, and a serving member only its own failures', async () => {
    const party = world();
    const failed = await party.run.run(PARTY, async () => ({
      ok: false,
      error: { code: 'ERR_PEER_LEFT', message: 'gone' },
    }));
    expect(failed.ok).toBe(false);
    expect(party.calls.at(-1)!.body).toEqual({ jobId: 'job-1', outcome: 'failed', code: 'ERR_PEER_LEFT' });

    const aborted = world();
    await aborted.run.run(DEALER, async () => ({
      ok: false,
      error: { code: 'ERR_PEER_ABORTED', message: 'a party aborted' },
    }));
    expect(aborted.calls).toEqual([]); // no job:start, and a party's abort is the party's to report

    const dealer = world();
    await dealer.run.run(DEALER, async () => ({ ok: true, value: { requests: 3 } }));
    expect(dealer.calls).toEqual([]); // a serving member's success is the parties' to report
  });

  it('refuses a second run without disturbing the first (no report, same outcome)', async () => {
    const w = world();
    let finish!: (o: { ok: true; value: number }) => void;
    const first = w.run.run(PARTY, () => new Promise<{ ok: true; value: number }>((r) => (finish = r)));
    await new Promise((r) => setTimeout(r, 10));
    const second = await w.run.run(PARTY, async () => ({ ok: true, value: 2 }));
    expect(second).toMatchObject({ ok: false, error: { code: 'ERR_JOB_STATE' } });
    expect(w.run.phase).toBe('running');
    finish({ ok: true, value: 1 });
    expect(await first).toEqual({ ok: true, value: 1 });
    expect(w.run.outcome).toEqual({ ok: true, value: 1 });
    expect(w.calls.map((c) => c.body)).toEqual([{ jobId: 'job-1' }, { jobId: 'job-1', outcome: 'done' }]);
  });

  it('a cancelled job ends a run under way at once, closes its mesh and reports nothing', async () => {
    const w = world();
    const never = w.run.run(PARTY, () => new Promise<never>(() => undefined));
    await vi.waitFor(() => expect(w.run.phase).toBe('running'));
    w.run.cancel({ code: 'ERR_CANCELLED', message: 'cancelled by bob' });
    expect(await never).toEqual({ ok: false, error: { code: 'ERR_CANCELLED', message: 'cancelled by bob' } });
    expect(w.run.busy).toBe(false);
    await vi.waitFor(() => expect(w.mesh.stop).toHaveBeenCalledOnce());
    expect(w.release).toHaveBeenCalledOnce();
    expect(w.calls.map((c) => c.event)).toEqual(['job:start']);
  });

  it('a run stopped before it could lock ends with ERR_CLOSED, not "open elsewhere"', async () => {
    const w = world();
    w.run.stop(0);
    const outcome = await w.run.run(PARTY, vi.fn());
    expect(outcome).toMatchObject({ ok: false, error: { code: 'ERR_CLOSED' } });
    expect(w.release).toHaveBeenCalledOnce();
  });

  it('leaves a job open in another tab alone', async () => {
    const w = world({ locked: true });
    expect(await w.run.open()).toBeNull();
    expect(w.run.phase).toBe('elsewhere');
    const compute = vi.fn();
    const outcome = await w.run.run(DEALER, compute);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'ERR_JOB_STATE' } });
    expect(compute).not.toHaveBeenCalled();
    expect(w.calls.map((c) => c.event)).toEqual(['job:finish']);
  });

  it('waits for the links before starting, and ends early when the job fails at the service', async () => {
    const w = world();
    const compute = vi.fn(async () => ({ ok: true as const, value: 1 }));
    let fail!: (o: { ok: false; error: { code: 'ERR_KEY_UNAVAILABLE'; message: string } }) => void;
    const abort = new Promise<{ ok: false; error: { code: 'ERR_KEY_UNAVAILABLE'; message: string } }>(
      (r) => (fail = r),
    );
    const running = w.run.run(BUYER, compute, { abort });
    await new Promise((r) => setTimeout(r, 10));
    expect(w.calls).toEqual([]); // still waiting for the seller's link
    fail({ ok: false, error: { code: 'ERR_KEY_UNAVAILABLE', message: 'no key' } });
    expect(await running).toMatchObject({ ok: false, error: { code: 'ERR_KEY_UNAVAILABLE' } });
    w.openLinks();
    await new Promise((r) => setTimeout(r, 10));
    expect(compute).not.toHaveBeenCalled();
    expect(w.calls.map((c) => c.event)).toEqual(['job:finish']); // reported, never started
  });
});
