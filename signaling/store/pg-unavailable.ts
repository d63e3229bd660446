// Tells "PostgreSQL cannot be reached" apart from a real failure, so that a node whose database is
// down, restarting or refusing connections answers ERR_UNAVAILABLE (HTTP 503, retry shortly) rather
// than ERR_INTERNAL; every call of the PostgreSQL store and its blob store goes through `guarded`.

import { ParleyError } from '../../shared/errors.js';

/** Socket errors of a connection that cannot be made or was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATEs of a server shutting down, starting up or out of connections (class 08 is added below). */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What `pg` says without a code when a connection ends or cannot be had in time. */
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|is not currently accepting connections/;

export function isUnavailable(e: unknown): boolean {
  if (e instanceof ParleyError) return false;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('08') || SERVER_CODES.has(code) || SOCKET_CODES.has(code)))
    return true;
  return e instanceof Error && MESSAGES.test(e.message);
}

const unavailable = () => new ParleyError('ERR_UNAVAILABLE', 'the database does not answer; retry shortly');

/** `target` with every method's rejection passed through isUnavailable (a database outage → ERR_UNAVAILABLE). */
export function guarded<T extends object>(target: T): T {
  // One wrapper per method, made on first use: store calls are on every request's path.
  type Method = (...args: unknown[]) => unknown;
  const wrappers = new Map<PropertyKey, { of: Method; wrapped: Method }>();
  return new Proxy(target, {
    get(t, key, receiver) {
      const v = Reflect.get(t, key, receiver);
      if (typeof v !== 'function') return v;
      const known = wrappers.get(key);
      if (known?.of === v) return known.wrapped;
      const wrapped: Method = function (this: unknown, ...args: unknown[]) {
        const out = Reflect.apply(v, this === receiver ? t : this, args);
        if (!(out instanceof Promise)) return out;
        return out.catch((e: unknown) => {
          throw isUnavailable(e) ? unavailable() : e;
        });
      };
      wrappers.set(key, { of: v as Method, wrapped });
      return wrapped;
    },
  });
}
