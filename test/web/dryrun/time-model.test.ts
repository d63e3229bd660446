// The time model: compute + rounds × RTT + bytes of the busiest party / throughput.

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LINK,
  defaultLink,
  describeLink,
  estimateMs,
  formatBytes,
  formatDuration,
  jobEstimate,
  peerLink,
  serviceLink,
} from '../../../web/src/dryrun/time-model.js';
import { linkFromSamples } from '../../../web/src/mesh/link-probe.js';

describe('time model', () => {
  it('adds compute, rounds × RTT and the busiest party’s bytes / throughput', () => {
    const link = peerLink('bob', { rttMs: 10, bytesPerSecond: 1_000_000 });
    // 500 + 30 × 10 + 2 MB / 1 MB/s = 500 + 300 + 2000
    expect(estimateMs({ rounds: 30, bytesSent: [1_000_000, 2_000_000, 5], computeMs: 500 }, link)).toBe(2800);
    expect(estimateMs({ rounds: 0, bytesSent: [], computeMs: 0.2 }, link)).toBe(1);
  });

  it('uses the default link unless told, and says whether the link was measured', () => {
    const counts = { rounds: 100, bytesSent: [5_000_000, 10], computeMs: 1000 };
    expect(estimateMs(counts)).toBe(1000 + 100 * DEFAULT_LINK.rttMs + 1000);
    expect(jobEstimate(counts, 200)).toEqual({
      ms: 1000 + 100 * DEFAULT_LINK.rttMs + 1000,
      rounds: 100,
      bytes: 5_000_000,
      rows: 200,
      measured: false,
    });
    expect(jobEstimate(counts, 200, peerLink('bob', { rttMs: 1, bytesPerSecond: 5e6 })).measured).toBe(true);
    expect(jobEstimate(counts, 200, serviceLink(1)).measured).toBe(false);
  });

  it('estimates from a measured link: the probe’s median round trip and its throughput sample', () => {
    // Eight round trips (median 3.1 ms) and 1 MiB answered 28 ms after the first filler byte went out.
    const sample = linkFromSamples([3.4, 2.9, 3.0, 3.2, 9.5, 3.1, 3.1, 2.8], 1 << 20, 28);
    expect(sample.rttMs).toBeCloseTo(3.1, 10);
    expect(sample.bytesPerSecond).toBeCloseTo((1 << 20) / 0.0249, 0); // 1 MiB over 28 − 3.1 ms
    const link = peerLink('bob', sample);
    const counts = { rounds: 181, bytesSent: [7_876_349, 7_909_125], computeMs: 1667 };
    // 1667 + 181 × 3.1 + 7,909,125 B ÷ 42.1 MB/s
    expect(estimateMs(counts, link)).toBe(Math.ceil(1667 + 181 * 3.1 + (7_909_125 / sample.bytesPerSecond) * 1000));
    expect(estimateMs(counts, link)).toBeLessThan(estimateMs(counts)); // a faster link than the default
    expect(jobEstimate(counts, 100, link)).toMatchObject({ rounds: 181, bytes: 7_909_125, rows: 100, measured: true });
    expect(describeLink(link)).toBe('measured to bob: 3.1 ms, 42.1 MB/s');
  });

  it('takes the service’s round trip for both hops, with the default throughput, and says so', () => {
    const link = serviceLink(0.6);
    expect(link).toMatchObject({ rttMs: 1.2, bytesPerSecond: DEFAULT_LINK.bytesPerSecond });
    expect(estimateMs({ rounds: 1000, bytesSent: [0], computeMs: 0 }, link)).toBe(1200);
    expect(describeLink(link)).toBe(
      'through the service: 0.6 ms round trip to it, 1.2 ms for both hops; 5.0 MB/s assumed (no open channel to a member)',
    );
    expect(describeLink(defaultLink('this tab is offline'))).toBe(
      'default link: this tab is offline; assumed 2.0 ms, 5.0 MB/s',
    );
  });

  it('refuses a probe without round trips, and never divides by a near-zero transfer time', () => {
    expect(() => linkFromSamples([], 1000, 5)).toThrow(/at least one round trip/);
    expect(linkFromSamples([4], 1_000_000, 4).bytesPerSecond).toBe(2e9); // over 0.5 ms at least
  });

  it('formats durations and sizes', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(12_340)).toBe('12.3 kB');
    expect(formatBytes(4_500_000)).toBe('4.5 MB');
  });
});
