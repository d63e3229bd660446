// Frames of the reliable peer protocol, little-endian:
//   DATA   u8 1 | u8 flags (1 = first chunk, 2 = last chunk) | u32 seq | [u32 message length, first only] | bytes
//   ABORT  u8 2 | UTF-8 JSON { code, message }
//   ACK    u8 3 | u32 seq            every frame up to seq arrived
//   RESUME u8 4 | u32 seq            sent on (re)connect: the last seq received in order
// Kinds 0xF0 and up are reserved for the page's link (authentication, heartbeat).

import { ParleyError } from '../../shared/errors.js';

export const DATA = 1;
export const ABORT = 2;
export const ACK = 3;
export const RESUME = 4;
export const FIRST = 1;
export const LAST = 2;

/** Allocates a DATA frame for `size` payload bytes and writes its header; returns it and where the payload goes. */
export function newDataFrame(
  seq: number,
  flags: number,
  messageLength: number,
  size: number,
): { frame: Uint8Array; at: number } {
  const at = flags & FIRST ? 10 : 6;
  const frame = new Uint8Array(at + size);
  const v = new DataView(frame.buffer);
  frame[0] = DATA;
  frame[1] = flags;
  v.setUint32(2, seq, true);
  if (flags & FIRST) v.setUint32(6, messageLength, true);
  return { frame, at };
}

export function seqFrame(kind: typeof ACK | typeof RESUME, seq: number): Uint8Array {
  const f = new Uint8Array(5);
  f[0] = kind;
  new DataView(f.buffer).setUint32(1, seq, true);
  return f;
}

export function abortFrame(info: { code: string; message: string }): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify({ code: info.code, message: info.message.slice(0, 500) }));
  const f = new Uint8Array(1 + body.length);
  f[0] = ABORT;
  f.set(body, 1);
  return f;
}

export type Frame =
  | { kind: typeof DATA; seq: number; first: boolean; last: boolean; messageLength: number; chunk: Uint8Array }
  | { kind: typeof ACK | typeof RESUME; seq: number }
  | { kind: typeof ABORT; info: unknown };

export function parseFrame(f: Uint8Array): Frame {
  const need = (n: number) => {
    if (f.length < n) throw new ParleyError('ERR_PROTOCOL', `expected a frame of at least ${n} bytes, got ${f.length}`);
  };
  need(1);
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  switch (f[0]) {
    case DATA: {
      need(6);
      const flags = f[1]!;
      const first = (flags & FIRST) !== 0;
      if (first) need(10);
      return {
        kind: DATA,
        seq: v.getUint32(2, true),
        first,
        last: (flags & LAST) !== 0,
        messageLength: first ? v.getUint32(6, true) : 0,
        chunk: f.subarray(first ? 10 : 6),
      };
    }
    case ACK:
    case RESUME:
      need(5);
      return { kind: f[0] as typeof ACK | typeof RESUME, seq: v.getUint32(1, true) };
    case ABORT: {
      let info: unknown = null;
      try {
        info = JSON.parse(new TextDecoder().decode(f.subarray(1)));
      } catch {
        /* an unreadable reason is still an abort */
      }
      return { kind: ABORT, info };
    }
    default:
      throw new ParleyError('ERR_PROTOCOL', `unknown frame kind ${f[0]}`);
  }
}
