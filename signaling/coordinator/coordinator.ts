// The coordinator: the service's ephemeral state that must be one for the whole cluster, behind
// one interface with two implementations. Login challenges (open, and answered ones kept to name
// replays), presence with its grace period, the offline signal queue, per-address rate limits
// and the single-sweeper lease. LocalCoordinator (local.ts) keeps it in this process, as the
// embedded service always did; RedisCoordinator (redis.ts) keeps it in Redis with atomic Lua
// scripts, so several nodes share it. PARLEY_REDIS_URL picks the second (create.ts).

/** A signal for a member who is offline, kept until it is delivered or expires. */
export interface QueuedSignal {
  jobId: string;
  from: string;
  to: string;
  data: unknown;
  expiresAt: number;
}

/** Where a signal went: relayed to a connected member, queued for an offline one, or refused. */
export type RelayOutcome = 'online' | 'queued' | 'full';

/** The per-address limits the coordinator keeps: new socket connections, and HTTP API requests. */
export type LimitKind = 'connect' | 'http';

export interface OpenChallenge {
  name: string;
  /** Expiry in ms (the service clock). */
  expires: number;
  /** The client-address.ts key it was asked from. */
  address: string;
}

export interface ChallengeCaps {
  /** Open challenges of one address. */
  perAddress: number;
  /** Open challenges in all. */
  total: number;
}

/** The signal store the local coordinator queues into (the SQLite store's signal_queue). */
export interface SignalQueue {
  queueSignal(s: QueuedSignal, maxPerRecipient: number): boolean | Promise<boolean>;
  takeSignals(to: string, now: number): QueuedSignal[] | Promise<QueuedSignal[]>;
}

export interface Coordinator {
  /** This node's id (PARLEY_NODE_ID); /healthz names it. */
  readonly node: string;

  /**
   * A connection of `name` has joined its room here: counts it, ends its grace period, and
   * takes its queued signals (unexpired at `now`, oldest first) in the same atomic step, so a
   * signal is either queued before and delivered here, or relayed after.
   */
  connected(name: string, now: number): Promise<{ cameOnline: boolean; queued: QueuedSignal[] }>;
  /** A connection of `name` here has closed; true when it was the last anywhere (grace starts). */
  disconnected(name: string): Promise<boolean>;
  /** The names among `names` with a connection to any node. */
  online(names: readonly string[]): Promise<Set<string>>;
  /** Starts a grace period for each of `names` not connected anywhere (live jobs after a start). */
  startGrace(names: readonly string[]): Promise<void>;
  /**
   * `gone` is called once in the cluster for each name whose grace period ran out while it was
   * still offline; `offline` for names that went offline because their node stopped answering.
   */
  watch(handlers: { gone: (name: string) => void; offline: (name: string) => void }): void;
  /** Relays if `s.to` is connected anywhere, else queues (at most `maxQueued`), atomically. */
  relayOrQueue(s: QueuedSignal, maxQueued: number, now: number): Promise<RelayOutcome>;

  /** One token of `kind` for `key` (rate per second, burst); false when the bucket is empty. */
  take(kind: LimitKind, key: string, perSecond: number, burst: number, now: number): Promise<boolean>;

  /** Records an open challenge, unless a cap is reached (which one is returned). */
  openChallenge(
    challenge: string,
    open: OpenChallenge,
    caps: ChallengeCaps,
    now: number,
  ): Promise<'ok' | 'address' | 'total'>;
  /**
   * Consumes a challenge: its record if it was open, 'replay' if it was answered before (the
   * open record is consumed either way), null if unknown.
   */
  consumeChallenge(challenge: string, now: number): Promise<OpenChallenge | 'replay' | null>;

  /** Whether this node runs the periodic sweep now (one node in the cluster at a time). */
  holdsSweep(): Promise<boolean>;
  /** Resolves when the coordinator's backend answers; throws ERR_UNAVAILABLE otherwise. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
