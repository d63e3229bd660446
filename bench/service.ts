// `npm run bench:service`: 1,000 concurrent socket.io clients against the real service (a
// separate process on a temporary SQLite file) register, log in, connect, form 500 two-member
// jobs and exchange 20 signaling messages per job. Prints p50/p99 latency per step, errors and
// the service's peak memory as JSON, with a baseline (plain GET /healthz at the same concurrency).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClientSocket,
  call,
  connect,
  makeIdentity,
  post,
  sign,
  type TestIdentity,
} from '../test/helpers/client.js';

const CLIENTS = Number(process.env.CLIENTS ?? 1000);
const SIGNALS_PER_JOB = 20;
/** Arrival rate of clients (and of job formations, at half this rate); 0 = all at once. */
const RAMP_PER_SEC = Number(process.env.RAMP_PER_SEC ?? 200);
/** Gap between one member's signals, as when ICE candidates trickle in. */
const SIGNAL_GAP_MS = Number(process.env.SIGNAL_GAP_MS ?? 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Starts f(i) for each i, spread at `perSec` starts per second (all at once when 0). */
const ramp = <T>(n: number, perSec: number, f: (i: number) => Promise<T>) =>
  Promise.all(
    Array.from({ length: n }, async (_, i) => {
      if (perSec > 0) await sleep((i * 1000) / perSec);
      return f(i);
    }),
  );

const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/main.ts'], {
  env: {
    ...process.env,
    PORT: '0',
    PARLEY_DB: join(dir, 'parley.db'),
    LOG_LEVEL: 'warn',
    PARLEY_RATE_HTTP: '0',
    PARLEY_RATE_CONNECT: '0',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  child.stdout.on('data', (b: Buffer) => {
    const m = /running at (\S+)/.exec(b.toString());
    if (m) resolve(m[1]!);
  });
  child.on('exit', (code) => reject(new Error(`service exited with ${code}`)));
});

const errors: Record<string, number> = {};
const fail = (e: unknown) => {
  const code = (e as { code?: string }).code ?? (e as Error).message ?? 'unknown';
  errors[code] = (errors[code] ?? 0) + 1;
};

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => +(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN).toFixed(1);
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: q(1) };
}

async function timed<T>(bucket: number[], f: () => Promise<T>): Promise<T | undefined> {
  const t = performance.now();
  try {
    const v = await f();
    bucket.push(performance.now() - t);
    return v;
  } catch (e) {
    fail(e);
    return undefined;
  }
}

const lat = {
  register: [] as number[],
  login: [] as number[],
  connect: [] as number[],
  propose: [] as number[],
  accept: [] as number[],
  signal: [] as number[],
  healthz: [] as number[],
};

// Baseline: the cheapest request the service answers, at the same arrival rate.
await ramp(CLIENTS, RAMP_PER_SEC, () => timed(lat.healthz, () => fetch(`${url}/healthz`).then((r) => r.json())));

const ids: TestIdentity[] = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => makeIdentity(`user${i}`)));
const started = performance.now();
// Each client arrives, registers, logs in and connects, and stays connected.
const sockets = await ramp(CLIENTS, RAMP_PER_SEC, async (i) => {
  const id = ids[i]!;
  const reg = await timed(lat.register, async () => {
    const r = await post(url, '/api/register', { name: id.name, publicKey: id.publicKey });
    if (r.status >= 300) throw r.body.error;
    return true;
  });
  if (!reg) return undefined;
  const ticket = await timed(lat.login, async () => {
    const ch = await post(url, '/api/challenge', { name: id.name });
    if (ch.status !== 200) throw ch.body.error;
    const r = await post(url, '/api/login', {
      name: id.name,
      challenge: ch.body.challenge,
      signature: await sign(id, ch.body.challenge, ch.body.serviceKeyId),
    });
    if (r.status !== 200) throw r.body.error;
    return r.body.ticket as string;
  });
  return ticket ? timed(lat.connect, () => connect(url, ticket)) : undefined;
});
const connectedAtOnce = sockets.filter((s) => s?.connected).length;

// Pairs (2i, 2i+1) form a job; then each side sends SIGNALS_PER_JOB / 2 signals to the other.
await ramp(CLIENTS / 2, RAMP_PER_SEC / 2, async (i) => {
  const [a, b] = [sockets[2 * i], sockets[2 * i + 1]];
  if (!a || !b) return fail(new Error('not connected'));
  const job = await timed(lat.propose, () => call(a, 'job:propose', { kind: 'sum-product', peer: `user${2 * i + 1}` }));
  if (!job) return;
  await timed(lat.accept, () => call(b, 'job:accept', { jobId: job.id }));
  const exchange = (from: ClientSocket, to: ClientSocket, peer: string) =>
    new Promise<void>((resolve) => {
      let got = 0;
      const sent = new Map<number, number>();
      to.on('signal', (s) => {
        lat.signal.push(performance.now() - sent.get((s.data as { k: number }).k)!);
        if (++got === SIGNALS_PER_JOB / 2) resolve();
      });
      void (async () => {
        for (let k = 0; k < SIGNALS_PER_JOB / 2; k++) {
          sent.set(k, performance.now());
          call(from, 'signal', { jobId: job.id, to: peer, data: { k, sdp: 'x'.repeat(200) } }).catch(fail);
          if (SIGNAL_GAP_MS) await sleep(SIGNAL_GAP_MS);
        }
      })();
    });
  await Promise.all([exchange(a, b, `user${2 * i + 1}`), exchange(b, a, `user${2 * i}`)]);
});
const totalMs = performance.now() - started;

const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
for (const s of sockets) s?.close();
child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

const report = {
  clients: CLIENTS,
  connectedAtOnce,
  arrivalsPerSecond: RAMP_PER_SEC || 'all at once',
  signalGapMs: SIGNAL_GAP_MS,
  jobs: CLIENTS / 2,
  signals: lat.signal.length,
  totalSeconds: +(totalMs / 1000).toFixed(2),
  errors,
  latencyMs: {
    register: stats(lat.register),
    login: stats(lat.login),
    connect: stats(lat.connect),
    propose: stats(lat.propose),
    accept: stats(lat.accept),
    signalDelivery: stats(lat.signal),
  },
  baselineHealthzMs: stats(lat.healthz),
  servicePeakMemoryMB: +(peakKb / 1024).toFixed(1),
  targets: { errors: 0, p99Ms: 250, peakMemoryMB: 300 },
};
console.log(JSON.stringify(report, null, 2));
process.exit(0);
