// Service configuration from environment variables, with safe defaults and clear refusals
// (the README's configuration table lists each variable). Production needs TLS: either
// certificate files, or an explicit statement that a TLS-terminating proxy sits in front; and a
// metrics token, so that /metrics is the operator's.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { iceServersSchema } from '../shared/protocol.js';
import type { ServiceOptions } from './app.js';

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, dflt: number, min: number, max: number, errors: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) errors.push(`${name} must be an integer ${min}-${max}, got "${raw}"`);
  return v;
}

export function configFromEnv(env: Env, root: string): { options: ServiceOptions } | { errors: string[] } {
  const errors: string[] = [];
  const port = int(env, 'PORT', 8080, 0, 65535, errors);
  const host = env.HOST || '127.0.0.1';
  const dbFile = resolve(env.PARLEY_DB || resolve(root, 'data/parley.db'));
  const databaseUrl = env.PARLEY_DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\/\S*$/.test(databaseUrl))
    errors.push('ERR_CONFIG: PARLEY_DATABASE_URL must be a postgres:// or postgresql:// URL');
  const blobStore = env.PARLEY_BLOB_STORE || (databaseUrl ? 'pg' : 'dir');
  if (blobStore !== 'dir' && blobStore !== 'pg')
    errors.push(`ERR_CONFIG: PARLEY_BLOB_STORE must be "dir" or "pg", got "${blobStore}"`);
  else if (blobStore === 'pg' && !databaseUrl)
    errors.push('ERR_CONFIG: PARLEY_BLOB_STORE=pg needs PARLEY_DATABASE_URL');
  const serviceKeyFile = env.PARLEY_SERVICE_KEY_FILE ? resolve(env.PARLEY_SERVICE_KEY_FILE) : undefined;
  // Several nodes on separate SQLite files would each keep their own participants, jobs and
  // ledger; several nodes each making their own key would refuse each other's tickets.
  if (env.PARLEY_REDIS_URL && !databaseUrl)
    errors.push(
      'ERR_CONFIG: PARLEY_REDIS_URL (several nodes) needs PARLEY_DATABASE_URL: nodes cannot share a SQLite file',
    );
  if (env.PARLEY_REDIS_URL && !serviceKeyFile)
    errors.push(
      'ERR_CONFIG: PARLEY_REDIS_URL (several nodes) needs PARLEY_SERVICE_KEY_FILE, the same key on every node (npm run admin -- keygen FILE)',
    );

  let iceServers: ServiceOptions['iceServers'] = [];
  if (env.PARLEY_ICE_SERVERS) {
    try {
      iceServers = iceServersSchema.parse(JSON.parse(env.PARLEY_ICE_SERVERS));
    } catch {
      errors.push('PARLEY_ICE_SERVERS must be a JSON array of {urls, username?, credential?}');
    }
  }
  let turn: ServiceOptions['turn'];
  const turnTtl = int(env, 'PARLEY_TURN_TTL', 3600, 60, 86_400, errors);
  if (env.PARLEY_TURN_URLS || env.PARLEY_TURN_SECRET) {
    const urls = (env.PARLEY_TURN_URLS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    if (urls.length === 0 || urls.length > 8 || !urls.every((u) => /^turns?:[^\s]{1,250}$/.test(u)))
      errors.push('PARLEY_TURN_URLS must be 1-8 comma-separated turn: or turns: URLs');
    else if (!env.PARLEY_TURN_SECRET || env.PARLEY_TURN_SECRET.length < 16)
      errors.push(
        "PARLEY_TURN_SECRET (the TURN server's static-auth-secret, 16+ characters) goes with PARLEY_TURN_URLS",
      );
    else turn = { urls, secret: env.PARLEY_TURN_SECRET, ttlSeconds: turnTtl };
  }
  const admission = env.PARLEY_ADMISSION || 'open';
  if (admission !== 'open' && admission !== 'invite')
    errors.push(`PARLEY_ADMISSION must be "open" or "invite", got "${admission}"`);

  // Hops of trusted proxies that append to X-Forwarded-For; 'true' (older configurations) is one.
  const trustProxy = env.PARLEY_TRUST_PROXY === 'true' ? 1 : int(env, 'PARLEY_TRUST_PROXY', 0, 0, 10, errors);
  let tls: ServiceOptions['tls'];
  if (env.PARLEY_TLS_CERT || env.PARLEY_TLS_KEY) {
    if (!env.PARLEY_TLS_CERT || !env.PARLEY_TLS_KEY) errors.push('PARLEY_TLS_CERT and PARLEY_TLS_KEY go together');
    else {
      try {
        tls = { cert: readFileSync(env.PARLEY_TLS_CERT), key: readFileSync(env.PARLEY_TLS_KEY) };
      } catch (e) {
        errors.push(`cannot read the TLS files: ${(e as Error).message}`);
      }
    }
  }
  if (env.NODE_ENV === 'production' && !tls && trustProxy === 0) {
    errors.push(
      'NODE_ENV=production refuses plain HTTP: set PARLEY_TLS_CERT and PARLEY_TLS_KEY, or PARLEY_TRUST_PROXY=1 behind a TLS-terminating proxy',
    );
  }
  if (env.NODE_ENV === 'production' && !env.PARLEY_METRICS_TOKEN) {
    errors.push('NODE_ENV=production keeps /metrics to the operator: set PARLEY_METRICS_TOKEN (a long random string)');
  }

  // A cluster's Redis (signaling/coordinator/). A cluster also needs the shared database and
  // key file: those refusals belong to the database settings.
  const redisUrl = env.PARLEY_REDIS_URL || undefined;
  if (redisUrl && !/^(rediss?:\/\/\S+|\/\S+)$/.test(redisUrl))
    errors.push(
      'ERR_CONFIG: PARLEY_REDIS_URL must be a redis:// or rediss:// URL, or the absolute path of a unix socket',
    );
  const nodeId = env.PARLEY_NODE_ID || undefined;
  if (nodeId && !/^[\w.-]{1,64}$/.test(nodeId))
    errors.push('ERR_CONFIG: PARLEY_NODE_ID must be 1-64 of A-Z a-z 0-9 . _ -');

  const options: ServiceOptions = {
    dbFile,
    databaseUrl,
    poolSize: int(env, 'PARLEY_PG_POOL', 10, 1, 1000, errors),
    serviceKeyFile,
    blobStore: blobStore as 'dir' | 'pg',
    staticDir: resolve(root, 'dist'),
    host,
    port,
    iceServers,
    turn,
    admission: admission as 'open' | 'invite',
    trustProxy,
    tls,
    metricsToken: env.PARLEY_METRICS_TOKEN || undefined,
    redisUrl,
    nodeId,
    sessionTtlSeconds: int(env, 'PARLEY_SESSION_TTL', 3600, 60, 7 * 24 * 3600, errors),
    graceMs: int(env, 'PARLEY_GRACE_SECONDS', 20, 1, 3600, errors) * 1000,
    maxBlobBytes: int(env, 'PARLEY_MAX_BLOB_BYTES', 64 * 1024 * 1024, 1024, 2 ** 40, errors),
    relayLimits: {
      eventsPerSecond: int(env, 'PARLEY_RATE_EVENTS', 50, 0, 1e6, errors),
      connectsPerSecondPerIp: int(env, 'PARLEY_RATE_CONNECT', 20, 0, 1e6, errors),
    },
    httpLimits: { perSecondPerIp: int(env, 'PARLEY_RATE_HTTP', 20, 0, 1e6, errors) },
  };
  if (options.relayLimits!.eventsPerSecond === 0) options.relayLimits!.eventsPerSecond = Number.POSITIVE_INFINITY;
  return errors.length ? { errors } : { options };
}
