// The time model: compute + rounds × RTT + bytes of the busiest party / throughput.

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LINK,
  estimateMs,
  formatBytes,
  formatDuration,
  jobEstimate,
} from '../../../web/src/dryrun/time-model.js';

describe('time model', () => {
  it('adds compute, rounds × RTT and the busiest party’s bytes / throughput', () => {
    const link = { rttMs: 10, bytesPerSecond: 1_000_000, measured: true };
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
    expect(jobEstimate(counts, 200, { rttMs: 1, bytesPerSecond: 5e6, measured: true }).measured).toBe(true);
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
