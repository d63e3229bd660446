// One bar per run: monotone, never restarting when a stage's own count restarts, full only at done.

import { describe, expect, it } from 'vitest';
import {
  advanceBar,
  IDLE_BAR,
  RUNNING_CAP,
  type RunBar,
  type StageEvent,
} from '../../../web/src/dryrun/run-progress.js';

/** Replays events and clock ticks (event undefined) and returns every bar. */
function replay(estimate: number | null, steps: [number, StageEvent?][]): RunBar[] {
  const bars: RunBar[] = [];
  let bar = IDLE_BAR;
  for (const [at, event] of steps) {
    bar = advanceBar(bar, at, estimate, event);
    bars.push(bar);
  }
  return bars;
}

const restarting: [number, StageEvent?][] = [
  [1000, { stage: 'running', done: 0, total: 0 }],
  [1500, { stage: 'preprocessing', done: 5, total: 10 }],
  [2000, { stage: 'preprocessing', done: 10, total: 10 }],
  [2100, { stage: 'preprocessing', done: 0, total: 40 }], // a new round of preprocessing starts from 0
  [3000],
  [6000, { stage: 'preprocessing', done: 1, total: 40 }],
  [20_000], // far past the estimate
  [40_000],
  [41_000, { stage: 'done', done: 1, total: 1 }],
  [42_000],
];

describe('advanceBar', () => {
  it('only goes up, never restarts per stage, and reaches 100% exactly at done', () => {
    const bars = replay(4000, restarting);
    const fractions = bars.map((b) => b.fraction!);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions.slice(0, 8).every((f) => f < 1 && f <= RUNNING_CAP)).toBe(true);
    expect(fractions[8]).toBe(1);
    expect(bars[9]).toEqual(bars[8]);
    expect(bars[8]!.remainingMs).toBe(0);
  });

  it('counts the remaining time against the estimate, unknown once past it', () => {
    const bars = replay(4000, restarting);
    expect(bars[0]!.remainingMs).toBe(4000);
    expect(bars[4]!.remainingMs).toBe(2000);
    expect(bars[4]!.fraction).toBeCloseTo(RUNNING_CAP * 0.5 * 0.9);
    expect(bars[6]!.remainingMs).toBeNull();
  });

  it('waits for the first event, and is indeterminate without an estimate until done', () => {
    expect(advanceBar(IDLE_BAR, 5, 1000)).toEqual(IDLE_BAR);
    const bars = replay(null, restarting);
    expect(bars.slice(0, 8).every((b) => b.fraction === null && b.remainingMs === null)).toBe(true);
    expect(bars[8]!.fraction).toBe(1);
  });
});
