// A logged-in tab's connection to the service: socket.io with a fresh challenge login on every
// (re)connect, the live list of this participant's jobs, coded calls, and per-job signaling
// (signals that arrive before a job's peer exists are held until it subscribes).

import { io, type Socket } from 'socket.io-client';
import { writable, type Writable } from 'svelte/store';
import { fromErrorInfo, type ErrorInfo } from '../../../shared/errors.js';
import type { ClientConfig, ClientToServer, Job, ServerToClient } from '../../../shared/protocol.js';
import { logIn, type Identity } from './identity.js';

type SignalHandler = (from: string, data: unknown) => void;
export type Connection = 'connecting' | 'online' | 'offline';

export class Session {
  readonly jobs: Writable<Job[]> = writable([]);
  readonly connection: Writable<Connection> = writable('connecting');
  readonly lastError: Writable<ErrorInfo | null> = writable(null);
  readonly socket: Socket<ServerToClient, ClientToServer>;
  private readonly handlers = new Map<string, SignalHandler>();
  private readonly early = new Map<string, { from: string; data: unknown }[]>();

  constructor(
    readonly identity: Identity,
    readonly config: ClientConfig,
  ) {
    this.socket = io({
      transports: ['websocket'],
      auth: (cb) => {
        logIn(identity).then(
          (r) => cb({ ticket: r.ticket }),
          (e: unknown) => {
            this.lastError.set(fromErrorInfo(e).toJSON());
            cb({ ticket: null });
          },
        );
      },
    });
    this.socket.on('connect', () => {
      this.connection.set('online');
      this.lastError.set(null);
      void this.refresh();
    });
    this.socket.on('disconnect', () => this.connection.set('offline'));
    this.socket.on('connect_error', (e: Error & { data?: ErrorInfo }) => {
      this.connection.set('offline');
      if (e.data) this.lastError.set(e.data);
    });
    this.socket.on('job:update', (job) => this.upsert(job));
    this.socket.on('signal', ({ jobId, from, data }) => {
      const h = this.handlers.get(jobId);
      if (h) h(from, data);
      else {
        const q = this.early.get(jobId) ?? [];
        if (q.length < 64) q.push({ from, data });
        this.early.set(jobId, q);
      }
    });
  }

  get name(): string {
    return this.identity.name;
  }

  /** Emits an event and resolves to its value, or rejects with the service's coded error. */
  call<E extends keyof ClientToServer>(event: E, payload: Parameters<ClientToServer[E]>[0]): Promise<any> {
    return new Promise((resolve, reject) => {
      const timed = this.socket.timeout(10_000) as unknown as { emit(...a: unknown[]): void };
      timed.emit(event, payload, (err: Error | null, r: { ok: boolean; value?: unknown; error?: ErrorInfo }) => {
        if (err) reject(fromErrorInfo({ code: 'ERR_TIMEOUT', message: `the service did not answer ${event}` }));
        else if (r.ok) resolve(r.value);
        else reject(fromErrorInfo(r.error));
      });
    });
  }

  async refresh(): Promise<void> {
    const list = (await this.call('job:list', {})) as Job[];
    this.jobs.set(list);
  }

  onSignal(jobId: string, h: SignalHandler): () => void {
    this.handlers.set(jobId, h);
    for (const s of this.early.get(jobId) ?? []) h(s.from, s.data);
    this.early.delete(jobId);
    return () => this.handlers.delete(jobId);
  }

  sendSignal(jobId: string, to: string, data: unknown): Promise<void> {
    return this.call('signal', { jobId, to, data });
  }

  close(): void {
    this.socket.close();
  }

  private upsert(job: Job): void {
    this.jobs.update((list) => {
      const rest = list.filter((j) => j.id !== job.id);
      return [job, ...rest].sort((a, b) => b.createdAt - a.createdAt);
    });
  }
}
