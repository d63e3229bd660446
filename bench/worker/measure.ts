// The measurements the benchmarks run inside a tab's bench worker, where MPC code runs: the
// message layer's (bench/messages.ts) and the engine's (bench/engine.ts), on the job's Pool.

import type { AttachApi } from '../../workers/jobs/attach.js';
import type { RemotePool } from '../../workers/jobs/diagnostics.js';
import type { Pool } from '../../workers/pool/pool.js';
import { createSession, serveDealer } from '../../workers/securenumpy/index.js';
import { benchEngine, type EngineBenchSpec, type PartyFigures } from '../engine/party.js';
import { type JoinBenchSpec, type JoinPartyFigures, joinParty } from '../join-party.js';

export interface Measures {
  /** `rounds` ping-pongs of a 16-byte message; the initiator returns each round trip in ms. */
  pingPong(peer: number, rounds: number, initiator: boolean): Promise<number[]>;
  /** Sends one Float64Array of `bytes` bytes; returns (when acknowledged) the epoch ms it started. */
  sendBulk(peer: number, bytes: number): Promise<number>;
  /** Receives it; returns the epoch ms at which it arrived whole. */
  recvBulk(peer: number): Promise<number>;
  sendSmall(peer: number, count: number): Promise<void>;
  recvSmall(peer: number, count: number): Promise<number>;
  /** Runs bench/engine/party.ts as this party (0 or 1) of a SecureNumpy session on this pool. */
  engine(spec: EngineBenchSpec): Promise<PartyFigures>;
  /** Serves as the SecureNumpy dealer (this pool's party 2) until the parties' session ends. */
  dealer(): Promise<{ requests: number }>;
  /** Runs bench/join-party.ts (the private join, dealer-free) as this party (0 or 1). */
  join(spec: JoinBenchSpec): Promise<JoinPartyFigures>;
}

/** The job's pool driven from the bench page, with the measurements. */
interface BenchPool extends RemotePool {
  measure: Measures;
}

/** What bench/worker/bench.worker.ts exposes. */
export interface BenchApi extends AttachApi {
  openPool(): Promise<BenchPool>;
}

export function measures(pool: Pool): Measures {
  return {
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
      const session = createSession(pool, {
        party: pool.me,
        preprocessing: spec.mode,
        dealer: 2,
        ...(spec.ring !== undefined ? { ring: spec.ring } : {}),
        ...(spec.lanes !== undefined ? { lanes: spec.lanes } : {}),
        ...(spec.otExtension !== undefined ? { otExtension: spec.otExtension } : {}),
      });
      try {
        return await benchEngine(session.snp, pool.me, spec);
      } finally {
        await session.close();
      }
    },
    dealer: () => serveDealer(pool),
    join: (spec) => joinParty(pool, spec),
  };
}
