// Optional stage timestamps of the private join (protocol.ts, workers/securenumpy/ops-join.ts), for
// bench/join-party.ts to find where a join's time goes. Off by default: mark() is a no-op until a
// bench installs a recorder, and the product never does. Not part of the join's security.

type Recorder = (stage: string) => void;

let recorder: Recorder | null = null;

/** Install (or with null remove) the recorder called with each stage's name as it is reached. */
export function traceJoin(r: Recorder | null): void {
  recorder = r;
}

/** Record that this party reached `stage` (no-op without a recorder). */
export function mark(stage: string): void {
  if (recorder) recorder(stage);
}
