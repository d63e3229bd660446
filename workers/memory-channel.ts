// An in-memory pair of channels for unit tests and runLocal: asynchronous, ordered delivery,
// and closing one end closes the other with ERR_PEER_LEFT.

import type { ErrorInfo } from '../shared/errors.js';
import type { Channel } from './channel.js';

class MemoryChannel implements Channel {
  onMessage: ((bytes: Uint8Array) => void) | null = null;
  onClose: ((reason: ErrorInfo) => void) | null = null;
  peer: MemoryChannel | null = null;
  private open = true;

  send(bytes: Uint8Array): void {
    if (!this.open) return;
    const copy = bytes.slice();
    setTimeout(() => this.peer?.deliver(copy), 0);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    setTimeout(() => this.peer?.gone(), 0);
  }

  private deliver(bytes: Uint8Array): void {
    if (this.open) this.onMessage?.(bytes);
  }

  private gone(): void {
    if (!this.open) return;
    this.open = false;
    this.onClose?.({ code: 'ERR_PEER_LEFT', message: 'the peer closed the channel' });
  }
}

export function memoryChannelPair(): [Channel, Channel] {
  const a = new MemoryChannel();
  const b = new MemoryChannel();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
