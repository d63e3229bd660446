// The link probe (web/src/mesh/link-probe.ts) between two probers over a simulated link with a
// known latency and bandwidth (fake timers, so the figures are exact): it finds the round trip and
// the throughput, answers the peer's pings, and fails when the link closes or the peer is silent.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LinkProber, PROBE_FILL, PROBE_FILL_BYTES, PROBE_ROUND_TRIPS } from '../../../web/src/mesh/link-probe.js';

/** Each direction: frames go out one after the other at `bytesPerMs` (whole ms), then take `latencyMs`. */
function simulatedLink(latencyMs: number, bytesPerMs: number) {
  const ends: LinkProber[] = [];
  const busyUntil = [0, 0];
  const sent = [0, 0];
  const sender = (from: 0 | 1) => (frame: Uint8Array) => {
    const copy = frame.slice();
    sent[from]! += copy.length;
    const now = Date.now();
    busyUntil[from] = Math.max(busyUntil[from]!, now) + Math.ceil(copy.length / bytesPerMs);
    setTimeout(() => ends[1 - from]!.onFrame(copy), busyUntil[from]! + latencyMs - now);
  };
  ends.push(new LinkProber(sender(0), () => Date.now()), new LinkProber(sender(1), () => Date.now()));
  return { a: ends[0]!, b: ends[1]!, sent };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('LinkProber', () => {
  it('measures the round trip and the throughput of the link', async () => {
    // 2 ms each way; 32,768 bytes per ms (a 64 KiB frame takes 2 ms, a ping 1 ms): a round trip is
    // 2 × (1 + 2) = 6 ms, and 1 MiB takes 32 ms on top of it.
    const { a, b, sent } = simulatedLink(2, 32_768);
    const measured = a.measure();
    await vi.advanceTimersByTimeAsync(1000);
    const sample = await measured;
    expect(sample.rttMs).toBe(6);
    expect(sample.bytesPerSecond).toBeCloseTo(32_768_000, 0);
    // What went over the link: the pings and the filler one way, only the answers back.
    expect(sent[0]).toBe(5 * (PROBE_ROUND_TRIPS + 1) + PROBE_FILL_BYTES);
    expect(sent[1]).toBe(5 * (PROBE_ROUND_TRIPS + 1));
    // Either end can measure: b answers a's pings and a answers b's.
    const back = b.measure();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await back).rttMs).toBe(6);
  });

  it('shares one probe between calls made while it runs', async () => {
    const { a } = simulatedLink(1, 65_536);
    const [first, second] = [a.measure(), a.measure()];
    expect(second).toBe(first);
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    expect(a.measure()).not.toBe(first); // a later call probes again
    await vi.advanceTimersByTimeAsync(1000);
  });

  it('ignores filler and short frames, and fails when the link closes or the peer stays silent', async () => {
    const { a } = simulatedLink(1, 65_536);
    const silent = new LinkProber(
      () => undefined,
      () => Date.now(),
    );
    silent.onFrame(Uint8Array.of(PROBE_FILL)); // nothing to answer
    silent.onFrame(Uint8Array.of(0xf6, 1)); // too short to be a ping
    const timedOut = expect(silent.measure()).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(10_001);
    await timedOut;

    const closing = expect(a.measure()).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
    a.abort();
    await vi.advanceTimersByTimeAsync(1000);
    await closing;
    await expect(a.measure()).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
  });
});
