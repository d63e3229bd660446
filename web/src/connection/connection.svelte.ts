// A signed-in tab's connection to the service, and the only owner of its socket: socket.io with
// a fresh challenge login on every (re)connect (retrying after transient refusals, and after the
// service ends the session: ticket expired, key rotated), the session's ICE servers with their
// short-lived TURN credentials fetched after each login, typed calls
// against the shared event contract, the live list of this participant's jobs and their members'
// presence as reactive state, and per-job signaling (signals that arrive before a job's peer
// connection exists are held until it subscribes). Components render this state; only this class
// writes it. Plain modules follow it through the watch* methods (which never make the caller's
// effect depend on this state).

import { io, type Socket } from 'socket.io-client';
import { untrack } from 'svelte';
import { type ErrorCode, type ErrorInfo, fromErrorInfo } from '../../../shared/errors.js';
import {
  type ClientConfig,
  type ClientToServer,
  type Job,
  LIVE_STATES,
  type Presence,
  type ServerToClient,
} from '../../../shared/protocol.js';
import { type Identity, logIn, rotateKey } from '../identity/identity.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'stopped';

/** What a client event carries, from the shared contract. */
type EventBody<E extends keyof ClientToServer> = Parameters<ClientToServer[E]>[0];
/** The service's acknowledgement of a client event: its value, or a coded error. */
type Reply<E extends keyof ClientToServer> = Parameters<Parameters<ClientToServer[E]>[1]>[0];
/** What the service answers to a client event, from the shared contract. */
type EventValue<E extends keyof ClientToServer> = Extract<Reply<E>, { ok: true }>['value'];

type SignalHandler = (data: unknown) => void;

/** Refusals that retrying cannot fix: the user must act. */
const FATAL: ErrorCode[] = ['ERR_REVOKED', 'ERR_BAD_SIGNATURE', 'ERR_NAME_TAKEN', 'ERR_ADMISSION'];
const CALL_TIMEOUT_MS = 10_000;
const EARLY_SIGNALS = 64;

export class Connection {
  status: ConnectionStatus = $state('connecting');
  /** This participant's jobs, newest first. */
  jobs: readonly Job[] = $state.raw([]);
  /** Who of each live job's members is online, by job id. */
  presence: Readonly<Record<string, readonly string[]>> = $state.raw({});
  /** Why the service last refused this tab (cleared on the next successful connect). */
  lastError: ErrorInfo | null = $state.raw(null);

  private readonly socket: Socket<ServerToClient, ClientToServer>;
  private currentIdentity: Identity;
  private readonly signalHandlers = new Map<string, SignalHandler>();
  private readonly early = new Map<string, unknown[]>();
  private readonly jobWatchers = new Set<(jobs: readonly Job[]) => void>();
  private readonly presenceWatchers = new Set<() => void>();
  private readonly onlineWatchers = new Set<() => void>();
  private retries = 0;
  private fatal = false;
  /** Why the service last ended this session (`session:end`), until the next connect. */
  private ended: ErrorInfo | null = null;
  /** A key rotation in flight: the service ends the old key's sessions before it answers. */
  private rotation: Promise<unknown> = Promise.resolve();
  private sessionConfig: ClientConfig;

  constructor(identity: Identity, config: ClientConfig) {
    this.currentIdentity = identity;
    this.sessionConfig = config;
    this.socket = io({
      transports: ['websocket'],
      auth: (cb) => {
        logIn(this.currentIdentity).then(
          (r) => cb({ ticket: r.ticket }),
          (e: unknown) => {
            const info = fromErrorInfo(e).toJSON();
            this.fatal = FATAL.includes(info.code);
            this.lastError = info;
            cb({ ticket: null });
          },
        );
      },
    });
    this.socket.on('connect', () => {
      this.retries = 0;
      this.ended = null;
      this.status = 'online';
      this.lastError = null;
      void this.fetchIceServers().finally(() => {
        void this.refresh();
        for (const w of this.onlineWatchers) w();
      });
    });
    this.socket.on('session:end', (reason) => (this.ended = reason));
    this.socket.on('disconnect', (reason) => {
      this.status = 'offline';
      if (reason !== 'io server disconnect') return; // socket.io reconnects by itself
      if (this.ended?.code === 'ERR_REVOKED') {
        this.lastError = this.ended;
        this.status = 'stopped';
        return;
      }
      // The service ended the session (ticket expired, key rotated): log in again, with the new key.
      void this.rotation.then(() => {
        if (!this.socket.connected && !this.socket.active) this.socket.connect();
      });
    });
    this.socket.on('connect_error', (e: Error & { data?: ErrorInfo }) => this.refused(e));
    this.socket.on('job:update', (job) => this.upsert(job));
    this.socket.on('job:presence', (p) => this.setPresence(p));
    this.socket.on('signal', ({ jobId, from, data }) => this.routeSignal(`${jobId}/${from}`, data));
  }

  /** The service's client configuration; after login, its ICE servers carry TURN credentials. */
  get config(): ClientConfig {
    return this.sessionConfig;
  }

  get identity(): Identity {
    return this.currentIdentity;
  }

  get name(): string {
    return this.currentIdentity.name;
  }

  /** Replaces this tab's signing key (the old key authorises the new one). */
  async rotateKey(): Promise<void> {
    const done = rotateKey(this.currentIdentity).then((next) => {
      this.currentIdentity = next;
    });
    this.rotation = done.catch(() => undefined);
    await done;
  }

  /** Emits an event and resolves to the value the contract gives it, or rejects with the service's coded error. */
  call<E extends keyof ClientToServer>(event: E, body: EventBody<E>): Promise<EventValue<E>> {
    return new Promise((resolve, reject) => {
      // socket.io's types cannot follow a generic event name; the contract above types both ends.
      const timed = this.socket.timeout(CALL_TIMEOUT_MS) as unknown as {
        emit(e: E, b: EventBody<E>, ack: (err: Error | null, r: Reply<E>) => void): void;
      };
      timed.emit(event, body, (err, r) => {
        if (err) reject(fromErrorInfo({ code: 'ERR_TIMEOUT', message: `the service did not answer ${event}` }));
        else if (r.ok) resolve(r.value);
        else reject(fromErrorInfo(r.error));
      });
    });
  }

  /** Follows one kind of event the service pushes; returns the unsubscribe. */
  listen<E extends keyof ServerToClient>(event: E, handler: ServerToClient[E]): () => void {
    this.socket.on(event, handler as never);
    return () => void this.socket.off(event, handler as never);
  }

  /** Calls `w` at every (re)connect, and now if online; returns the unsubscribe. */
  watchOnline(w: () => void): () => void {
    this.onlineWatchers.add(w);
    if (this.socket.connected) untrack(w);
    return () => void this.onlineWatchers.delete(w);
  }

  /** Calls `w` with the job list now and whenever it changes; returns the unsubscribe. */
  watchJobs(w: (jobs: readonly Job[]) => void): () => void {
    this.jobWatchers.add(w);
    untrack(() => w(this.jobs));
    return () => void this.jobWatchers.delete(w);
  }

  /**
   * Follows one job's updates until `settle(job)` returns true; returns the unsubscribe. Safe when
   * the job already settles now.
   */
  watchJob(jobId: string, settle: (job: Job) => boolean): () => void {
    let stop: (() => void) | null = null;
    let settled = false;
    stop = this.watchJobs((jobs) => {
      const job = jobs.find((j) => j.id === jobId);
      if (settled || !job || !settle(job)) return;
      settled = true;
      queueMicrotask(() => stop?.());
    });
    return () => stop?.();
  }

  /** Calls `w` whenever any job's presence changes; returns the unsubscribe. */
  watchPresence(w: () => void): () => void {
    this.presenceWatchers.add(w);
    untrack(w);
    return () => void this.presenceWatchers.delete(w);
  }

  isOnline(jobId: string, name: string): boolean {
    return (this.presence[jobId] ?? []).includes(name);
  }

  /** Signals of one job from one peer (the service stamps the sender). */
  onSignal(jobId: string, from: string, h: SignalHandler): () => void {
    const key = `${jobId}/${from}`;
    this.signalHandlers.set(key, h);
    for (const data of this.early.get(key) ?? []) h(data);
    this.early.delete(key);
    return () => void this.signalHandlers.delete(key);
  }

  sendSignal(jobId: string, to: string, data: unknown): Promise<null> {
    return this.call('signal', { jobId, to, data });
  }

  close(): void {
    this.socket.close();
    this.jobWatchers.clear();
    this.presenceWatchers.clear();
    this.onlineWatchers.clear();
  }

  /** STUN/TURN servers for this session (TURN credentials are minted per login and expire with it). */
  private async fetchIceServers(): Promise<void> {
    try {
      const { iceServers } = await this.call('ice:servers', {});
      this.sessionConfig = { ...this.sessionConfig, iceServers };
    } catch {
      /* keep the public servers from /api/config */
    }
  }

  private async refresh(): Promise<void> {
    const list = await this.call('job:list', {});
    this.setJobs(list);
    for (const job of list) {
      if (LIVE_STATES.includes(job.state)) this.setPresence(await this.call('job:presence', { jobId: job.id }));
    }
  }

  private refused(e: Error & { data?: ErrorInfo }): void {
    if (e.data && !this.fatal) this.lastError = e.data;
    if (this.socket.active) return void (this.status = 'offline'); // socket.io retries transport errors itself
    if (this.fatal) return void (this.status = 'stopped');
    // Refused by the service (ticket, rate limit): log in again after a backoff.
    this.status = 'offline';
    const delay = Math.min(10_000, 500 * 2 ** this.retries++);
    setTimeout(() => this.socket.connect(), delay);
  }

  private routeSignal(key: string, data: unknown): void {
    const h = this.signalHandlers.get(key);
    if (h) return h(data);
    const q = this.early.get(key) ?? [];
    if (q.length < EARLY_SIGNALS) q.push(data);
    this.early.set(key, q);
  }

  private setPresence(p: Presence): void {
    this.presence = { ...this.presence, [p.jobId]: p.online };
    for (const w of this.presenceWatchers) w();
  }

  private upsert(job: Job): void {
    this.setJobs([job, ...this.jobs.filter((j) => j.id !== job.id)]);
  }

  private setJobs(list: readonly Job[]): void {
    this.jobs = [...list].sort((a, b) => b.createdAt - a.createdAt);
    for (const w of this.jobWatchers) w(this.jobs);
  }
}
