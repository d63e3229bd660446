// Builds the whole service from its parts (store, key, tickets, auth, jobs, sockets, HTTP) so
// tests can start it in-process on a random port with a temporary database.

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { Server } from 'socket.io';
import type { IceServer } from '../shared/protocol.js';
import { Auth } from './auth.js';
import { createHttpHandler } from './http.js';
import { Jobs } from './jobs.js';
import { loadServiceKey } from './service-key.js';
import { attachSockets, type ParleyServer } from './sockets.js';
import { Store } from './store.js';
import { TicketAuthority } from './tickets.js';

export interface ServiceOptions {
  /** SQLite file; the service key is kept in the same folder. */
  dbFile: string;
  /** Built app to serve, or null for an API-only service. */
  staticDir: string | null;
  host?: string;
  port?: number;
  /** Session ticket lifetime in seconds (default one hour). */
  sessionTtlSeconds?: number;
  /** STUN/TURN servers handed to tabs (default none: direct connections only). */
  iceServers?: IceServer[];
  /** Clock in milliseconds; tests inject one to expire tickets. */
  now?: () => number;
}

export interface Service {
  url: string;
  http: HttpServer;
  io: ParleyServer;
  store: Store;
  close(): Promise<void>;
}

export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

export async function createService(opts: ServiceOptions): Promise<Service> {
  const now = opts.now ?? Date.now;
  const store = new Store(opts.dbFile);
  const serviceKey = await loadServiceKey(dirname(opts.dbFile));
  const tickets = new TicketAuthority(serviceKey, now, opts.sessionTtlSeconds ?? 3600);
  const auth = new Auth(store, tickets, serviceKey.keyId, now);
  const jobs = new Jobs(store, now);

  const handler = createHttpHandler({ auth, serviceKey, staticDir: opts.staticDir, config: { iceServers: opts.iceServers ?? [] } });
  const http = createServer((req, res) => void handler(req, res));
  const io: ParleyServer = new Server(http, { maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES, serveClient: false });
  attachSockets(io, { tickets, jobs, store, now });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  let closed = false;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    http,
    io,
    store,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => io.close(() => resolve()));
      store.close();
    },
  };
}
