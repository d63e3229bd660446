// A Link over the MessagePort that the page bridges to a peer's data channel. The page reports
// the channel's state (up after authentication, down after a drop, gone when the peer will not
// come back) and moves frames as transferable buffers.

import type { ErrorInfo } from '../../shared/errors.js';
import type { Link, LinkEvent } from './link.js';

/** What page and worker post to each other on a link's port. */
export type PortMessage = { t: 'frame'; bytes: ArrayBuffer } | { t: 'up' } | { t: 'down' } | { t: 'gone'; reason: ErrorInfo };

export class PortLink implements Link {
  onFrame: ((frame: Uint8Array) => void) | null = null;
  onEvent: ((e: LinkEvent) => void) | null = null;
  up = false;
  private closed = false;

  constructor(private readonly port: MessagePort) {
    port.onmessage = (ev: MessageEvent<PortMessage>) => {
      if (this.closed) return;
      const m = ev.data;
      if (m.t === 'frame') {
        if (this.up) this.onFrame?.(new Uint8Array(m.bytes));
      } else if (m.t === 'up' || m.t === 'down') {
        this.up = m.t === 'up';
        this.onEvent?.({ t: m.t });
      } else {
        this.up = false;
        this.onEvent?.({ t: 'gone', reason: m.reason });
      }
    };
  }

  send(frame: Uint8Array): void {
    if (!this.up || this.closed) return;
    // The reliable layer keeps `frame` for resending, so the port gets a copy it may own.
    const copy = frame.slice();
    this.port.postMessage({ t: 'frame', bytes: copy.buffer } satisfies PortMessage, [copy.buffer]);
  }

  close(): void {
    this.closed = true;
    this.port.close();
  }
}
