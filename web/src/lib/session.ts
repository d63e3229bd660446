// A logged-in tab's connection to the service: socket.io with a fresh challenge login on every
// (re)connect (retrying after transient refusals), the live list of this participant's jobs and
// their members' presence, coded calls, and per-job signaling (signals that arrive before a
// job's connection exists are held until it subscribes).

import { io, type Socket } from 'socket.io-client';
import { get, writable, type Writable } from 'svelte/store';
import { fromErrorInfo, type ErrorCode, type ErrorInfo } from '../../../shared/errors.js';
import { LIVE_STATES, type ClientConfig, type ClientToServer, type Job, type Presence, type ServerToClient } from '../../../shared/protocol.js';
import { logIn, type Identity } from './identity.js';

type SignalHandler = (data: unknown) => void;
export type Connection = 'connecting' | 'online' | 'offline' | 'stopped';

/** Refusals that retrying cannot fix: the user must act. */
const FATAL: ErrorCode[] = ['ERR_REVOKED', 'ERR_BAD_SIGNATURE', 'ERR_NAME_TAKEN', 'ERR_ADMISSION'];

export class Session {
  readonly jobs: Writable<Job[]> = writable([]);
  readonly presence: Writable<Record<string, string[]>> = writable({});
  readonly connection: Writable<Connection> = writable('connecting');
  readonly lastError: Writable<ErrorInfo | null> = writable(null);
  readonly socket: Socket<ServerToClient, ClientToServer>;
  private readonly handlers = new Map<string, SignalHandler>();
  private readonly early = new Map<string, unknown[]>();
  private retries = 0;
  private fatal = false;

  constructor(
    public identity: Identity,
    readonly config: ClientConfig,
  ) {
    this.socket = io({
      transports: ['websocket'],
      auth: (cb) => {
        logIn(this.identity).then(
          (r) => cb({ ticket: r.ticket }),
          (e: unknown) => {
            const info = fromErrorInfo(e).toJSON();
            this.fatal = FATAL.includes(info.code);
            this.lastError.set(info);
            cb({ ticket: null });
          },
        );
      },
    });
    this.socket.on('connect', () => {
      this.retries = 0;
      this.connection.set('online');
      this.lastError.set(null);
      void this.refresh();
    });
    this.socket.on('disconnect', () => this.connection.set('offline'));
    this.socket.on('connect_error', (e: Error & { data?: ErrorInfo }) => {
      if (e.data && !this.fatal) this.lastError.set(e.data);
      if (this.socket.active) return this.connection.set('offline'); // socket.io retries transport errors itself
      if (this.fatal) return this.connection.set('stopped');
      // Refused by the service (ticket, rate limit): log in again after a backoff.
      this.connection.set('offline');
      const delay = Math.min(10_000, 500 * 2 ** this.retries++);
      setTimeout(() => this.socket.connect(), delay);
    });
    this.socket.on('job:update', (job) => this.upsert(job));
    this.socket.on('job:presence', (p) => this.setPresence(p));
    this.socket.on('signal', ({ jobId, from, data }) => {
      const key = `${jobId}/${from}`;
      const h = this.handlers.get(key);
      if (h) h(data);
      else {
        const q = this.early.get(key) ?? [];
        if (q.length < 64) q.push(data);
        this.early.set(key, q);
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
    for (const job of list) {
      if (LIVE_STATES.includes(job.state)) this.setPresence((await this.call('job:presence', { jobId: job.id })) as Presence);
    }
  }

  /** Signals of one job from one peer (the service stamps the sender). */
  onSignal(jobId: string, from: string, h: SignalHandler): () => void {
    const key = `${jobId}/${from}`;
    this.handlers.set(key, h);
    for (const data of this.early.get(key) ?? []) h(data);
    this.early.delete(key);
    return () => this.handlers.delete(key);
  }

  sendSignal(jobId: string, to: string, data: unknown): Promise<void> {
    return this.call('signal', { jobId, to, data });
  }

  isOnline(jobId: string, name: string): boolean {
    return (get(this.presence)[jobId] ?? []).includes(name);
  }

  close(): void {
    this.socket.close();
  }

  private setPresence(p: Presence): void {
    this.presence.update((all) => ({ ...all, [p.jobId]: p.online }));
  }

  private upsert(job: Job): void {
    this.jobs.update((list) => {
      const rest = list.filter((j) => j.id !== job.id);
      return [job, ...rest].sort((a, b) => b.createdAt - a.createdAt);
    });
  }
}
