// A Link over WebRTC data channels that live in the worker itself: the page creates a
// negotiated channel for each new connection and transfers it here at once, so message frames
// never pass through the page. The page authenticates the connection on its own channel and
// then reports 'up' on the control port; frames that arrive before that, or before the job's
// Pool exists, are held (bounded: a peer has at most its window in flight) and delivered in order
// once the connection is authenticated and the Pool listens. The link is up only when the page
// has authenticated the connection AND this worker's channel is open: the two are separate
// channels, and a RESUME sent on a channel still connecting would be lost for good.

import { type ErrorInfo, ParleyError } from '../../shared/errors.js';
import type { Link, LinkEvent } from './link.js';

/** What the page posts on a peer's control port. */
export type ControlMessage =
  | { t: 'channel'; dc: RTCDataChannel }
  | { t: 'up' }
  | { t: 'down' }
  | { t: 'gone'; reason: ErrorInfo };

/** The negotiated data channel id the message layer uses on every peer connection. */
export const POOL_CHANNEL_ID = 1000;
const MAX_EARLY_FRAMES = 512;

export class ChannelLink implements Link {
  onEvent: ((e: LinkEvent) => void) | null = null;
  up = false;
  /** The page reported the connection authenticated (the channel may still be opening here). */
  private authenticated = false;
  private dc: RTCDataChannel | null = null;
  private held: Uint8Array[] = [];
  private handler: ((frame: Uint8Array) => void) | null = null;
  private closed = false;

  get onFrame(): ((frame: Uint8Array) => void) | null {
    return this.handler;
  }

  /** Set by the Pool's reliable layer; held frames follow once its constructor has run. */
  set onFrame(h: ((frame: Uint8Array) => void) | null) {
    this.handler = h;
    if (h) queueMicrotask(() => this.drain());
  }

  private deliver(frame: Uint8Array): void {
    if (this.up && this.handler && this.held.length === 0) this.handler(frame);
    else if (this.held.length < MAX_EARLY_FRAMES) this.held.push(frame);
  }

  private drain(): void {
    while (this.up && this.handler && this.held.length > 0) this.handler(this.held.shift()!);
  }

  constructor(control: MessagePort) {
    control.onmessage = (ev: MessageEvent<ControlMessage>) => this.control(ev.data);
  }

  private control(m: ControlMessage): void {
    if (this.closed) return;
    if (m.t === 'channel') return this.attach(m.dc);
    if (m.t === 'up') {
      this.authenticated = true;
      return this.maybeUp();
    }
    this.authenticated = false;
    this.up = false;
    this.onEvent?.(m.t === 'down' ? { t: 'down' } : { t: 'gone', reason: m.reason });
  }

  /** Up once authenticated and open: the reliable layer then sends its RESUME on a live channel. */
  private maybeUp(): void {
    if (this.up || !this.authenticated || this.dc?.readyState !== 'open') return;
    this.up = true;
    this.onEvent?.({ t: 'up' });
    this.drain();
  }

  /** A new connection's channel; the link stays down until the page says it is authenticated. */
  private attach(dc: RTCDataChannel): void {
    if (this.dc) (this.dc.onmessage = null), (this.dc.onopen = null);
    this.authenticated = false;
    if (this.up) {
      this.up = false;
      this.onEvent?.({ t: 'down' });
    }
    this.held = [];
    this.dc = dc;
    dc.binaryType = 'arraybuffer';
    dc.onmessage = (e: MessageEvent<ArrayBuffer>) => {
      if (this.dc === dc) this.deliver(new Uint8Array(e.data));
    };
    dc.onopen = () => {
      if (this.dc === dc) this.maybeUp();
    };
  }

  send(frame: Uint8Array): void {
    if (!this.up || this.closed || this.dc?.readyState !== 'open') return;
    try {
      this.dc.send(frame as Uint8Array<ArrayBuffer>);
    } catch (e) {
      // A full send queue or a closing channel: the frame stays unacknowledged and is resent.
      if (!(e instanceof DOMException)) throw new ParleyError('ERR_INTERNAL', String(e));
    }
  }

  close(): void {
    this.closed = true;
    if (this.dc) (this.dc.onmessage = null), (this.dc.onopen = null);
  }
}
