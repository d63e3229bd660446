// The time model of a program job between tabs, from its dry run (workers/dry-run.ts):
//   time ≈ compute + rounds × RTT + bytes / throughput,
// where compute is the dry run's wall time (every party simulated in one worker, so both parties'
// work done one after the other: about what two tabs on one machine take side by side plus their
// messaging overhead), rounds the longest chain of dependent communication, and bytes what the
// busiest party sends (the links run in parallel). The link (RTT, throughput) is the best one the
// proposer's tab could measure (measure-link.ts), and says where it came from (LinkSource):
// probed over an open data channel to a member (peerLink), else round trips to the service for
// both hops with the throughput assumed (serviceLink), else DEFAULT_LINK. Pure, so unit-tested.

import type { JobEstimate } from '../../../shared/protocol.js';

/** Where a link's figures came from. */
type LinkSource =
  /** Probed over an open WebRTC data channel to this member (mesh/link-probe.ts). */
  | { kind: 'peer'; peer: string }
  /** No open channel to a member: the round trip to the service (× 2 hops); throughput assumed. */
  | { kind: 'service'; rttToServiceMs: number }
  /** Nothing measured, and why. */
  | { kind: 'default'; reason: string };

export interface LinkModel {
  /** Round-trip time of one message and its reply (ms). */
  rttMs: number;
  /** Sustained throughput of one peer link (bytes per second). */
  bytesPerSecond: number;
  source: LinkSource;
}

/**
 * The default link: two browser tabs on one machine or a local network, over WebRTC data channels
 * through the reliable, windowed message layer (workers/pool/reliable.ts) — 2 ms per round trip,
 * 5 MB/s per link (fitted to the e2e figures of the three presets between two tabs, README "Dry
 * run"). Over the internet, round trips are longer: the estimate is then low by rounds × the
 * difference.
 */
export const DEFAULT_LINK: LinkModel = {
  rttMs: 2,
  bytesPerSecond: 5_000_000,
  source: { kind: 'default', reason: 'nothing measured' },
};

/** A link probed over an open data channel to `peer`. */
export function peerLink(peer: string, sample: { rttMs: number; bytesPerSecond: number }): LinkModel {
  return { rttMs: sample.rttMs, bytesPerSecond: sample.bytesPerSecond, source: { kind: 'peer', peer } };
}

/**
 * The link when only the service could be reached: a member's channel runs at most through the
 * service (a TURN relay there, or a shorter direct path), so the round trip is taken as this tab's
 * round trip to the service for each of the two hops; the throughput is DEFAULT_LINK's.
 */
export function serviceLink(rttToServiceMs: number): LinkModel {
  return {
    rttMs: 2 * rttToServiceMs,
    bytesPerSecond: DEFAULT_LINK.bytesPerSecond,
    source: { kind: 'service', rttToServiceMs },
  };
}

/** DEFAULT_LINK, saying why nothing was measured. */
export function defaultLink(reason: string): LinkModel {
  return { ...DEFAULT_LINK, source: { kind: 'default', reason } };
}

const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

/** Which link an estimate used, for people: "measured to bob: 3.1 ms, 42.0 MB/s". */
export function describeLink(link: LinkModel): string {
  const rate = `${formatBytes(Math.round(link.bytesPerSecond))}/s`;
  switch (link.source.kind) {
    case 'peer':
      return `measured to ${link.source.peer}: ${ms(link.rttMs)}, ${rate}`;
    case 'service':
      return `through the service: ${ms(link.source.rttToServiceMs)} round trip to it, ${ms(link.rttMs)} for both hops; ${rate} assumed (no open channel to a member)`;
    case 'default':
      return `default link: ${link.source.reason}; assumed ${ms(link.rttMs)}, ${rate}`;
  }
}

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
    measured: link.source.kind === 'peer',
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
