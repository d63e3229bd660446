// One client generator of `npm run bench:cluster` (bench/cluster.ts forks two): its share of the
// pairs arrives at a steady rate; each member registers, logs in and connects to its own node
// (members 2k and 2k+1 of a pair go to different nodes in the cluster run), the pair forms a job
// and exchanges signals at once, so signals are measured while clients are still arriving.
// Everyone stays connected until the parent says `close`; the latencies go back over IPC.
// Each client has an address of its own (X-Forwarded-For, which the nodes trust from one hop),
// as 10,000 people would: the per-address limits then apply per client, as in production.

import { io } from 'socket.io-client';
import { type ClientSocket, call, makeIdentity, sign } from '../test/helpers/client.js';

export interface GeneratorTask {
  /** The nodes' URLs: member 0 of a pair uses urls[0], member 1 urls[1 % urls.length]. */
  urls: string[];
  /** Global pair numbers [first, first + count). */
  firstPair: number;
  pairs: number;
  /** Client arrivals per second from this generator. */
  arrivalsPerSec: number;
  signalsPerJob: number;
  signalGapMs: number;
}

export interface GeneratorReport {
  errors: Record<string, number>;
  latencyMs: Record<'register' | 'login' | 'connect' | 'propose' | 'accept' | 'signal', number[]>;
  connectedAtEnd: number;
  /** CPU time this generator used, seconds. */
  cpuSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Client n's address, 10.0.0.0/8. */
const address = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function post(url: string, path: string, from: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Connects with a ticket from `from`; rejects with the connect_error data. */
function connect(url: string, from: string, ticket: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const s: ClientSocket = io(url, {
      auth: { ticket },
      transports: ['websocket'],
      extraHeaders: { 'x-forwarded-for': from },
      reconnection: false,
      forceNew: true,
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e: Error & { data?: unknown }) => {
      s.close();
      reject(e.data ?? e);
    });
  });
}
/** Set when the parent ends the run: disconnects from then on are ours, not errors. */
let closing = false;

async function run(task: GeneratorTask): Promise<{ report: GeneratorReport; sockets: ClientSocket[] }> {
  const errors: Record<string, number> = {};
  const fail = (e: unknown) => {
    // fetch's own error says only "fetch failed"; its cause says why (refused, reset, timed out).
    const cause = (e as { cause?: { code?: string; name?: string } }).cause;
    const why = cause ? ` (${cause.code ?? cause.name})` : '';
    const code = ((e as { code?: string }).code ?? (e as Error).message ?? 'unknown') + why;
    errors[code] = (errors[code] ?? 0) + 1;
  };
  const lat: GeneratorReport['latencyMs'] = {
    register: [],
    login: [],
    connect: [],
    propose: [],
    accept: [],
    signal: [],
  };
  const timed = async <T>(bucket: number[], f: () => Promise<T>): Promise<T | undefined> => {
    const t = performance.now();
    try {
      const v = await f();
      bucket.push(performance.now() - t);
      return v;
    } catch (e) {
      fail(e);
      return undefined;
    }
  };
  const sockets: ClientSocket[] = [];

  async function client(n: number, url: string): Promise<ClientSocket | undefined> {
    const name = `u${n}`;
    const from = address(n);
    const id = await makeIdentity(name);
    const reg = await timed(lat.register, async () => {
      const r = await post(url, '/api/register', from, { name, publicKey: id.publicKey });
      if (r.status >= 300) throw r.body.error;
      return true;
    });
    if (!reg) return undefined;
    const ticket = await timed(lat.login, async () => {
      const ch = await post(url, '/api/challenge', from, { name });
      if (ch.status !== 200) throw ch.body.error;
      const r = await post(url, '/api/login', from, {
        name,
        challenge: ch.body.challenge,
        signature: await sign(id, ch.body.challenge, ch.body.serviceKeyId),
      });
      if (r.status !== 200) throw r.body.error;
      return r.body.ticket as string;
    });
    const s = ticket ? await timed(lat.connect, () => connect(url, from, ticket)) : undefined;
    if (s) {
      sockets.push(s);
      s.on('disconnect', (reason) => closing || fail(new Error(`disconnected: ${reason}`)));
    }
    return s;
  }

  async function pair(p: number): Promise<void> {
    const names = [`u${2 * p}`, `u${2 * p + 1}`];
    const [a, b] = await Promise.all([
      client(2 * p, task.urls[0]!),
      sleep(1000 / task.arrivalsPerSec).then(() => client(2 * p + 1, task.urls[1 % task.urls.length]!)),
    ]);
    if (!a || !b) return fail(new Error('not connected'));
    const job = await timed(lat.propose, () => call(a, 'job:propose', { kind: 'sum-product', peer: names[1] }));
    if (!job) return;
    if (!(await timed(lat.accept, () => call(b, 'job:accept', { jobId: job.id })))) return;
    const half = task.signalsPerJob / 2;
    const exchange = (from: ClientSocket, to: ClientSocket, peer: string) =>
      new Promise<void>((resolve) => {
        let got = 0;
        const sent = new Map<number, number>();
        const lost = setTimeout(() => {
          fail(new Error('signal not delivered within 30 s'));
          resolve();
        }, 30_000);
        to.on('signal', (s) => {
          lat.signal.push(performance.now() - sent.get((s.data as { k: number }).k)!);
          if (++got === half) {
            clearTimeout(lost);
            resolve();
          }
        });
        void (async () => {
          for (let k = 0; k < half; k++) {
            sent.set(k, performance.now());
            call(from, 'signal', { jobId: job.id, to: peer, data: { k, sdp: 'x'.repeat(200) } }).catch(fail);
            await sleep(task.signalGapMs);
          }
        })();
      });
    await Promise.all([exchange(a, b, names[1]!), exchange(b, a, names[0]!)]);
  }

  // Pair p's first member arrives at 2p / rate, its second half a period later.
  await Promise.all(
    Array.from({ length: task.pairs }, async (_, i) => {
      await sleep((2 * i * 1000) / task.arrivalsPerSec);
      await pair(task.firstPair + i);
    }),
  );
  const cpu = process.cpuUsage();
  const report = {
    errors,
    latencyMs: lat,
    connectedAtEnd: sockets.filter((s) => s.connected).length,
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
  };
  return { report, sockets };
}

process.once('message', async (task: GeneratorTask) => {
  const { report, sockets } = await run(task);
  process.send!({ report });
  process.once('message', () => {
    closing = true;
    for (const s of sockets) s.close();
    process.exit(0);
  });
});
