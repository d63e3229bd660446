// Test helpers that act as a tab would: a P-256 identity, the HTTP login, a socket.io client
// with ticket auth, and a promise wrapper for coded acknowledgements.

import { io, type Socket } from 'socket.io-client';
import { loginStatement, type PublicJwk, SIGN_ALGORITHM, SIGN_PARAMS } from '../../shared/identity.js';
import type { ClientToServer, ServerToClient } from '../../shared/protocol.js';
import { toBase64Url } from '../../shared/random.js';

export type ClientSocket = Socket<ServerToClient, ClientToServer>;

export interface TestIdentity {
  name: string;
  roles?: string[];
  keys: CryptoKeyPair;
  publicKey: PublicJwk;
}

export async function makeIdentity(name: string, roles?: string[]): Promise<TestIdentity> {
  const keys = (await crypto.subtle.generateKey(SIGN_ALGORITHM, false, ['sign', 'verify'])) as CryptoKeyPair;
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey);
  return { name, keys, publicKey: { kty, crv, x, y } as PublicJwk, roles };
}

/** A client that logs in afresh on every (re)connection, as the app does. */
export function connectAuto(base: string, id: TestIdentity): ClientSocket {
  return io(base, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    auth: (cb) => {
      login(base, id).then(
        (r) => cb({ ticket: r.body.ticket }),
        () => cb({ ticket: null }),
      );
    },
  });
}

export function waitFor<T>(
  s: ClientSocket,
  event: keyof ServerToClient | 'connect',
  pred: (p: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      s.off(event as never, h as never);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    function h(p: T) {
      if (!pred(p)) return;
      clearTimeout(t);
      s.off(event as never, h as never);
      resolve(p);
    }
    s.on(event as never, h as never);
  });
}

export async function post(base: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

export async function sign(id: TestIdentity, challenge: string, serviceKeyId: string): Promise<string> {
  const sig = await crypto.subtle.sign(
    SIGN_PARAMS,
    id.keys.privateKey,
    loginStatement(id.name, challenge, serviceKeyId) as BufferSource,
  );
  return toBase64Url(new Uint8Array(sig));
}

/** Registers (if needed) and logs in; returns the session ticket. */
export async function login(
  base: string,
  id: TestIdentity,
  signer: TestIdentity = id,
): Promise<{ status: number; body: any }> {
  await post(base, '/api/register', {
    name: id.name,
    publicKey: id.publicKey,
    ...(id.roles ? { roles: id.roles } : {}),
  });
  const ch = await post(base, '/api/challenge', { name: id.name });
  const signature = await sign({ ...signer, name: id.name }, ch.body.challenge, ch.body.serviceKeyId);
  return post(base, '/api/login', { name: id.name, challenge: ch.body.challenge, signature });
}

/** Connects with a ticket; resolves once connected, rejects with the connect_error data. */
export function connect(base: string, ticket: unknown): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const s: ClientSocket = io(base, {
      auth: { ticket },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e: Error & { data?: unknown }) => {
      s.close();
      reject(e.data ?? e);
    });
  });
}

export async function connectAs(base: string, id: TestIdentity): Promise<ClientSocket> {
  const r = await login(base, id);
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return connect(base, r.body.ticket);
}

/** Emits an event and resolves to its ack value, or rejects with the coded error. */
export function call<E extends keyof ClientToServer>(s: ClientSocket, event: E, payload: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    (s.emit as (...a: unknown[]) => void)(event, payload, (r: { ok: boolean; value?: unknown; error?: unknown }) =>
      r.ok ? resolve(r.value) : reject(r.error),
    );
  });
}

export function nextEvent<T>(s: ClientSocket, event: keyof ServerToClient, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    s.once(event, ((p: T) => {
      clearTimeout(t);
      resolve(p);
    }) as never);
  });
}
