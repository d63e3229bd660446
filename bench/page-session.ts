// What the bench pages (market-page.ts, pool-page.ts) share to act as small clients of the real
// service without the app's UI: signing in with the app's Session, and waiting on its stores.

import type { Readable } from 'svelte/store';
import type { Role } from '../shared/protocol.js';
import { getConfig } from '../web/src/lib/api.js';
import { createIdentity } from '../web/src/lib/identity.js';
import { Session } from '../web/src/lib/session.js';

/** Resolves with the store's first value that passes `ok`; rejects after `timeoutMs`. */
export function until<T>(store: Readable<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let off: (() => void) | null = null;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      off?.();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    off = store.subscribe((v) => {
      if (done || !ok(v)) return;
      done = true;
      clearTimeout(timer);
      off?.();
      resolve(v);
    });
    if (done) off();
  });
}

/** A new identity named `name` with `roles`, signed in and online. */
export async function signIn(name: string, roles: Role[]): Promise<Session> {
  const session = new Session(await createIdentity(name, roles), await getConfig());
  await until(session.connection, (c) => c === 'online', 'the session');
  return session;
}
