// Short-lived TURN credentials for logged-in sessions, by the TURN REST scheme that coturn
// implements with `use-auth-secret` / `static-auth-secret` (draft-uberti-behave-turn-rest-00):
// username = "<expiry, unix seconds>:<name>", credential = base64(HMAC-SHA1(secret, username)).
// The TURN server recomputes the HMAC with the shared secret and refuses the username once its
// expiry has passed, so a leaked credential relays for at most its TTL and names who it was for.
// Operator-written ICE entries with static credentials are handed to logged-in sessions only.

import { createHmac } from 'node:crypto';
import type { IceServer, IceServers } from '../shared/protocol.js';

export interface TurnOptions {
  /** turn: / turns: URLs of the TURN server(s) that share the secret. */
  urls: string[];
  /** The TURN server's static-auth-secret. */
  secret: string;
  /** Lifetime of one credential in seconds. */
  ttlSeconds: number;
}

/** The TURN REST credential for `name`, valid until `now + ttl`. */
function turnCredential(
  turn: TurnOptions,
  name: string,
  nowMs: number,
): { username: string; credential: string; expiresAt: number } {
  const expiry = Math.floor(nowMs / 1000) + turn.ttlSeconds;
  const username = `${expiry}:${name}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

/** ICE entries anyone may see: those without credentials (STUN, open relays). */
export const publicIceServers = (all: IceServer[]): IceServer[] =>
  all.filter((s) => s.username === undefined && s.credential === undefined);

/** What a logged-in participant gets: every configured entry, plus a fresh TURN credential. */
export function sessionIceServers(
  all: IceServer[],
  turn: TurnOptions | undefined,
  name: string,
  nowMs: number,
): IceServers {
  if (!turn) return { iceServers: all, expiresAt: null };
  const { username, credential, expiresAt } = turnCredential(turn, name, nowMs);
  return { iceServers: [...all, { urls: turn.urls, username, credential }], expiresAt };
}
