// The HTTP side of the service: JSON endpoints for registration and login with size limits and
// coded errors, the published service key, marketplace blobs (signaling/blobs.ts), and static
// hosting of the built app with its security headers (Content-Security-Policy, no framing,
// nosniff, no referrer, HSTS over TLS), and the operator's probes: /healthz (alive, and which node)
// and /readyz (the node's backends answer).

import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, extname, join, normalize, sep } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { type ErrorCode, type ErrorInfo, ParleyError, toErrorInfo } from '../shared/errors.js';
import { type ClientConfig, challengeBody, loginBody, registerBody, rotateBody } from '../shared/protocol.js';
import type { Auth } from './auth.js';
import type { Blobs } from './blobs.js';
import type { Coordinator } from './coordinator/coordinator.js';
import type { Metrics } from './metrics.js';
import type { ServiceKey } from './service-key.js';

const MAX_BODY_BYTES = 16 * 1024;

const STATUS: Partial<Record<ErrorCode, number>> = {
  ERR_BAD_REQUEST: 400,
  ERR_BAD_NAME: 400,
  ERR_TOO_LARGE: 413,
  ERR_NAME_TAKEN: 409,
  ERR_UNKNOWN_PARTICIPANT: 404,
  ERR_CHALLENGE_INVALID: 401,
  ERR_BAD_SIGNATURE: 401,
  ERR_TICKET_REPLAY: 401,
  ERR_ADMISSION: 403,
  ERR_REVOKED: 403,
  ERR_RATE_LIMITED: 429,
  ERR_TICKET_INVALID: 401,
  ERR_TICKET_EXPIRED: 401,
  ERR_ROLE: 403,
  ERR_NO_PURCHASE: 403,
  ERR_UNKNOWN_LISTING: 404,
  ERR_LISTING_EXPIRED: 410,
  ERR_UNAVAILABLE: 503,
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES)
      return reject(new ParleyError('ERR_TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new ParleyError('ERR_TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`));
      } else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new ParleyError('ERR_BAD_REQUEST', 'the request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  const code = field === 'name' ? 'ERR_BAD_NAME' : issue?.code === 'too_big' ? 'ERR_TOO_LARGE' : 'ERR_BAD_REQUEST';
  throw new ParleyError(code, `${field}: ${issue?.message ?? 'invalid'}`);
}

export interface HttpLimits {
  /** API requests per second and burst per client address (0 disables). */
  perSecondPerIp: number;
  burstPerIp: number;
}

const DEFAULT_HTTP_LIMITS: HttpLimits = { perSecondPerIp: 20, burstPerIp: 100 };

export interface HttpDeps {
  auth: Auth;
  /** Per-address limits (cluster-wide with Redis), the node's id and its readiness. */
  coordinator: Coordinator;
  serviceKey: ServiceKey;
  staticDir: string | null;
  config: ClientConfig;
  metrics: Metrics;
  log: Logger;
  limits?: Partial<HttpLimits>;
  now: () => number;
  clientIp: (req: IncomingMessage) => string;
  gauges: () => Promise<Parameters<Metrics['render']>[0]>;
  /** When set, /metrics answers only requests with `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Closes a participant's connections (after a key rotation). */
  endSessions: (name: string, reason: ErrorInfo) => void;
  /** Marketplace blobs at /api/market/blobs/:listing/:kind. */
  blobs?: Blobs;
  /** Resolves when this node can serve (its database answers); /readyz. */
  ready?: () => Promise<void>;
}

export function createHttpHandler(deps: HttpDeps) {
  const { auth, serviceKey, staticDir, config, metrics, log, now } = deps;
  const limits = { ...DEFAULT_HTTP_LIMITS, ...deps.limits };
  const allowed = async (req: IncomingMessage) =>
    deps.coordinator.take('http', deps.clientIp(req), limits.perSecondPerIp, limits.burstPerIp, now());
  const routes: Record<string, (body: unknown, address: string) => Promise<[number, unknown]>> = {
    '/api/register': async (b) => {
      const p = parse(registerBody, b);
      const r = await auth.register(p.name, p.publicKey, p.roles, p.invite);
      if (r.created) log.info({ name: p.name, roles: p.roles }, 'participant registered');
      return [r.created ? 201 : 200, r];
    },
    '/api/challenge': async (b, address) => [200, await auth.challenge(parse(challengeBody, b).name, address)],
    '/api/login': async (b) => {
      const p = parse(loginBody, b);
      return [200, await auth.login(p.name, p.challenge, p.signature)];
    },
    '/api/rotate': async (b) => {
      const p = parse(rotateBody, b);
      const r = await auth.rotate(p.name, p.challenge, p.newPublicKey, p.signature, p.newSignature);
      deps.endSessions(p.name, { code: 'ERR_TICKET_INVALID', message: 'the key was rotated; log in with the new key' });
      log.info({ name: p.name }, 'key rotated: sessions under the old key closed');
      return [200, r];
    },
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/socket.io/')) return; // socket.io answers these itself
    const fail = (e: unknown) => {
      const info = toErrorInfo(e);
      if (info.code === 'ERR_INTERNAL') log.error({ err: e, path: url.pathname }, 'request failed');
      metrics.inc('parley_refusals_total', `code="${info.code}"`);
      if (res.headersSent) res.destroy();
      else {
        // A refused upload is answered at once; the connection closes rather than read the rest.
        if (req.method === 'PUT') res.setHeader('connection', 'close');
        send(res, STATUS[info.code] ?? 500, { error: info });
      }
    };
    const route = routes[url.pathname];
    if (route) {
      metrics.inc('parley_http_requests_total');
      try {
        const address = deps.clientIp(req);
        if (!(await allowed(req)))
          throw new ParleyError('ERR_RATE_LIMITED', 'too many requests from this address; retry shortly');
        if (req.method !== 'POST') throw new ParleyError('ERR_BAD_REQUEST', `${url.pathname} takes POST`);
        const [status, body] = await route(await readJson(req), address);
        send(res, status, body);
      } catch (e) {
        fail(e);
      }
      return;
    }
    if (deps.blobs && url.pathname.startsWith('/api/market/blobs/')) {
      metrics.inc('parley_http_requests_total');
      try {
        if (!(await allowed(req)))
          throw new ParleyError('ERR_RATE_LIMITED', 'too many requests from this address; retry shortly');
        await deps.blobs.handle(req, res, url.pathname);
      } catch (e) {
        fail(e);
      }
      return;
    }
    if (url.pathname === '/.well-known/parley-service-key') return send(res, 200, serviceKey.publicJwk);
    if (url.pathname === '/healthz') return send(res, 200, { ok: true, node: deps.coordinator.node });
    if (url.pathname === '/readyz') {
      try {
        await deps.coordinator.ready();
        await deps.ready?.().catch((e: unknown) => {
          throw new ParleyError('ERR_UNAVAILABLE', `the database does not answer: ${(e as Error).message}`);
        });
        return send(res, 200, { ok: true, node: deps.coordinator.node });
      } catch (e) {
        return fail(e);
      }
    }
    if (url.pathname === '/api/config') return send(res, 200, config);
    if (url.pathname === '/metrics') {
      if (deps.metricsToken && req.headers.authorization !== `Bearer ${deps.metricsToken}`) {
        return send(res, 401, {
          error: { code: 'ERR_TICKET_INVALID', message: '/metrics needs the operator bearer token' },
        });
      }
      try {
        const body = metrics.render(await deps.gauges());
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(body);
      } catch (e) {
        fail(e);
      }
      return;
    }
    serveStatic(staticDir, url.pathname, req, res);
  };
}

/**
 * The page's policy: scripts, styles, workers and connections (HTTP and socket.io's WebSocket)
 * from this origin only, no eval, no plugins, no <base>, and no framing by anyone (the accept
 * buttons cannot be clickjacked). WebRTC is not governed by CSP.
 */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A dedicated worker runs under its own script's policy: these compile WebAssembly kernels. */
const WORKER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The program worker (workers/jobs/program.worker.ts) evaluates the job's program in an SES
 * Compartment, which needs 'unsafe-eval'; it reaches its peers over WebRTC data channels only,
 * so it may connect nowhere.
 */
const PROGRAM_WORKER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "connect-src 'none'",
  "worker-src 'self'",
  "base-uri 'none'",
].join('; ');

/** Vite names a worker entry `assets/<entry file name>-<hash>.js`. */
const WORKER_FILE = /^[\w-]+\.worker-[\w-]+\.js$/;
const PROGRAM_WORKER_FILE = /^program\.worker-[\w-]+\.js$/;

/** Security headers for a static response; HSTS where the request came over TLS (or a TLS proxy). */
function securityHeaders(file: string, req: IncomingMessage): Record<string, string> {
  const name = basename(file);
  const csp = PROGRAM_WORKER_FILE.test(name) ? PROGRAM_WORKER_CSP : WORKER_FILE.test(name) ? WORKER_CSP : APP_CSP;
  const headers: Record<string, string> = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
  const proto = req.headers['x-forwarded-proto'];
  // Browsers ignore HSTS over plain HTTP, so a forged X-Forwarded-Proto gains nothing.
  if ((req.socket as TLSSocket).encrypted || (typeof proto === 'string' && proto.split(',')[0]!.trim() === 'https')) {
    headers['strict-transport-security'] = 'max-age=31536000';
  }
  return headers;
}

function serveStatic(dir: string | null, pathname: string, req: IncomingMessage, res: ServerResponse): void {
  for (const [k, v] of Object.entries(securityHeaders(pathname, req))) res.setHeader(k, v);
  if (!dir || !existsSync(dir)) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('The app is not built. Run `npm run build` (npm start does this for you).\n');
    return;
  }
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  let file = join(dir, rel);
  if (!file.startsWith(dir + sep) && file !== dir) {
    res.writeHead(403).end();
    return;
  }
  if (!existsSync(file) || !statSync(file).isFile()) file = join(dir, 'index.html'); // SPA fallback
  for (const [k, v] of Object.entries(securityHeaders(file, req))) res.setHeader(k, v);
  const type = MIME[extname(file)] ?? 'application/octet-stream';
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': type,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(readFileSync(file));
}
