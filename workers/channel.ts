// The byte channel the engine speaks over: a data channel bridged through a MessagePort in the
// browser, or an in-memory pair in tests. Frames are delivered whole and in order.

import type { ErrorInfo } from '../shared/errors.js';

export interface Channel {
  send(bytes: Uint8Array): void;
  onMessage: ((bytes: Uint8Array) => void) | null;
  /** Called once when the channel is gone, with the reason (ERR_PEER_LEFT for a closed peer). */
  onClose: ((reason: ErrorInfo) => void) | null;
  close(): void;
}

/** Largest frame a WebRTC data channel carries in one message. */
export const MAX_FRAME_BYTES = 256 * 1024;

/** What the page and the worker post to each other on the MessagePort that carries a channel. */
export type PortMessage = { t: 'data'; bytes: ArrayBuffer } | { t: 'close'; reason: ErrorInfo };

/** A Channel over a MessagePort whose other end the page connects to the data channel. */
export function portChannel(port: MessagePort): Channel {
  let open = true;
  const ch: Channel = {
    onMessage: null,
    onClose: null,
    send(bytes) {
      if (!open) return;
      const copy = bytes.slice();
      port.postMessage({ t: 'data', bytes: copy.buffer } satisfies PortMessage, [copy.buffer]);
    },
    close() {
      if (!open) return;
      open = false;
      port.close();
    },
  };
  port.onmessage = (ev: MessageEvent<PortMessage>) => {
    if (!open) return;
    const m = ev.data;
    if (m.t === 'data') ch.onMessage?.(new Uint8Array(m.bytes));
    else {
      open = false;
      ch.onClose?.(m.reason);
    }
  };
  return ch;
}
