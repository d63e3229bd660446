// The message layer MPC code talks through, for one job: send(peer, value, id?) and recv(peer,
// id?) with PETNet/TNO Pool semantics made strict. Ids are scoped by job and sender (each peer
// has its own reliable channel); without an id, per-peer send and receive counters pair messages
// up in order. A receive before the send waits; early messages are buffered; a duplicate id is an
// error, never an overwrite; a second receive on one id is an error, not a hang; a message that
// arrives after its receive timed out is reported, not stored for later. Early messages nobody has
// asked for yet are capped per peer (count and bytes, far above what lanes running ahead buffer);
// a peer past the cap aborts the job with ERR_TOO_LARGE rather than filling this tab's memory.

import { type CodecRegistry, decode, defaultRegistry, encode, encodedLength } from '../../shared/codec.js';
import { type ErrorInfo, ParleyError, toErrorInfo } from '../../shared/errors.js';
import type { Link } from './link.js';
import { ReliablePeer } from './reliable.js';

export type PeerRef = number | string;

export interface PoolOptions {
  /** Member names in party order (the job's members). */
  parties: readonly string[];
  /** This party's index. */
  me: number;
  /** One link per peer, by party index. */
  links: ReadonlyMap<number, Link>;
  /** Default receive timeout in ms (default: none; liveness comes from the grace period). */
  timeoutMs?: number;
  /** How long a peer's link may stay down before it counts as gone (default 20 s). */
  graceMs?: number;
  /** Unacknowledged bytes in flight per peer (default 12 MiB; data channels queue at most 16 MiB). */
  windowBytes?: number;
  registry?: CodecRegistry;
  /** Unclaimed early messages buffered per peer before the job aborts (default 2^20). */
  maxBufferedMessages?: number;
  /** Their bytes (default 1 GiB: well past any honest run-ahead, before a tab runs out of memory). */
  maxBufferedBytes?: number;
  /** Called when a message arrives after its receive timed out (it is dropped). */
  onLate?(peer: number, id: string): void;
}

interface Waiter {
  resolve(v: unknown): void;
  reject(e: ParleyError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

class PeerState {
  sendCounter = 0;
  recvCounter = 0;
  readonly sentIds = new Set<string>();
  readonly buffered = new Map<string, { value: unknown; bytes: number }>();
  bufferedBytes = 0;
  readonly waiting = new Map<string, Waiter>();
  readonly asked = new Set<string>();
  readonly arrived = new Set<string>();
  readonly timedOut = new Set<string>();
  failure: ParleyError | null = null;
  constructor(readonly rel: ReliablePeer) {}
}

export interface PoolStats {
  messagesSent: number;
  messagesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  framesResent: number;
  late: number;
}

const AUTO = 0;
const EXPLICIT = 1;
const MAX_ID_BYTES = 1024;
const MAX_BUFFERED_MESSAGES = 1 << 20;
const MAX_BUFFERED_BYTES = 2 ** 30;

/** Message header: u8 id kind | auto: u32 counter | explicit: u16 length + UTF-8; padded to 8 bytes. */
export function header(kind: number, id: string): Uint8Array {
  const text = kind === EXPLICIT ? new TextEncoder().encode(id) : new Uint8Array();
  if (text.length > MAX_ID_BYTES)
    throw new ParleyError('ERR_BAD_REQUEST', `message ids are limited to ${MAX_ID_BYTES} bytes`);
  const raw = kind === AUTO ? 5 : 3 + text.length;
  const h = new Uint8Array(Math.ceil(raw / 8) * 8);
  const v = new DataView(h.buffer);
  h[0] = kind;
  if (kind === AUTO) v.setUint32(1, Number(id), true);
  else {
    v.setUint16(1, text.length, true);
    h.set(text, 3);
  }
  return h;
}

function readHeader(b: Uint8Array): { key: string; id: string; body: Uint8Array } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 8) throw new ParleyError('ERR_PROTOCOL', `expected a message header, got ${b.length} bytes`);
  if (b[0] === AUTO) {
    const n = v.getUint32(1, true);
    return { key: `#${n}`, id: String(n), body: b.subarray(8) };
  }
  if (b[0] !== EXPLICIT) throw new ParleyError('ERR_PROTOCOL', `unknown message id kind ${b[0]}`);
  const len = v.getUint16(1, true);
  const end = Math.ceil((3 + len) / 8) * 8;
  if (end > b.length) throw new ParleyError('ERR_PROTOCOL', 'message id runs past the message');
  const id = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(3, 3 + len));
  return { key: `=${id}`, id, body: b.subarray(end) };
}

export class Pool {
  readonly parties: readonly string[];
  readonly me: number;
  private readonly peers = new Map<number, PeerState>();
  private readonly registry: CodecRegistry;
  private closed = false;
  private late = 0;
  private sent = 0;
  private received = 0;

  constructor(private readonly opts: PoolOptions) {
    this.parties = opts.parties;
    this.me = opts.me;
    this.registry = opts.registry ?? defaultRegistry;
    for (const [index, link] of opts.links) {
      if (index === opts.me || !(index in opts.parties))
        throw new ParleyError('ERR_BAD_REQUEST', `no peer with party index ${index}`);
      let state: PeerState | null = null;
      const rel = new ReliablePeer(link, {
        graceMs: opts.graceMs ?? 20_000,
        windowBytes: opts.windowBytes ?? 12 * 1024 * 1024,
        onMessage: (bytes) => state && this.deliver(index, state, bytes),
        onFail: (err) => state && this.failPeer(state, err),
      });
      state = new PeerState(rel);
      this.peers.set(index, state);
    }
  }

  /** The other parties' indices. */
  get peerIndices(): number[] {
    return [...this.peers.keys()];
  }

  /** Sends `value` to `peer`; resolves when it is handed to the reliable channel. */
  send(peer: PeerRef, value: unknown, id?: string): Promise<void> {
    try {
      const p = this.peer(peer);
      let kind = AUTO;
      let key: string;
      if (id === undefined) key = String(p.sendCounter++);
      else {
        kind = EXPLICIT;
        if (typeof id !== 'string') throw new ParleyError('ERR_BAD_REQUEST', `expected a string id, got ${typeof id}`);
        if (p.sentIds.has(id)) throw new ParleyError('ERR_DUPLICATE_ID', `id "${id}" was already sent to this peer`);
        p.sentIds.add(id);
        key = id;
      }
      const segments = [header(kind, key), ...encode(value, this.registry)];
      this.sent++;
      return p.rel.send(segments, encodedLength(segments));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Receives the message `id` (or the next one in order) from `peer`. */
  recv(peer: PeerRef, id?: string, opts: { timeoutMs?: number } = {}): Promise<unknown> {
    try {
      const p = this.peer(peer);
      const key = id === undefined ? `#${p.recvCounter++}` : `=${id}`;
      if (p.asked.has(key))
        throw new ParleyError(
          'ERR_DUPLICATE_ID',
          `a second receive on ${id === undefined ? 'one message' : `id "${id}"`}`,
        );
      p.asked.add(key);
      const early = p.buffered.get(key);
      if (early) {
        p.buffered.delete(key);
        p.bufferedBytes -= early.bytes;
        return Promise.resolve(early.value);
      }
      const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
      return new Promise((resolve, reject) => {
        const w: Waiter = { resolve, reject, timer: null };
        if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
          w.timer = setTimeout(() => {
            p.waiting.delete(key);
            p.timedOut.add(key);
            reject(
              new ParleyError(
                'ERR_TIMEOUT',
                `no message ${id === undefined ? key : `"${id}"`} from ${this.parties[this.index(peer)]} within ${timeoutMs} ms`,
              ),
            );
          }, timeoutMs);
        }
        p.waiting.set(key, w);
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Sends `value` under `id` to every peer. */
  async broadcast(value: unknown, id: string): Promise<void> {
    await Promise.all(this.peerIndices.map((i) => this.send(i, value, id)));
  }

  /** Resolves when every peer acknowledged everything sent to it. */
  async flush(): Promise<void> {
    await Promise.all([...this.peers.values()].map((p) => p.rel.flush()));
  }

  /** Tells every peer this party stopped with `info`; fails everything pending here. */
  abort(info: ErrorInfo): void {
    for (const p of this.peers.values()) p.rel.abort(info);
  }

  /** Idempotent. Pending and later calls fail with ERR_CLOSED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.peers.values()) p.rel.close();
  }

  get stats(): PoolStats {
    const s: PoolStats = {
      messagesSent: this.sent,
      messagesReceived: this.received,
      bytesSent: 0,
      bytesReceived: 0,
      framesResent: 0,
      late: this.late,
    };
    for (const p of this.peers.values()) {
      s.bytesSent += p.rel.stats.bytesSent;
      s.bytesReceived += p.rel.stats.bytesReceived;
      s.framesResent += p.rel.stats.framesResent;
    }
    return s;
  }

  /** Bytes sent to `peer` and not yet acknowledged. */
  inFlightBytes(peer: PeerRef): number {
    return this.peer(peer).rel.inFlightBytes;
  }

  private index(peer: PeerRef): number {
    const i = typeof peer === 'number' ? peer : this.parties.indexOf(peer);
    if (!Number.isInteger(i) || i < 0 || i >= this.parties.length)
      throw new ParleyError('ERR_BAD_REQUEST', `no party ${String(peer)} in this job`);
    if (i === this.me) throw new ParleyError('ERR_BAD_REQUEST', 'a party cannot send to itself');
    return i;
  }

  private peer(peer: PeerRef): PeerState {
    if (this.closed) throw new ParleyError('ERR_CLOSED', 'the pool was closed');
    const p = this.peers.get(this.index(peer));
    if (!p) throw new ParleyError('ERR_BAD_REQUEST', `no link to party ${String(peer)}`);
    if (p.failure) throw p.failure;
    return p;
  }

  private deliver(index: number, p: PeerState, bytes: Uint8Array): void {
    let key: string;
    let id: string;
    let value: unknown;
    try {
      const h = readHeader(bytes);
      ({ key, id } = h);
      value = decode(h.body, this.registry);
    } catch (e) {
      return p.rel.abort(
        toErrorInfo(e instanceof ParleyError ? e : new ParleyError('ERR_PROTOCOL', 'an undecodable message arrived')),
      );
    }
    if (p.arrived.has(key)) {
      return p.rel.abort({ code: 'ERR_DUPLICATE_ID', message: `${this.parties[index]} sent id "${id}" twice` });
    }
    p.arrived.add(key);
    this.received++;
    const w = p.waiting.get(key);
    if (w) {
      p.waiting.delete(key);
      if (w.timer) clearTimeout(w.timer);
      w.resolve(value);
    } else if (p.timedOut.has(key)) {
      this.late++;
      this.opts.onLate?.(index, id);
    } else {
      const maxMessages = this.opts.maxBufferedMessages ?? MAX_BUFFERED_MESSAGES;
      const maxBytes = this.opts.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
      if (p.buffered.size >= maxMessages || p.bufferedBytes + bytes.length > maxBytes)
        return p.rel.abort({
          code: 'ERR_TOO_LARGE',
          message: `${this.parties[index]} sent more than ${maxMessages} messages or ${maxBytes} bytes nobody asked for yet`,
        });
      p.buffered.set(key, { value, bytes: bytes.length });
      p.bufferedBytes += bytes.length;
    }
  }

  private failPeer(p: PeerState, err: ParleyError): void {
    p.failure = err;
    for (const w of p.waiting.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
    p.waiting.clear();
    p.buffered.clear();
    p.bufferedBytes = 0;
  }
}
