// Exactly-once, in-order delivery of whole messages to one peer over a Link that may drop and
// come back. Messages are cut into numbered chunks; the peer acknowledges what it received; the
// sender keeps unacknowledged chunks (at most `windowBytes`, which is also the back-pressure on
// the sender) and after a reconnect resends only what the peer reports missing. A peer that stays
// down longer than the grace period is gone: everything pending fails with ERR_PEER_LEFT.
// A message is assembled in a buffer that grows as its bytes arrive (never beyond twice what
// arrived), so a frame that declares a huge length costs the receiver nothing until it is sent.

import { ERROR_CODES, type ErrorInfo, isErrorCode, ParleyError } from '../../shared/errors.js';
import { ABORT, ACK, abortFrame, DATA, FIRST, LAST, newDataFrame, parseFrame, RESUME, seqFrame } from './frames.js';
import { CHUNK_BYTES, type Link } from './link.js';

export interface ReliableOptions {
  /** How long the link may stay down before the peer counts as gone. */
  graceMs: number;
  /** Unacknowledged bytes in flight before senders wait. */
  windowBytes: number;
  onMessage(bytes: Uint8Array): void;
  onFail(err: ParleyError): void;
}

const MAX_MESSAGE_BYTES = 2 ** 31 - 1;
/** The assembly buffer's first size; it doubles as needed, up to the declared length. */
const FIRST_BUFFER_BYTES = 1 << 20;
const ACK_EVERY_BYTES = 1 << 20;
const ACK_DELAY_MS = 10;

interface Outgoing {
  segments: Uint8Array[];
  length: number;
  sent: number;
  seg: number;
  segOffset: number;
  resolve(): void;
  reject(e: ParleyError): void;
}

export interface ReliableStats {
  framesSent: number;
  framesResent: number;
  bytesSent: number;
  bytesReceived: number;
}

export class ReliablePeer {
  failure: ParleyError | null = null;
  readonly stats: ReliableStats = { framesSent: 0, framesResent: 0, bytesSent: 0, bytesReceived: 0 };
  private sendSeq = 0;
  private recvSeq = 0;
  private readonly unacked: { seq: number; frame: Uint8Array }[] = [];
  private unackedBytes = 0;
  private readonly queue: Outgoing[] = [];
  private synced = false;
  private assembling: { buf: Uint8Array; offset: number; length: number } | null = null;
  private pendingAckBytes = 0;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private flushWaiters: { resolve(): void; reject(e: ParleyError): void }[] = [];

  constructor(
    private readonly link: Link,
    private readonly opts: ReliableOptions,
  ) {
    link.onFrame = (f) => this.onFrame(f);
    link.onEvent = (e) => {
      if (e.t === 'up') this.onUp();
      else if (e.t === 'down') this.onDown();
      else this.fail(new ParleyError(isErrorCode(e.reason.code) ? e.reason.code : 'ERR_PEER_LEFT', e.reason.message));
    };
    if (link.up) this.onUp();
    else this.onDown();
  }

  /** Queues a message; resolves once all of it is handed to the link (acknowledged or not). */
  send(segments: Uint8Array[], length: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (length > MAX_MESSAGE_BYTES)
      return Promise.reject(new ParleyError('ERR_TOO_LARGE', `messages are limited to ${MAX_MESSAGE_BYTES} bytes`));
    return new Promise((resolve, reject) => {
      this.queue.push({ segments, length, sent: 0, seg: 0, segOffset: 0, resolve, reject });
      this.pump();
    });
  }

  /** Bytes sent but not yet acknowledged (bounded by the window). */
  get inFlightBytes(): number {
    return this.unackedBytes;
  }

  /** Resolves when everything sent so far is acknowledged by the peer. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.length === 0 && this.unacked.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.flushWaiters.push({ resolve, reject }));
  }

  /** Tells the peer this party stopped, then fails locally. */
  abort(info: ErrorInfo): void {
    if (!this.failure && this.link.up) this.link.send(abortFrame(info));
    this.fail(new ParleyError(isErrorCode(info.code) ? info.code : 'ERR_INTERNAL', info.message));
  }

  /** Acknowledges what arrived (so the peer's flush can finish), then stops with ERR_CLOSED. */
  close(): void {
    if (this.failure) return;
    if (this.ackTimer) this.sendAck();
    this.fail(new ParleyError('ERR_CLOSED', 'the pool was closed'));
  }

  fail(err: ParleyError): void {
    if (this.failure) return;
    this.failure = err;
    for (const t of [this.ackTimer, this.graceTimer]) if (t) clearTimeout(t);
    for (const q of this.queue.splice(0)) q.reject(err);
    for (const w of this.flushWaiters.splice(0)) w.reject(err);
    this.unacked.length = 0;
    this.assembling = null;
    this.opts.onFail(err);
  }

  private onUp(): void {
    if (this.failure) return;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.synced = false;
    this.link.send(seqFrame(RESUME, this.recvSeq)); // the peer answers with its own RESUME
  }

  private onDown(): void {
    if (this.failure) return;
    this.synced = false;
    if (this.graceTimer) return;
    this.graceTimer = setTimeout(() => {
      this.fail(new ParleyError('ERR_PEER_LEFT', `the peer did not come back within ${this.opts.graceMs} ms`));
    }, this.opts.graceMs);
  }

  private onFrame(bytes: Uint8Array): void {
    if (this.failure) return;
    try {
      const f = parseFrame(bytes);
      if (f.kind === DATA) this.onData(f.seq, f.first, f.last, f.messageLength, f.chunk);
      else if (f.kind === ACK) this.onAck(f.seq);
      else if (f.kind === RESUME) this.onResume(f.seq);
      else if (f.kind === ABORT) this.fail(peerAbort(f.info));
    } catch (e) {
      const err = e instanceof ParleyError ? e : new ParleyError('ERR_PROTOCOL', 'a malformed frame arrived');
      this.abort(err.toJSON());
    }
  }

  private onData(seq: number, first: boolean, last: boolean, messageLength: number, chunk: Uint8Array): void {
    if (seq <= this.recvSeq) return; // a resend of what already arrived
    if (seq !== this.recvSeq + 1)
      throw new ParleyError('ERR_PROTOCOL', `expected frame ${this.recvSeq + 1}, got ${seq}`);
    this.recvSeq = seq;
    this.stats.bytesReceived += chunk.length;
    if (first) {
      if (this.assembling) throw new ParleyError('ERR_PROTOCOL', 'a new message started inside another');
      if (messageLength > MAX_MESSAGE_BYTES)
        throw new ParleyError('ERR_PROTOCOL', `message of ${messageLength} bytes is over the limit`);
      this.assembling = {
        buf: new Uint8Array(Math.min(messageLength, FIRST_BUFFER_BYTES)),
        offset: 0,
        length: messageLength,
      };
    }
    const a = this.assembling;
    if (!a) throw new ParleyError('ERR_PROTOCOL', 'a continuation frame arrived outside a message');
    const end = a.offset + chunk.length;
    if (end > a.length) throw new ParleyError('ERR_PROTOCOL', 'a message is longer than it declared');
    if (end > a.buf.length) {
      const grown = new Uint8Array(Math.min(a.length, Math.max(end, 2 * a.buf.length)));
      grown.set(a.buf.subarray(0, a.offset));
      a.buf = grown;
    }
    a.buf.set(chunk, a.offset);
    a.offset = end;
    this.pendingAckBytes += chunk.length + 10;
    if (last) {
      if (a.offset !== a.length)
        throw new ParleyError('ERR_PROTOCOL', `expected ${a.length} message bytes, got ${a.offset}`);
      this.assembling = null;
      this.opts.onMessage(a.buf); // whole: the buffer reached the declared length
    }
    this.scheduleAck();
  }

  /** Acknowledges every megabyte at once, and otherwise after a short delay, coalesced. */
  private scheduleAck(): void {
    if (this.pendingAckBytes >= ACK_EVERY_BYTES) return this.sendAck();
    this.ackTimer ??= setTimeout(() => this.sendAck(), ACK_DELAY_MS);
  }

  private sendAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.pendingAckBytes = 0;
    if (this.link.up && !this.failure) this.link.send(seqFrame(ACK, this.recvSeq));
  }

  private onAck(seq: number): void {
    if (seq > this.sendSeq)
      throw new ParleyError('ERR_PROTOCOL', `acknowledgement of frame ${seq}, only ${this.sendSeq} sent`);
    let n = 0;
    while (n < this.unacked.length && this.unacked[n]!.seq <= seq) this.unackedBytes -= this.unacked[n++]!.frame.length;
    this.unacked.splice(0, n);
    if (this.queue.length === 0 && this.unacked.length === 0) for (const w of this.flushWaiters.splice(0)) w.resolve();
    this.pump();
  }

  /** The peer (re)connected and says what it has: resend the rest, in order, then go on. */
  private onResume(seq: number): void {
    this.onAck(seq);
    this.synced = true;
    for (const u of this.unacked) {
      this.link.send(u.frame);
      this.stats.framesResent++;
    }
    this.pump();
  }

  private pump(): void {
    while (
      !this.failure &&
      this.synced &&
      this.link.up &&
      this.queue.length > 0 &&
      this.unackedBytes < this.opts.windowBytes
    ) {
      const m = this.queue[0]!;
      const first = m.sent === 0;
      const size = Math.min(CHUNK_BYTES, m.length - m.sent);
      const last = m.sent + size === m.length;
      const { frame, at } = newDataFrame(this.sendSeq + 1, (first ? FIRST : 0) | (last ? LAST : 0), m.length, size);
      let filled = 0;
      while (filled < size) {
        const seg = m.segments[m.seg]!;
        const take = Math.min(size - filled, seg.length - m.segOffset);
        frame.set(seg.subarray(m.segOffset, m.segOffset + take), at + filled);
        filled += take;
        m.segOffset += take;
        if (m.segOffset === seg.length) {
          m.seg++;
          m.segOffset = 0;
        }
      }
      m.sent += size;
      this.sendSeq++;
      this.unacked.push({ seq: this.sendSeq, frame });
      this.unackedBytes += frame.length;
      this.stats.framesSent++;
      this.stats.bytesSent += size;
      this.link.send(frame);
      if (last) {
        this.queue.shift();
        m.resolve();
      }
    }
  }
}

function peerAbort(info: unknown): ParleyError {
  const { code, message } = (info ?? {}) as { code?: unknown; message?: unknown };
  const c = isErrorCode(code) ? code : 'ERR_INTERNAL';
  if (c === 'ERR_LENGTH_MISMATCH' || c === 'ERR_PEER_LEFT')
    return new ParleyError(c, `the peer reports: ${ERROR_CODES[c]}`);
  return new ParleyError(
    'ERR_PEER_ABORTED',
    `the peer stopped with ${c}: ${typeof message === 'string' ? message.slice(0, 200) : ERROR_CODES[c]}`,
  );
}
