// The contract between a page and its job's compute worker (exposed with comlink). The worker
// lives as long as the job's connections; results carry coded errors as values because comlink
// keeps only name and message of thrown errors.

import type { ErrorInfo } from '../shared/errors.js';
import type { LedgerEntry } from '../shared/ledger.js';
import type { DecryptRequestBody } from './market/buyer.js';
import type { PublicKeyJson } from './market/paillier/index.js';
import type { Column } from './market/table.js';
import type { EngineBenchSpec, PartyFigures } from './engine-bench.js';
import type { ProgramOutputs, ProgramProgress } from './program.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface PoolSetup {
  /** Member names in party order, and this tab's index. */
  parties: string[];
  me: number;
  /** How long a peer's connection may stay down before it counts as gone. */
  graceMs: number;
}

/** A pool driven from the page, for diagnostics and tests of the message layer. */
export interface RemotePool {
  send(peer: number | string, value: unknown, id?: string): Promise<Outcome<null>>;
  recv(peer: number | string, id?: string, timeoutMs?: number): Promise<Outcome<unknown>>;
  broadcast(value: unknown, id: string): Promise<Outcome<null>>;
  flush(): Promise<Outcome<null>>;
  stats(): Promise<Record<string, number>>;
  close(): Promise<void>;
  /** Measurements run inside the worker, where MPC code runs (see bench/messages.ts). */
  measure: {
    /** `rounds` ping-pongs of a 16-byte message; the initiator returns each round trip in ms. */
    pingPong(peer: number, rounds: number, initiator: boolean): Promise<number[]>;
    /** Sends one Float64Array of `bytes` bytes; returns (when acknowledged) the epoch ms it started. */
    sendBulk(peer: number, bytes: number): Promise<number>;
    /** Receives it; returns the epoch ms at which it arrived whole. */
    recvBulk(peer: number): Promise<number>;
    sendSmall(peer: number, count: number): Promise<void>;
    recvSmall(peer: number, count: number): Promise<number>;
    /** Runs workers/engine-bench.ts as this party (0 or 1) of a SecureNumpy session on this pool. */
    engine(spec: EngineBenchSpec): Promise<PartyFigures>;
    /** Serves as the SecureNumpy dealer (this pool's party 2) until the parties' session ends. */
    dealer(): Promise<{ requests: number }>;
  };
}

export interface EngineApi {
  /** Takes one control port per peer (by party index), over which the page hands over channels. */
  attach(controls: Record<number, MessagePort>, setup: PoolSetup): Promise<void>;

  /**
   * Runs the job's SecureNumpy program on this party's input (rows of numbers, or null);
   * resolves to its outputs by name (null for outputs revealed to other parties).
   */
  runProgram(
    job: { text: string; input: number[][] | null; reveal: number[]; triples: 'dealer-free' | { dealer: number }; defaultOutput?: string },
    onProgress: (p: ProgramProgress) => void,
  ): Promise<Outcome<ProgramOutputs>>;

  /**
   * Serves as the job's participant dealer (pool index 2, for parties 0 and 1) until party 1
   * ends the session; `onServed` gets the running count of requests (at most every 100 ms).
   */
  serveDealer(onServed: (requests: number) => void): Promise<Outcome<{ requests: number }>>;

  /**
   * The seller's end of a market job: serves the buyer until it says goodbye. The worker checks
   * each request's countersignature against `serviceKey`; the page records each decryption on
   * the ledger before it happens.
   */
  marketSeller(
    job: { purchase: string; buyer: string; privateKey: Uint8Array; blob: Uint8Array; serviceKey: CryptoKey },
    recordDecryption: (seq: number) => Promise<Outcome<null>>,
    onServed: (op: string, count: number) => void,
  ): Promise<Outcome<{ requests: number }>>;

  /** The buyer's end: runs the computations in order and resolves to one answer each. */
  marketBuyer(
    job: { publicKey: PublicKeyJson; blob: Uint8Array | null; columns: Column[]; rows: number; offered: string[]; specs: unknown[]; remaining?: { results: number; conversions: number } },
    requestDecryption: (body: DecryptRequestBody) => Promise<Outcome<LedgerEntry>>,
    onStage: (stage: string, done?: number, total?: number) => void,
  ): Promise<Outcome<number[][]>>;

  /** Opens the job's pool for diagnostics; returns a handle. */
  openPool(): Promise<RemotePool>;
}
