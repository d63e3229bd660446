// What the bench pages (market-page.ts, pool-page.ts) share to act as small clients of the real
// service without the app's UI: signing in with the app's Connection, and waiting on its jobs.

import type { Job, Role } from '../shared/protocol.js';
import { Connection } from '../web/src/connection/connection.svelte.js';
import { getConfig } from '../web/src/connection/service-info.js';
import { createIdentity } from '../web/src/identity/identity.js';

/** Resolves with the first value `watch` reports that passes `ok`; rejects after `timeoutMs`. */
type Watch<T> = (w: (v: T) => void) => () => void;

function until<T>(watch: Watch<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let off: (() => void) | null = null;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      off?.();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    off = watch((v) => {
      if (done || !ok(v)) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => off?.());
      resolve(v);
    });
  });
}

/** Resolves with the connection's job list once it passes `ok`. */
export function untilJobs(c: Connection, ok: (jobs: readonly Job[]) => boolean, what: string): Promise<readonly Job[]> {
  return until((w) => c.watchJobs(w), ok, what);
}

/** A new identity named `name` with `roles`, signed in and online. */
export async function signIn(name: string, roles: Role[]): Promise<Connection> {
  const c = new Connection(await createIdentity(name, roles), await getConfig());
  await until<boolean>(
    (w) => c.watchOnline(() => w(true)),
    (online) => online,
    'the connection',
  );
  return c;
}
