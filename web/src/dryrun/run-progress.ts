// One progress bar for a whole program run, counted against the job's dry-run estimate: the
// engine reports progress per stage (workers/program.ts ProgramProgress: 'running', then
// 'preprocessing' rounds that each count from 0, then 'done'), which restarts; this maps the
// stage events and the clock to a single fraction that only goes up, reaching 1 exactly at
// 'done', with the time remaining. While running, the fraction is the elapsed share of the
// estimate (at most RUNNING_CAP); past the estimate it creeps towards the cap and the remaining
// time is unknown (null). Without an estimate the bar is indeterminate (fraction null) until done.
// Pure, so unit-tested.

/** A stage event as the engine reports it (structurally workers/program.ts ProgramProgress). */
export interface StageEvent {
  stage: string;
  done: number;
  total: number;
}

export interface RunBar {
  /** When the run started (the first event), or null before. */
  startedAt: number | null;
  /** 0..1, never lower than before; null while indeterminate (no estimate). */
  fraction: number | null;
  /** Estimated time left (ms), or null when unknown. */
  remainingMs: number | null;
  done: boolean;
}

/** The bar never shows full before 'done'. */
export const RUNNING_CAP = 0.95;

export const IDLE_BAR: RunBar = { startedAt: null, fraction: null, remainingMs: null, done: false };

/**
 * The bar after a stage event (or a clock tick, `event` undefined) at time `now` (ms), for a
 * job estimated to take `estimateMs` (null: no estimate).
 */
export function advanceBar(bar: RunBar, now: number, estimateMs: number | null, event?: StageEvent): RunBar {
  if (bar.done) return bar;
  if (event?.stage === 'done') return { startedAt: bar.startedAt ?? now, fraction: 1, remainingMs: 0, done: true };
  const startedAt = bar.startedAt ?? (event ? now : null);
  if (startedAt === null) return bar;
  if (estimateMs === null || estimateMs <= 0) return { startedAt, fraction: null, remainingMs: null, done: false };
  const elapsed = Math.max(0, now - startedAt);
  const timed =
    elapsed <= estimateMs
      ? RUNNING_CAP * (elapsed / estimateMs) * 0.9
      : RUNNING_CAP * (0.9 + 0.1 * (1 - estimateMs / elapsed));
  const fraction = Math.min(RUNNING_CAP, Math.max(bar.fraction ?? 0, timed));
  return { startedAt, fraction, remainingMs: elapsed <= estimateMs ? estimateMs - elapsed : null, done: false };
}
