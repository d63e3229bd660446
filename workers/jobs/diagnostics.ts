// Diagnostics of the message layer (opt-in from the page, see web/src/debug.ts): a job's
// Pool driven from the page, so end-to-end tests exercise the shipped connections, channels and
// worker between real tabs. It gives a tab no power it does not already have.

import { type Outcome, outcome } from '../outcome.js';
import type { Pool } from '../pool/pool.js';

/** A pool driven from the page. */
export interface RemotePool {
  send(peer: number | string, value: unknown, id?: string): Promise<Outcome<null>>;
  recv(peer: number | string, id?: string, timeoutMs?: number): Promise<Outcome<unknown>>;
  broadcast(value: unknown, id: string): Promise<Outcome<null>>;
  flush(): Promise<Outcome<null>>;
  stats(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface DiagnosticsApi {
  /** Opens the job's pool (instead of a computation); returns a handle. */
  openPool(): Promise<RemotePool>;
}

/** The handle on `pool` (a plain object: the caller wraps it with Comlink.proxy). */
export function remotePool(pool: Pool): RemotePool {
  return {
    send: (peer, value, id) => outcome(async () => (await pool.send(peer, value, id), null)),
    recv: (peer, id, timeoutMs) => outcome(() => pool.recv(peer, id, { timeoutMs })),
    broadcast: (value, id) => outcome(async () => (await pool.broadcast(value, id), null)),
    flush: () => outcome(async () => (await pool.flush(), null)),
    stats: async () => ({ ...pool.stats }),
    close: async () => pool.close(),
  };
}
