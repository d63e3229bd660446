// The connection a Pool uses to reach one peer: whole frames in order while up. It goes down
// when the underlying channel drops (frames in flight may be lost), comes up again after a
// reconnect, and is gone when the peer will not come back.

import type { ErrorInfo } from '../../shared/errors.js';

export type LinkEvent = { t: 'up' } | { t: 'down' } | { t: 'gone'; reason: ErrorInfo };

export interface Link {
  /** Sends one frame (at most MAX_FRAME_BYTES); dropped silently while down. */
  send(frame: Uint8Array): void;
  onFrame: ((frame: Uint8Array) => void) | null;
  onEvent: ((e: LinkEvent) => void) | null;
  /** Whether frames can flow now. */
  readonly up: boolean;
  close(): void;
}

/** Payload bytes per data frame: 64 KiB messages move fastest over data channels. */
export const CHUNK_BYTES = 64 * 1024;
