// The compute worker of one job: exposes the engine to the page with comlink and reaches the
// peers through a Pool over data channels transferred into this worker. Data stays here.

import * as Comlink from 'comlink';
import { fromErrorInfo, toErrorInfo } from '../shared/errors.js';
import { ParleyError } from '../shared/errors.js';
import type { EngineApi, Outcome, PoolSetup, RemotePool } from './engine-api.js';
import { benchEngine } from './engine-bench.js';
import { ChannelLink } from './pool/channel-link.js';
import type { Link } from './pool/link.js';
import { Pool } from './pool/pool.js';
import { runProgram } from './program.js';
import { createSession, serveDealer } from './securenumpy/index.js';
import { runSumProduct } from './sum-product.js';

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

async function outcome<T>(f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

const api: EngineApi = {
  async attach(controls, setup) {
    const links = new Map<number, Link>(Object.entries(controls).map(([i, port]) => [Number(i), new ChannelLink(port)]));
    attached = { links, setup };
  },

  async sumProduct(job, getTriples, onStage) {
    let pool: Pool;
    try {
      pool = makePool();
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
    const result = await outcome(() =>
      runSumProduct(pool, {
        party: attached!.setup.me as 0 | 1,
        receiver: job.receiver,
        input: job.input,
        triples: job.triples,
        onStage: (s, progress) => void onStage(s, progress),
        async getTriples(count) {
          const r = await getTriples(count);
          if (!r.ok) throw fromErrorInfo(r.error);
          return r.value;
        },
      }),
    );
    await pool.flush().catch(() => undefined); // the last frames reach the peer before the page closes links
    pool.close();
    return result;
  },

  async runProgram(job, onProgress) {
    let pool: Pool;
    try {
      pool = makePool();
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
    const result = await outcome(() => runProgram(pool, { ...job, onProgress: (p) => void onProgress(p) }));
    pool.close();
    return result;
  },

  async serveDealer(onServed) {
    let pool: Pool;
    try {
      pool = makePool();
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
    let last = 0;
    const result = await outcome(() =>
      serveDealer(pool, (n) => {
        if (Date.now() - last < 100) return;
        last = Date.now();
        void onServed(n);
      }),
    );
    if (result.ok) await pool.flush().catch(() => undefined); // the parties hold every correction
    else pool.abort(result.error); // the parties learn the code at once instead of waiting
    pool.close();
    return result;
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
