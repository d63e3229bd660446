// socket.io side of the service: ticket check at connection, schema-validated events with coded
// acknowledgements, live job updates to members, and a signaling relay limited to job members.

import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { ParleyError, toErrorInfo, type ErrorInfo } from '../shared/errors.js';
import {
  emptyEvent, finishEvent, jobIdEvent, MAX_SIGNAL_BYTES, proposeEvent, signalEvent, triplesEvent,
  type ClientToServer, type Job, type ServerToClient,
} from '../shared/protocol.js';
import { grantTriples } from './dealer.js';
import type { Jobs } from './jobs.js';
import type { Store } from './store.js';
import type { TicketAuthority } from './tickets.js';

interface SocketData {
  name: string;
  expiresAt: number;
}
type ParleySocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
export type ParleyServer = Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

const room = (name: string) => `p:${name}`;

export function attachSockets(io: ParleyServer, deps: { tickets: TicketAuthority; jobs: Jobs; store: Store; now: () => number }): void {
  const { tickets, jobs, store, now } = deps;

  io.use((socket, next) => {
    tickets
      .verifySession((socket.handshake.auth as { ticket?: unknown } | undefined)?.ticket)
      .then((claims) => {
        const p = store.getParticipant(claims.name);
        if (!p || p.keyId !== claims.keyId) throw new ParleyError('ERR_TICKET_INVALID', 'the ticket names an unknown participant or key');
        socket.data.name = claims.name;
        socket.data.expiresAt = claims.expiresAt;
        next();
      })
      .catch((e: unknown) => {
        const info = toErrorInfo(e);
        next(Object.assign(new Error(info.message), { data: info }));
      });
  });

  const broadcast = (job: Job) => {
    for (const m of job.members) io.to(room(m)).emit('job:update', job);
  };

  io.on('connection', (socket: ParleySocket) => {
    const me = socket.data.name;
    void socket.join(room(me));
    socket.emit('session:info', { name: me, expiresAt: socket.data.expiresAt });

    /** Registers a validated handler whose failures reach the caller as coded acks. */
    function on<S extends z.ZodType, T>(event: keyof ClientToServer, schema: S, fn: (p: z.infer<S>) => T | Promise<T>): void {
      socket.on(event, async (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const reply = ack as (r: { ok: true; value: T } | { ok: false; error: ErrorInfo }) => void;
        try {
          if (now() > socket.data.expiresAt) {
            setTimeout(() => socket.disconnect(true), 100); // after the coded ack has gone out
            throw new ParleyError('ERR_TICKET_EXPIRED', 'the session ticket has expired; log in again');
          }
          const parsed = schema.safeParse(payload);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw new ParleyError('ERR_BAD_REQUEST', `${event}: ${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
          }
          reply({ ok: true, value: await fn(parsed.data) });
        } catch (e) {
          reply({ ok: false, error: toErrorInfo(e) });
        }
      });
    }

    const changed = (job: Job) => {
      broadcast(job);
      return job;
    };

    on('job:list', emptyEvent, () => jobs.list(me));
    on('job:propose', proposeEvent, (p) => changed(jobs.propose(me, p)));
    on('job:accept', jobIdEvent, (p) => changed(jobs.accept(p.jobId, me)));
    on('job:decline', jobIdEvent, (p) => changed(jobs.decline(p.jobId, me)));
    on('job:cancel', jobIdEvent, (p) => changed(jobs.cancel(p.jobId, me)));
    on('job:start', jobIdEvent, (p) => changed(jobs.start(p.jobId, me)));
    on('job:finish', finishEvent, (p) => {
      const error: ErrorInfo | null = p.outcome === 'failed' ? toErrorInfo({ code: p.code ?? 'ERR_INTERNAL' }) : null;
      return changed(jobs.finish(p.jobId, me, p.outcome, error && { ...error, message: `${me}: ${error.message}` }));
    });
    on('signal', signalEvent, (p) => {
      jobs.checkRelay(p.jobId, me, p.to);
      if (JSON.stringify(p.data ?? null).length > MAX_SIGNAL_BYTES) {
        throw new ParleyError('ERR_TOO_LARGE', `signaling payloads are limited to ${MAX_SIGNAL_BYTES} bytes`);
      }
      io.to(room(p.to)).emit('signal', { jobId: p.jobId, from: me, data: p.data });
      return null;
    });
    on('dealer:triples', triplesEvent, async (p) => {
      const job = jobs.get(p.jobId, me);
      if (job.state !== 'ready' && job.state !== 'running') throw new ParleyError('ERR_JOB_STATE', `job is ${job.state}`);
      return grantTriples(store, job.id, job.members.indexOf(me) as 0 | 1, p.count);
    });

    socket.on('disconnect', async () => {
      const still = await io.in(room(me)).fetchSockets();
      if (still.length > 0) return;
      for (const job of jobs.memberLeft(me)) broadcast(job);
    });
  });
}
