// The compute worker of one job: exposes the engine to the page with comlink and reaches the
// peers through a Pool over data channels transferred into this worker. Data stays here.

import * as Comlink from 'comlink';
import { toErrorInfo } from '../shared/errors.js';
import { ParleyError } from '../shared/errors.js';
import type { EngineApi, Outcome, PoolSetup, RemotePool } from './engine-api.js';
import { benchEngine } from './engine-bench.js';
import { ChannelLink } from './pool/channel-link.js';
import type { Link } from './pool/link.js';
import { Pool } from './pool/pool.js';
import { runProgram } from './program.js';
import { createSession, serveDealer } from './securenumpy/index.js';
import { runBuyerJob, runSellerJob } from './market/job.js';
import { outcome, unwrap } from './outcome.js';

let attached: { links: Map<number, Link>; setup: PoolSetup } | null = null;
let pooled = false;

/** The job's one Pool: links carry one reliable session each, so a second pool is refused. */
function makePool(): Pool {
  if (!attached) throw new ParleyError('ERR_CLOSED', 'no connections are attached to this worker');
  if (pooled) throw new ParleyError('ERR_JOB_STATE', 'this job already ran its computation');
  pooled = true;
  const { links, setup } = attached;
  return new Pool({ parties: setup.parties, me: setup.me, links, graceMs: setup.graceMs });
}

/**
 * Runs one computation on the job's pool: afterwards flushes ('always', or only when it
 * succeeded), aborts on failure when asked (peers learn the code at once), then closes.
 */
async function onPool<T>(opts: { flush?: 'always' | 'ok'; abort?: boolean }, compute: (pool: Pool) => Promise<T>): Promise<Outcome<T>> {
  let pool: Pool;
  try {
    pool = makePool();
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
  const result = await outcome(() => compute(pool));
  if (opts.flush === 'always' || (opts.flush === 'ok' && result.ok)) await pool.flush().catch(() => undefined);
  if (!result.ok && opts.abort) pool.abort(result.error);
  pool.close();
  return result;
}

const api: EngineApi = {
  async attach(controls, setup) {
    const links = new Map<number, Link>(Object.entries(controls).map(([i, port]) => [Number(i), new ChannelLink(port)]));
    attached = { links, setup };
  },

  runProgram(job, onProgress) {
    return onPool({}, (pool) => runProgram(pool, { ...job, onProgress: (p) => void onProgress(p) }));
  },

  serveDealer(onServed) {
    let last = 0;
    // On success the parties hold every correction; on failure they learn the code at once.
    return onPool({ flush: 'ok', abort: true }, (pool) =>
      serveDealer(pool, (n) => {
        if (Date.now() - last < 100) return;
        last = Date.now();
        void onServed(n);
      }),
    );
  },

  marketSeller(job, recordDecryption, onServed) {
    return onPool({ flush: 'ok', abort: true }, (pool) =>
      runSellerJob(pool, {
        ...job,
        recordDecryption: (seq) => unwrap(recordDecryption(seq)).then(() => undefined),
        onServed: (op, n) => void onServed(op, n),
      }),
    );
  },

  marketBuyer(job, requestDecryption, onStage) {
    return onPool({ abort: true }, (pool) =>
      runBuyerJob(pool, {
        ...job,
        requestDecryption: (body) => unwrap(requestDecryption(body)),
        onStage: (s, d, t) => void onStage(s, d, t),
      }),
    );
  },

  async openPool() {
    const pool = makePool();
    const handle: RemotePool = {
      send: (peer, value, id) => outcome(async () => (await pool.send(peer, value, id), null)),
      recv: (peer, id, timeoutMs) => outcome(() => pool.recv(peer, id, { timeoutMs })),
      broadcast: (value, id) => outcome(async () => (await pool.broadcast(value, id), null)),
      flush: () => outcome(async () => (await pool.flush(), null)),
      stats: async () => ({ ...pool.stats }),
      close: async () => pool.close(),
      measure: {
        async pingPong(peer, rounds, initiator) {
          const times: number[] = [];
          const ping = new Uint8Array(16);
          for (let i = 0; i < rounds; i++) {
            if (initiator) {
              const t = performance.now();
              await pool.send(peer, ping, `ping${i}`);
              await pool.recv(peer, `pong${i}`);
              times.push(performance.now() - t);
            } else {
              await pool.send(peer, await pool.recv(peer, `ping${i}`), `pong${i}`);
            }
          }
          return times;
        },
        async sendBulk(peer, bytes) {
          const data = new Float64Array(bytes / 8).fill(1.5);
          const startedAt = performance.timeOrigin + performance.now();
          await pool.send(peer, data);
          await pool.flush();
          return startedAt;
        },
        async recvBulk(peer) {
          await pool.recv(peer);
          return performance.timeOrigin + performance.now();
        },
        async sendSmall(peer, count) {
          for (let i = 0; i < count; i++) void pool.send(peer, { i, v: 0.5 });
          await pool.flush();
        },
        async recvSmall(peer, count) {
          for (let i = 0; i < count; i++) await pool.recv(peer);
          return performance.timeOrigin + performance.now();
        },
        async engine(spec) {
          const session = createSession(pool, { party: pool.me, preprocessing: spec.mode, dealer: 2 });
          try {
            return await benchEngine(session.snp, pool.me, spec);
          } finally {
            await session.close();
          }
        },
        dealer: () => serveDealer(pool),
      },
    };
    return Comlink.proxy(handle);
  },
};

Comlink.expose(api);
