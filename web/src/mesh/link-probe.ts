// Measures one open, authenticated peer link (peer-link.ts) for the dry run's time estimate
// (dryrun/time-model.ts): PROBE_ROUND_TRIPS small pings answered at once (their median is the
// round-trip time), then PROBE_FILL_BYTES of filler in 64 KiB frames followed by one ping: the
// channel is ordered and reliable, so its answer comes once the peer has read every filler byte,
// and throughput = filler bytes ÷ (time to that answer − one round trip). Frames on the link's
// control channel: PROBE_PING (u32 sequence number), answered by PROBE_PONG (the same number),
// and PROBE_FILL (ignored by the peer). About 1 MiB and a few round trips per probe.

import { ParleyError } from '../../../shared/errors.js';

const PROBE_PING = 0xf6;
const PROBE_PONG = 0xf7;
export const PROBE_FILL = 0xf8;
export const PROBE_ROUND_TRIPS = 8;
export const PROBE_FILL_BYTES = 1 << 20;
/** Under the data channel's largest message (256 KiB), and small enough to keep the queue short. */
const FILL_FRAME_BYTES = 64 * 1024;
/** A probe the peer does not answer in this time fails (ERR_TIMEOUT). */
const PROBE_TIMEOUT_MS = 10_000;
/** Throughput is computed over at least this long, so that a very fast link does not divide by ~0. */
const MIN_FILL_MS = 0.5;

/** What a probe measured. */
export interface LinkSample {
  /** Median round trip of a small message (ms). */
  rttMs: number;
  /** Sustained throughput of the link (bytes per second). */
  bytesPerSecond: number;
}

/** The link from a probe's samples: the median round trip, and the filler's bytes over its own time. */
export function linkFromSamples(roundTripsMs: readonly number[], fillBytes: number, fillMs: number): LinkSample {
  if (roundTripsMs.length === 0) throw new ParleyError('ERR_BAD_REQUEST', 'a probe needs at least one round trip');
  const sorted = [...roundTripsMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const rttMs = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const transferMs = Math.max(MIN_FILL_MS, fillMs - rttMs);
  return { rttMs, bytesPerSecond: (fillBytes / transferMs) * 1000 };
}

function frame(kind: number, seq: number, size = 5): Uint8Array {
  const out = new Uint8Array(size);
  out[0] = kind;
  new DataView(out.buffer).setUint32(1, seq);
  return out;
}

/** Whether a control-channel frame belongs to the probe. */
export function isProbeFrame(kind: number | undefined): boolean {
  return kind === PROBE_PING || kind === PROBE_PONG || kind === PROBE_FILL;
}

/** Both ends of the probe on one link: answers the peer's pings and measures the link on request. */
export class LinkProber {
  private seq = 0;
  private readonly waiting = new Map<number, () => void>();
  private running: Promise<LinkSample> | null = null;
  private closed = false;

  constructor(
    private readonly send: (frame: Uint8Array) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Handles a probe frame from the peer (see isProbeFrame). */
  onFrame(bytes: Uint8Array): void {
    if (bytes.length < 5 && bytes[0] !== PROBE_FILL) return;
    const seq = bytes.length >= 5 ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1) : 0;
    if (bytes[0] === PROBE_PING) this.send(frame(PROBE_PONG, seq));
    else if (bytes[0] === PROBE_PONG) this.waiting.get(seq)?.();
  }

  /** Measures the link (one probe at a time: a second call while one runs shares its result). */
  measure(): Promise<LinkSample> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /** Fails the probe in progress and any later one (the link closed). */
  abort(): void {
    this.closed = true;
    for (const done of this.waiting.values()) done();
  }

  /** Sends a ping (after `before`, if given) and resolves to the time until its answer (ms). */
  private async roundTrip(before?: () => void): Promise<number> {
    if (this.closed) throw new ParleyError('ERR_PEER_LEFT', 'the link closed during the probe');
    const seq = ++this.seq;
    const started = this.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiting.set(seq, resolve);
        timer = setTimeout(
          () => reject(new ParleyError('ERR_TIMEOUT', 'the peer did not answer the link probe')),
          PROBE_TIMEOUT_MS,
        );
        before?.();
        this.send(frame(PROBE_PING, seq));
      });
    } finally {
      clearTimeout(timer);
      this.waiting.delete(seq);
    }
    if (this.closed) throw new ParleyError('ERR_PEER_LEFT', 'the link closed during the probe');
    return this.now() - started;
  }

  private async run(): Promise<LinkSample> {
    const rtts: number[] = [];
    for (let i = 0; i < PROBE_ROUND_TRIPS; i++) rtts.push(await this.roundTrip());
    const filler = new Uint8Array(FILL_FRAME_BYTES);
    filler[0] = PROBE_FILL;
    const fillMs = await this.roundTrip(() => {
      for (let sent = 0; sent < PROBE_FILL_BYTES; sent += FILL_FRAME_BYTES) this.send(filler);
    });
    return linkFromSamples(rtts, PROBE_FILL_BYTES, fillMs);
  }
}
