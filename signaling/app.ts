// Builds the whole service from its parts (store, key, the coordinator, tickets, auth, the
// notifier, jobs, market and its ledger, presence, sockets, HTTP) so tests can start it
// in-process on a random port with a temporary database. Each part gets what it needs at
// construction, in that order.

import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { type IceServer, LIVE_STATES, OPEN_STATES } from '../shared/protocol.js';
import { type Admission, Auth, CHALLENGE_TTL_MS } from './auth.js';
import { Blobs, DEFAULT_MAX_BLOB_BYTES } from './blobs.js';
import { clientAddress } from './client-address.js';
import { createCoordination } from './coordinator/create.js';
import { createHttpHandler, type HttpLimits } from './http.js';
import { Jobs } from './jobs.js';
import { LedgerStore } from './ledger-store.js';
import { createLogger } from './log.js';
import { Market } from './market.js';
import { Metrics } from './metrics.js';
import { Notifier, type ParleyServer } from './notifier.js';
import { Presence } from './presence.js';
import { checkServiceKey, loadServiceKey } from './service-key.js';
import { attachSockets, DEFAULT_RELAY_LIMITS, type RelayLimits } from './sockets.js';
import { watchNodes } from './store/nodes.js';
import { openBlobStore, openStore } from './store/open.js';
import type { Store } from './store.js';
import { TicketAuthority } from './tickets.js';
import { publicIceServers, type TurnOptions } from './turn.js';

export interface ServiceOptions {
  /** SQLite file; the service key is kept in the same folder (with a database URL too). */
  dbFile: string;
  /** PostgreSQL instead of the SQLite file (signaling/store/pg.ts). */
  databaseUrl?: string;
  /** Connections to PostgreSQL (default 10). */
  poolSize?: number;
  /** Where blobs go: 'pg' (the default with a database URL) or 'dir' (beside the SQLite file). */
  blobStore?: 'dir' | 'pg';
  /** A provisioned service key (several nodes); default: made and kept beside the SQLite file. */
  serviceKeyFile?: string;
  /** Built app to serve, or null for an API-only service. */
  staticDir: string | null;
  host?: string;
  port?: number;
  /** Session ticket lifetime in seconds (default one hour). */
  sessionTtlSeconds?: number;
  /**
   * STUN/TURN servers (default none: direct connections only). Entries without credentials are
   * public (/api/config); entries with credentials go to logged-in sessions only (`ice:servers`).
   */
  iceServers?: IceServer[];
  /** TURN REST: short-lived credentials minted per logged-in session (signaling/turn.ts). */
  turn?: TurnOptions;
  /** 'invite' requires an operator's invitation code to register. */
  admission?: Admission;
  /** How long a member may be disconnected before its live jobs fail (default 20 s). */
  graceMs?: number;
  /** socket.io heartbeat: ping every `pingIntervalMs`, drop after `pingTimeoutMs` without pong. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** How often deadlines and operator revocations are checked (default 1 s). */
  sweepMs?: number;
  relayLimits?: Partial<RelayLimits>;
  httpLimits?: Partial<HttpLimits>;
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /**
   * Trusted proxy hops in front of the service (default 0): the client address is the
   * X-Forwarded-For entry this many places from the right (signaling/client-address.ts).
   */
  trustProxy?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  logger?: Logger;
  /** Largest marketplace blob upload in bytes (default 64 MiB). */
  maxBlobBytes?: number;
  /**
   * Redis for a cluster (PARLEY_REDIS_URL): presence, grace, the offline queue, challenges,
   * rate limits and the sweeper lease are shared there, and the socket.io Redis adapter carries
   * pushes and relays to every node. Without it, all of this stays in this process.
   */
  redisUrl?: string;
  /** Key and channel prefix in Redis (default "parley:"). */
  redisPrefix?: string;
  /** This node's name (PARLEY_NODE_ID; default hostname-pid-random). */
  nodeId?: string;
  /** Clock in milliseconds; tests inject one to expire tickets. */
  now?: () => number;
}

export interface Service {
  url: string;
  http: HttpServer;
  io: ParleyServer;
  store: Store;
  market: Market;
  ledger: LedgerStore;
  /** This node's name (also in /healthz). */
  node: string;
  close(): Promise<void>;
}

/** Hard cap of one socket.io message; per-event limits are far lower and answered with codes. */
const MAX_SOCKET_MESSAGE_BYTES = 1024 * 1024;

export async function createService(opts: ServiceOptions): Promise<Service> {
  const now = opts.now ?? Date.now;
  const log = opts.logger ?? createLogger();
  const serviceKey = await loadServiceKey(dirname(opts.dbFile), opts.serviceKeyFile);
  const store = await openStore(opts);
  try {
    await checkServiceKey(store, serviceKey);
  } catch (e) {
    await store.close();
    throw e;
  }
  const tickets = new TicketAuthority(serviceKey, now, opts.sessionTtlSeconds ?? 3600);
  const admission = opts.admission ?? 'open';
  const relayLimits = { ...DEFAULT_RELAY_LIMITS, ...opts.relayLimits };
  const { coordinator, adapter, mode } = await createCoordination({
    redisUrl: opts.redisUrl,
    redisPrefix: opts.redisPrefix,
    node: opts.nodeId,
    graceMs: opts.graceMs ?? 20_000,
    tickMs: opts.sweepMs ?? 1000,
    challengeTtlMs: CHALLENGE_TTL_MS,
    queueTtlMs: relayLimits.queueTtlMs,
    queue: store,
    log,
  }).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  log.info({ node: coordinator.node, adapter: mode }, 'coordination ready');
  const nodes = await watchNodes(store, coordinator.node, mode !== 'memory', log).catch(async (e: unknown) => {
    await coordinator.close();
    await store.close();
    throw e;
  });
  const auth = new Auth(store, tickets, serviceKey.keyId, now, coordinator, admission);
  // The socket.io server is attached to the HTTP server below, once that exists. In a cluster
  // it is WebSocket only: long-polling would need sticky sessions.
  const io: ParleyServer = new Server({
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    serveClient: false,
    pingInterval: opts.pingIntervalMs ?? 10_000,
    pingTimeout: opts.pingTimeoutMs ?? 5_000,
    ...(adapter ? { adapter, transports: ['websocket' as const] } : {}),
  });
  const notifier = new Notifier(io, coordinator, log);
  const jobs = new Jobs(store, auth, now, notifier);
  const ledger = new LedgerStore(store, serviceKey, now);
  const market = new Market(ledger, auth, now, notifier);
  const presence = new Presence(coordinator, notifier, jobs, log);
  const blobs = new Blobs(
    market,
    auth,
    serviceKey,
    await openBlobStore(opts, store),
    opts.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES,
    now,
  );
  const metrics = new Metrics();
  metrics.counter('parley_refusals_total', 'Requests and events refused, by error code');
  metrics.counter('parley_signals_total', 'Signaling messages relayed or queued');
  metrics.counter('parley_http_requests_total', 'HTTP API requests');

  const clientIp = (remote: string | undefined, forwarded: string | string[] | undefined) =>
    clientAddress(remote, forwarded, opts.trustProxy ?? 0);

  const handler = createHttpHandler({
    auth,
    coordinator,
    serviceKey,
    metrics,
    log,
    limits: opts.httpLimits,
    now,
    metricsToken: opts.metricsToken,
    blobs,
    staticDir: opts.staticDir,
    config: { iceServers: publicIceServers(opts.iceServers ?? []), admission, graceMs: opts.graceMs ?? 20_000 },
    clientIp: (req) => clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for']),
    endSessions: (name, reason) => notifier.endSessions(name, reason),
    ready: () => store.ping(),
    gauges: async () => ({
      parley_connections: { help: 'Open socket.io connections', values: notifier.connections },
      parley_jobs: {
        help: 'Jobs by state',
        values: Object.fromEntries(Object.entries(await store.countJobsByState()).map(([s, n]) => [`state="${s}"`, n])),
      },
      process_resident_memory_bytes: { help: 'Resident memory of the service', values: process.memoryUsage().rss },
    }),
  });
  const http = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => void handler(req, res))
    : createServer((req, res) => void handler(req, res));
  io.attach(http);
  attachSockets(io, {
    tickets,
    auth,
    jobs,
    market,
    blobs,
    store,
    presence,
    coordinator,
    notifier,
    metrics,
    log,
    now,
    limits: relayLimits,
    clientIp: (s) => clientIp(s.handshake.address, s.handshake.headers['x-forwarded-for']),
    iceServers: opts.iceServers ?? [],
    turn: opts.turn,
  });

  // After a start, members of live jobs connected nowhere get a grace period to come back
  // (in a cluster, members connected to other nodes are online and keep their jobs).
  await presence.startGrace([...new Set((await store.jobsInStates(LIVE_STATES)).flatMap((j) => j.members))]);

  // Revocations are written by the operator CLI (possibly while the service runs): each one
  // is handled once, including those made while the service was down. One node sweeps at a
  // time (the coordinator's lease); its updates are conditional, so a stale sweeper is harmless.
  let revokedCheckedAt = 0;
  let sweeping: Promise<void> | null = null;
  const sweep = async () => {
    if (!(await coordinator.holdsSweep())) return;
    await jobs.expireOverdue();
    for (const { name, revokedAt } of await store.revokedSince(revokedCheckedAt)) {
      revokedCheckedAt = Math.max(revokedCheckedAt, revokedAt + 1);
      await jobs.failMember(name, { code: 'ERR_REVOKED', message: `${name} was revoked by the operator` }, OPEN_STATES);
      notifier.endSessions(name, { code: 'ERR_REVOKED', message: `${name} was revoked by the operator` });
      log.warn({ name }, 'participant revoked: sessions closed, open jobs failed');
    }
    await store.sweep(now());
    market.sweep().catch((e: unknown) => log.error({ err: e }, 'market sweep failed'));
  };
  const sweeper = setInterval(() => {
    sweeping ??= sweep()
      .catch((e: unknown) => log.error({ err: e }, 'sweep failed'))
      .finally(() => {
        sweeping = null;
      });
  }, opts.sweepMs ?? 1000);
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  let closed = false;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    http,
    io,
    store,
    market,
    ledger,
    node: coordinator.node,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      await sweeping;
      await ledger.close();
      // Connections dropped by the shutdown must not touch the store that is closing; the
      // coordinator counts this node's connections out when it closes.
      for (const s of io.sockets.sockets.values()) s.removeAllListeners('disconnect');
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await coordinator.close();
      await nodes.stop();
      await store.close();
    },
  };
}
