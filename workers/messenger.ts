// Labelled messages between two parties over one Channel: send/recv by tag, early arrivals
// buffered, duplicates and double receives refused, timeouts, and every pending receive failed
// with a coded error when the peer aborts or leaves.
//
// Frame layout (little-endian): u8 kind (1 data, 2 abort) | u16 tag length | tag (UTF-8) |
// payload. A data payload is the raw bytes of a BigUint64Array; an abort payload is the JSON
// text of { code, message }.

import { ERROR_CODES, fromErrorInfo, isErrorCode, ParleyError, type ErrorInfo } from '../shared/errors.js';
import { MAX_FRAME_BYTES, type Channel } from './channel.js';

const KIND_DATA = 1;
const KIND_ABORT = 2;
const MAX_TAG_BYTES = 256;

interface Waiter {
  resolve(v: BigUint64Array): void;
  reject(e: ParleyError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

function encodeFrame(kind: number, tag: string, payload: Uint8Array): Uint8Array {
  const t = new TextEncoder().encode(tag);
  if (t.length > MAX_TAG_BYTES) throw new ParleyError('ERR_BAD_REQUEST', `tags are limited to ${MAX_TAG_BYTES} bytes`);
  const out = new Uint8Array(3 + t.length + payload.length);
  out[0] = kind;
  new DataView(out.buffer).setUint16(1, t.length, true);
  out.set(t, 3);
  out.set(payload, 3 + t.length);
  if (out.length > MAX_FRAME_BYTES) throw new ParleyError('ERR_TOO_LARGE', `a frame of ${out.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  return out;
}

function decodeFrame(b: Uint8Array): { kind: number; tag: string; payload: Uint8Array } {
  if (b.length < 3) throw new ParleyError('ERR_PROTOCOL', `expected a frame of at least 3 bytes, got ${b.length}`);
  const len = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(1, true);
  if (3 + len > b.length) throw new ParleyError('ERR_PROTOCOL', 'frame tag runs past the frame');
  return { kind: b[0]!, tag: new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(3, 3 + len)), payload: b.subarray(3 + len) };
}

export class Messenger {
  private readonly buffered = new Map<string, BigUint64Array>();
  private readonly waiting = new Map<string, Waiter>();
  private readonly seen = new Set<string>();
  private readonly asked = new Set<string>();
  private failure: ParleyError | null = null;

  constructor(
    private readonly channel: Channel,
    private readonly defaultTimeoutMs = 120_000,
  ) {
    channel.onMessage = (bytes) => this.receive(bytes);
    channel.onClose = (reason) => this.fail(fromErrorInfo(reason));
  }

  send(tag: string, words: BigUint64Array): void {
    if (this.failure) throw this.failure;
    this.channel.send(encodeFrame(KIND_DATA, tag, new Uint8Array(words.buffer, words.byteOffset, words.byteLength)));
  }

  recv(tag: string, timeoutMs = this.defaultTimeoutMs): Promise<BigUint64Array> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.asked.has(tag)) return Promise.reject(new ParleyError('ERR_DUPLICATE_ID', `a second receive on tag "${tag}"`));
    this.asked.add(tag);
    const early = this.buffered.get(tag);
    if (early) {
      this.buffered.delete(tag);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject, timer: null };
      w.timer = setTimeout(() => {
        this.waiting.delete(tag);
        reject(new ParleyError('ERR_TIMEOUT', `no message "${tag}" from the peer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(tag, w);
    });
  }

  /** Tells the peer this party stopped with `info`, then fails everything pending locally. */
  abort(info: ErrorInfo): void {
    if (!this.failure) {
      try {
        this.channel.send(encodeFrame(KIND_ABORT, '', new TextEncoder().encode(JSON.stringify(info))));
      } catch {
        /* the channel is already gone; the peer sees ERR_PEER_LEFT instead */
      }
    }
    this.fail(fromErrorInfo(info));
  }

  close(): void {
    this.fail(new ParleyError('ERR_CLOSED', 'the messenger was closed'));
    this.channel.close();
  }

  private receive(bytes: Uint8Array): void {
    if (this.failure) return;
    try {
      const { kind, tag, payload } = decodeFrame(bytes);
      if (kind === KIND_ABORT) return this.fail(peerAbort(payload));
      if (kind !== KIND_DATA) throw new ParleyError('ERR_PROTOCOL', `unknown frame kind ${kind}`);
      if (payload.length % 8 !== 0) throw new ParleyError('ERR_PROTOCOL', `payload of "${tag}" is not whole 64-bit words`);
      if (this.seen.has(tag)) throw new ParleyError('ERR_DUPLICATE_ID', `the peer sent "${tag}" twice`);
      this.seen.add(tag);
      const words = new BigUint64Array(payload.slice().buffer);
      const w = this.waiting.get(tag);
      if (w) {
        this.waiting.delete(tag);
        if (w.timer) clearTimeout(w.timer);
        w.resolve(words);
      } else if (this.asked.has(tag)) {
        // Its receive already timed out: a late message is refused, not stored for later.
        throw new ParleyError('ERR_PROTOCOL', `"${tag}" arrived after its receive timed out`);
      } else {
        this.buffered.set(tag, words);
      }
    } catch (e) {
      const err = e instanceof ParleyError ? e : new ParleyError('ERR_PROTOCOL', 'a malformed frame arrived');
      this.abort(err.toJSON());
    }
  }

  private fail(err: ParleyError): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiting.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiting.clear();
    this.buffered.clear();
  }
}

function peerAbort(payload: Uint8Array): ParleyError {
  let inner: { code?: unknown; message?: unknown } = {};
  try {
    inner = JSON.parse(new TextDecoder().decode(payload)) as typeof inner;
  } catch {
    /* an unreadable reason is still an abort */
  }
  const code = isErrorCode(inner.code) ? inner.code : 'ERR_INTERNAL';
  if (code === 'ERR_LENGTH_MISMATCH' || code === 'ERR_PEER_LEFT') return new ParleyError(code, `the peer reports: ${ERROR_CODES[code]}`);
  return new ParleyError('ERR_PEER_ABORTED', `the peer stopped with ${code}: ${typeof inner.message === 'string' ? inner.message.slice(0, 200) : ERROR_CODES[code]}`);
}
