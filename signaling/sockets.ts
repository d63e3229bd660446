// socket.io side of the service: one-time session tickets checked at connection, per-IP and
// per-connection rate limits, schema- and size-checked events with coded acknowledgements,
// the job events, job tickets, and a signaling relay limited to job members with a bounded,
// expiring queue for members who are briefly offline (limits, presence and queue are the
// coordinator's, cluster-wide with Redis). The market:* events live in market-events.ts; what
// the service pushes (job updates, presence) goes out through the notifier, from the parts
// that change. The participant's key check runs once per connection (after joining the
// participant's room, so a later revocation or rotation closes it cluster-wide) and a live
// job's membership is remembered per connection until a job:update for it goes out to this
// connection: events cost no database reads on the hot path.

import type { Logger } from 'pino';
import type { z } from 'zod';
import { type ErrorInfo, ParleyError, toErrorInfo } from '../shared/errors.js';
import {
  type ClientToServer,
  emptyEvent,
  finishEvent,
  type IceServer,
  type Job,
  type JobTickets,
  jobIdEvent,
  LIVE_STATES,
  MAX_PROGRAM_BYTES,
  MAX_SIGNAL_BYTES,
  proposeEvent,
  signalEvent,
} from '../shared/protocol.js';
import type { Auth } from './auth.js';
import type { Blobs } from './blobs.js';
import type { Coordinator } from './coordinator/coordinator.js';
import type { Jobs } from './jobs.js';
import type { Market } from './market.js';
import { MARKET_EVENT_BYTES, registerMarketEvents } from './market-events.js';
import type { Metrics } from './metrics.js';
import { type Notifier, type ParleyServer, type ParleySocket, roomOf } from './notifier.js';
import type { Presence } from './presence.js';
import { TokenBucket } from './rate-limit.js';
import type { Store } from './store.js';
import type { TicketAuthority } from './tickets.js';
import { sessionIceServers, type TurnOptions } from './turn.js';

export interface RelayLimits {
  /** Events per second and burst per connection. */
  eventsPerSecond: number;
  eventBurst: number;
  /** New connections per second and burst per IP (0 disables). */
  connectsPerSecondPerIp: number;
  connectBurstPerIp: number;
  /** Signals kept for an offline member, and for how long. */
  queuePerMember: number;
  queueTtlMs: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  eventsPerSecond: 50,
  eventBurst: 200,
  connectsPerSecondPerIp: 20,
  connectBurstPerIp: 100,
  queuePerMember: 64,
  queueTtlMs: 60_000,
};

/** Largest JSON payload per event; socket.io itself drops connections past 1 MiB. */
const EVENT_BYTES: Partial<Record<keyof ClientToServer, number>> = {
  'job:propose': MAX_PROGRAM_BYTES + 8192,
  signal: MAX_SIGNAL_BYTES + 512,
  ...MARKET_EVENT_BYTES,
};
const DEFAULT_EVENT_BYTES = 4096;
/** Live jobs remembered per connection for the relay check, and for how long at most. */
const RELAY_CACHE_JOBS = 64;
const RELAY_CACHE_MS = 5000;
/** setTimeout's largest delay (~24.8 days; session tickets last at most 7). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SocketDeps {
  tickets: TicketAuthority;
  auth: Auth;
  jobs: Jobs;
  market: Market;
  blobs: Blobs;
  store: Store;
  presence: Presence;
  coordinator: Coordinator;
  notifier: Notifier;
  metrics: Metrics;
  log: Logger;
  limits: RelayLimits;
  now: () => number;
  clientIp: (socket: ParleySocket) => string;
  /** Every configured ICE server, credentials included, and the TURN REST secret. */
  iceServers: IceServer[];
  turn?: TurnOptions;
}

export function attachSockets(io: ParleyServer, deps: SocketDeps): void {
  const { tickets, auth, jobs, store, presence, coordinator, notifier, metrics, log, limits, now } = deps;

  const refuse = (code: string) => metrics.inc('parley_refusals_total', `code="${code}"`);

  io.use((socket, next) => {
    const fail = (e: unknown) => {
      const info = toErrorInfo(e);
      refuse(info.code);
      log.info({ code: info.code, ip: deps.clientIp(socket) }, 'connection refused');
      next(Object.assign(new Error(info.message), { data: info }));
    };
    coordinator
      .take('connect', deps.clientIp(socket), limits.connectsPerSecondPerIp, limits.connectBurstPerIp, now())
      .then((allowed) => {
        if (!allowed) throw new ParleyError('ERR_RATE_LIMITED', 'too many connections from this address');
        return tickets.verifySession((socket.handshake.auth as { ticket?: unknown } | undefined)?.ticket);
      })
      .then(async (claims) => {
        const p = await auth.active(claims.name);
        if (p.keyId !== claims.keyId)
          throw new ParleyError('ERR_TICKET_INVALID', 'the ticket was issued for a key that has since been rotated');
        if (!(await store.useTicket(claims.jti, claims.expiresAt)))
          throw new ParleyError('ERR_TICKET_REPLAY', 'this session ticket was already used; log in again');
        socket.data.name = claims.name;
        socket.data.keyId = claims.keyId;
        socket.data.expiresAt = claims.expiresAt;
        next();
      })
      .catch(fail);
  });

  io.on('connection', (socket: ParleySocket) => {
    const me = socket.data.name;
    const bucket = new TokenBucket(limits.eventsPerSecond, limits.eventBurst, now());
    const end = (reason: ErrorInfo) => {
      socket.emit('session:end', reason);
      socket.disconnect(true);
    };
    // The connection lasts as long as its ticket (socket.io flushes session:end before closing).
    const expiry = setTimeout(
      () => end({ code: 'ERR_TICKET_EXPIRED', message: 'the session ticket has expired; log in again' }),
      Math.min(MAX_TIMER_MS, Math.max(0, socket.data.expiresAt - now())),
    );
    void socket.join(roomOf(me));
    // Checked again once in the room: a revocation (the sweeper) or rotation (/api/rotate)
    // committed after this read ends the room's sessions on every node, so later events need
    // no read of their own. One committed before it is caught here.
    const verified = auth.active(me).then((p) => {
      if (p.keyId !== socket.data.keyId)
        throw new ParleyError('ERR_TICKET_INVALID', 'the key was rotated; log in with the new key');
    });
    verified.catch((e: unknown) => end(toErrorInfo(e)));
    // Live jobs this connection relayed in: id → members (fixed for a job's life). Every change
    // of a job reaches its members' connections as job:update, which drops the entry.
    const relayable = new Map<string, { members: string[]; until: number }>();
    let updatesSeen = 0;
    socket.onAnyOutgoing((event: string, job: unknown) => {
      if (event !== 'job:update') return;
      updatesSeen++;
      relayable.delete((job as Job).id);
    });
    const checkRelay = async (jobId: string, to: string) => {
      const known = relayable.get(jobId);
      if (known && known.until > now() && known.members.includes(to) && to !== me) return;
      const seen = updatesSeen;
      const job = await jobs.checkRelay(jobId, me, to);
      if (seen !== updatesSeen) return; // a change went out meanwhile: the read may be stale
      if (relayable.size >= RELAY_CACHE_JOBS) relayable.delete(relayable.keys().next().value as string);
      relayable.set(jobId, { members: job.members, until: now() + RELAY_CACHE_MS });
    };
    socket.emit('session:info', { name: me, expiresAt: socket.data.expiresAt });
    // Counted once joined; the disconnect below waits for it, so counts never go negative.
    const joined = presence.connected(me, now()).then(
      (queued) => {
        for (const s of queued) socket.emit('signal', { jobId: s.jobId, from: s.from, data: s.data });
        return true;
      },
      (e: unknown) => {
        log.error({ err: e, name: me }, 'connect handling failed');
        end(toErrorInfo(e));
        return false;
      },
    );

    /** Registers a validated handler whose failures reach the caller as coded acks. */
    function on<S extends z.ZodType, T>(
      event: keyof ClientToServer,
      schema: S,
      fn: (p: z.infer<S>) => T | Promise<T>,
    ): void {
      socket.on(event, async (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (r: { ok: true; value: T } | { ok: false; error: ErrorInfo }) => void;
        try {
          if (!bucket.take(now()))
            throw new ParleyError('ERR_RATE_LIMITED', 'too many events on this connection; slow down');
          if (now() > socket.data.expiresAt) {
            setTimeout(() => socket.disconnect(true), 100); // after the coded ack has gone out
            throw new ParleyError('ERR_TICKET_EXPIRED', 'the session ticket has expired; log in again');
          }
          await verified; // a refusal here has already ended the connection
          const limit = EVENT_BYTES[event] ?? DEFAULT_EVENT_BYTES;
          if (JSON.stringify(payload ?? null).length > limit)
            throw new ParleyError('ERR_TOO_LARGE', `${event} payloads are limited to ${limit} bytes`);
          const parsed = schema.safeParse(payload);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const code = issue?.code === 'too_big' ? 'ERR_TOO_LARGE' : 'ERR_BAD_REQUEST';
            throw new ParleyError(
              code,
              `${event}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`,
            );
          }
          reply({ ok: true, value: await fn(parsed.data) });
        } catch (e) {
          const info = toErrorInfo(e);
          if (info.code === 'ERR_INTERNAL') log.error({ err: e, event, name: me }, 'event failed');
          refuse(info.code);
          reply({ ok: false, error: info });
        }
      });
    }

    /** Jobs announces each change to the members; this logs who made it. */
    const changed = (job: Job) => {
      log.info({ job: job.id, state: job.state, by: me }, 'job changed');
      return job;
    };

    on('job:list', emptyEvent, () => jobs.list(me));
    on('ice:servers', emptyEvent, () => sessionIceServers(deps.iceServers, deps.turn, me, now()));
    on('job:propose', proposeEvent, async (p) => changed(await jobs.propose(me, p)));
    on('job:accept', jobIdEvent, async (p) => changed(await jobs.accept(p.jobId, me)));
    on('job:decline', jobIdEvent, async (p) => changed(await jobs.decline(p.jobId, me)));
    on('job:cancel', jobIdEvent, async (p) => changed(await jobs.cancel(p.jobId, me)));
    on('job:start', jobIdEvent, async (p) => changed(await jobs.start(p.jobId, me)));
    on('job:finish', finishEvent, async (p) => {
      const error: ErrorInfo | null = p.outcome === 'failed' ? toErrorInfo({ code: p.code ?? 'ERR_INTERNAL' }) : null;
      const reported = error && { ...error, message: `${me}: ${error.message}` };
      return changed(await jobs.finish(p.jobId, me, p.outcome, reported));
    });
    on('job:presence', jobIdEvent, async (p) => notifier.presenceOf(await jobs.get(p.jobId, me)));
    on('job:tickets', jobIdEvent, async (p): Promise<JobTickets> => {
      const job = await jobs.get(p.jobId, me);
      if (!LIVE_STATES.includes(job.state))
        throw new ParleyError('ERR_JOB_STATE', `job is ${job.state}; tickets are issued for ready or running jobs`);
      const self = await auth.active(me);
      const out: Record<string, string> = {};
      for (const peer of job.members) {
        if (peer === me) continue;
        out[peer] = await tickets.issueJob({
          jobId: job.id,
          holder: me,
          party: job.members.indexOf(me),
          roles: job.roles[me] ?? [],
          key: self.publicKey,
          audience: peer,
          notAfter: job.deadline,
        });
      }
      return { jobId: job.id, tickets: out };
    });
    on('signal', signalEvent, async (p) => {
      await checkRelay(p.jobId, p.to);
      if (JSON.stringify(p.data ?? null).length > MAX_SIGNAL_BYTES) {
        throw new ParleyError('ERR_TOO_LARGE', `signaling payloads are limited to ${MAX_SIGNAL_BYTES} bytes`);
      }
      metrics.inc('parley_signals_total');
      const signal = { jobId: p.jobId, from: me, to: p.to, data: p.data, expiresAt: now() + limits.queueTtlMs };
      const outcome = await coordinator.relayOrQueue(signal, limits.queuePerMember, now());
      if (outcome === 'online') io.to(roomOf(p.to)).emit('signal', { jobId: p.jobId, from: me, data: p.data });
      if (outcome === 'full') throw new ParleyError('ERR_RATE_LIMITED', `${p.to} is offline and its queue is full`);
      return null;
    });

    registerMarketEvents(on, me, deps.market, deps.blobs);

    socket.on('disconnect', () => {
      clearTimeout(expiry);
      void joined
        .then((counted) => (counted ? presence.disconnected(me) : undefined))
        .catch((e: unknown) => log.error({ err: e, name: me }, 'disconnect handling failed'));
    });
  });
}
