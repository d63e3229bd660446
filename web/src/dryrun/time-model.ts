// The time model of a program job between tabs, from its dry run (workers/dry-run.ts):
//   time ≈ compute + rounds × RTT + bytes / throughput,
// where compute is the dry run's wall time (every party simulated in one worker, so both parties'
// work done one after the other: about what two tabs on one machine take side by side plus their
// messaging overhead), rounds the longest chain of dependent communication, and bytes what the
// busiest party sends (the links run in parallel). Before a job there is no link to measure (its
// mesh is made when members accept), so the estimate uses DEFAULT_LINK and says so; a measured
// link (rttMs, bytesPerSecond) can be passed instead. Pure, so unit-tested.

import type { JobEstimate } from '../../../shared/protocol.js';

export interface LinkModel {
  /** Round-trip time of one message and its reply (ms). */
  rttMs: number;
  /** Sustained throughput of one peer link (bytes per second). */
  bytesPerSecond: number;
  /** False for DEFAULT_LINK: an assumed link, not a measured one. */
  measured: boolean;
}

/**
 * The default link: two browser tabs on one machine or a local network, over WebRTC data channels
 * through the reliable, windowed message layer (workers/pool/reliable.ts) — 2 ms per round trip,
 * 5 MB/s per link (fitted to the e2e figures of the three presets between two tabs, README "Dry
 * run"). Over the internet, round trips are longer: the estimate is then low by rounds × the
 * difference.
 */
export const DEFAULT_LINK: LinkModel = { rttMs: 2, bytesPerSecond: 5_000_000, measured: false };

/** What the model needs from a dry run. */
export interface DryRunCounts {
  rounds: number;
  bytesSent: readonly number[];
  computeMs: number;
}

/** The estimated time between tabs (ms, rounded up). */
export function estimateMs(counts: DryRunCounts, link: LinkModel = DEFAULT_LINK): number {
  const bytes = Math.max(0, ...counts.bytesSent);
  return Math.ceil(counts.computeMs + counts.rounds * link.rttMs + (bytes / link.bytesPerSecond) * 1000);
}

/** The estimate a job carries (shared/protocol.ts JobEstimate), for `rows` rows per party. */
export function jobEstimate(counts: DryRunCounts, rows: number, link: LinkModel = DEFAULT_LINK): JobEstimate {
  return {
    ms: estimateMs(counts, link),
    rounds: counts.rounds,
    bytes: Math.max(0, ...counts.bytesSent),
    rows,
    measured: link.measured,
  };
}

/** A duration for people: "850 ms", "12 s", "3 min 20 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A byte count for people: "900 B", "12.3 kB", "4.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
