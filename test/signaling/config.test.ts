// Service configuration from the environment: defaults, refusals, and production's TLS rule.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../signaling/config.js';

describe('configFromEnv', () => {
  it('has safe defaults: loopback, port 8080, open admission, no ICE servers', () => {
    const r = configFromEnv({}, '/srv/parley');
    expect(r).toMatchObject({
      options: {
        host: '127.0.0.1',
        port: 8080,
        dbFile: '/srv/parley/data/parley.db',
        admission: 'open',
        iceServers: [],
      },
    });
  });

  it('reads every documented variable', () => {
    const r = configFromEnv(
      {
        PORT: '9000',
        HOST: '0.0.0.0',
        PARLEY_DB: '/tmp/x.db',
        PARLEY_ADMISSION: 'invite',
        PARLEY_GRACE_SECONDS: '5',
        PARLEY_SESSION_TTL: '600',
        PARLEY_ICE_SERVERS: '[{"urls":"stun:stun.example.org"}]',
        PARLEY_TRUST_PROXY: '1',
        PARLEY_RATE_EVENTS: '7',
        PARLEY_RATE_HTTP: '3',
        PARLEY_RATE_CONNECT: '2',
      },
      '/srv',
    );
    expect(r).toMatchObject({
      options: {
        port: 9000,
        host: '0.0.0.0',
        dbFile: '/tmp/x.db',
        admission: 'invite',
        graceMs: 5000,
        sessionTtlSeconds: 600,
        trustProxy: 1,
        iceServers: [{ urls: 'stun:stun.example.org' }],
        relayLimits: { eventsPerSecond: 7, connectsPerSecondPerIp: 2 },
        httpLimits: { perSecondPerIp: 3 },
      },
    });
  });

  it('refuses bad values with one message each', () => {
    const r = configFromEnv(
      { PORT: 'eighty', PARLEY_ADMISSION: 'closed', PARLEY_ICE_SERVERS: '{', PARLEY_TLS_CERT: '/nope' },
      '/srv',
    );
    expect('errors' in r && r.errors).toHaveLength(4);
  });

  it('refuses to run in production over plain HTTP', () => {
    const r = configFromEnv({ NODE_ENV: 'production', PARLEY_METRICS_TOKEN: 'op' }, '/srv');
    expect('errors' in r && r.errors[0]).toMatch(/PARLEY_TLS_CERT.*PARLEY_TRUST_PROXY/);
    expect(
      configFromEnv({ NODE_ENV: 'production', PARLEY_TRUST_PROXY: '1', PARLEY_METRICS_TOKEN: 'op' }, '/srv'),
    ).toHaveProperty('options');
  });

  it('refuses to run in production with /metrics open to anyone', () => {
    const r = configFromEnv({ NODE_ENV: 'production', PARLEY_TRUST_PROXY: '1' }, '/srv');
    expect('errors' in r && r.errors).toEqual([expect.stringMatching(/PARLEY_METRICS_TOKEN/)]);
  });

  it('reads the trusted proxy hops and the TURN REST settings', () => {
    expect(configFromEnv({ PARLEY_TRUST_PROXY: '2' }, '/srv')).toMatchObject({ options: { trustProxy: 2 } });
    expect(configFromEnv({ PARLEY_TRUST_PROXY: 'true' }, '/srv')).toMatchObject({ options: { trustProxy: 1 } });
    expect(configFromEnv({}, '/srv')).toMatchObject({ options: { trustProxy: 0 } });
    const env = {
      PARLEY_TURN_URLS: 'turn:t.example.org:3478, turns:t.example.org:5349',
      PARLEY_TURN_SECRET: 's'.repeat(32),
    };
    expect(configFromEnv({ ...env, PARLEY_TURN_TTL: '900' }, '/srv')).toMatchObject({
      options: {
        turn: {
          urls: ['turn:t.example.org:3478', 'turns:t.example.org:5349'],
          secret: 's'.repeat(32),
          ttlSeconds: 900,
        },
      },
    });
    expect(configFromEnv({ PARLEY_TURN_URLS: env.PARLEY_TURN_URLS }, '/srv')).toHaveProperty('errors');
    expect(configFromEnv({ ...env, PARLEY_TURN_URLS: 'stun:x.example.org' }, '/srv')).toHaveProperty('errors');
    expect(configFromEnv({ PARLEY_TRUST_PROXY: 'yes' }, '/srv')).toHaveProperty('errors');
  });

  it('reads the database URL and pool size, and refuses unsafe database set-ups with ERR_CONFIG', () => {
    const url = 'postgresql://parley@db.internal/parley';
    expect(configFromEnv({ PARLEY_DATABASE_URL: url, PARLEY_PG_POOL: '4' }, '/srv')).toMatchObject({
      options: { databaseUrl: url, poolSize: 4 },
    });
    expect(configFromEnv({}, '/srv')).toMatchObject({ options: { databaseUrl: undefined, blobStore: 'dir' } });
    expect(configFromEnv({ PARLEY_DATABASE_URL: url }, '/srv')).toMatchObject({ options: { blobStore: 'pg' } });
    expect(configFromEnv({ PARLEY_DATABASE_URL: url, PARLEY_BLOB_STORE: 'dir' }, '/srv')).toMatchObject({
      options: { blobStore: 'dir' },
    });
    expect(configFromEnv({ PARLEY_BLOB_STORE: 'pg' }, '/srv')).toEqual({
      errors: [expect.stringMatching(/^ERR_CONFIG: PARLEY_BLOB_STORE=pg needs PARLEY_DATABASE_URL/)],
    });
    expect(configFromEnv({ PARLEY_DATABASE_URL: 'mysql://x/y' }, '/srv')).toEqual({
      errors: [expect.stringMatching(/^ERR_CONFIG: PARLEY_DATABASE_URL must be a postgres/)],
    });
    // Several nodes, each on its own SQLite file, would each keep their own participants and ledger.
    const redis = 'redis://127.0.0.1:6379';
    expect(configFromEnv({ PARLEY_REDIS_URL: redis, PARLEY_SERVICE_KEY_FILE: '/k.json' }, '/srv')).toEqual({
      errors: [expect.stringMatching(/^ERR_CONFIG: PARLEY_REDIS_URL .* needs PARLEY_DATABASE_URL/)],
    });
    // Several nodes each making their own key would refuse each other's tickets.
    expect(configFromEnv({ PARLEY_REDIS_URL: redis, PARLEY_DATABASE_URL: url }, '/srv')).toEqual({
      errors: [expect.stringMatching(/^ERR_CONFIG: PARLEY_REDIS_URL .* needs PARLEY_SERVICE_KEY_FILE/)],
    });
    expect(
      configFromEnv({ PARLEY_REDIS_URL: redis, PARLEY_DATABASE_URL: url, PARLEY_SERVICE_KEY_FILE: 'k.json' }, '/srv'),
    ).toMatchObject({ options: { databaseUrl: url, serviceKeyFile: resolve('k.json') } });
  });

  it('reads the Redis URL and node id, and refuses malformed ones', () => {
    const cluster = {
      PARLEY_DATABASE_URL: 'postgres://db/parley',
      PARLEY_SERVICE_KEY_FILE: '/run/secrets/parley-key.json',
    };
    const refused = (env: Record<string, string>, what: string) =>
      expect(configFromEnv({ ...cluster, ...env }, '/srv')).toEqual({
        errors: expect.arrayContaining([expect.stringContaining(what)]),
      });
    refused({ PARLEY_REDIS_URL: 'http://x' }, 'PARLEY_REDIS_URL must be');
    refused({ PARLEY_REDIS_URL: 'redis://' }, 'PARLEY_REDIS_URL must be');
    refused({ PARLEY_NODE_ID: 'a b' }, 'PARLEY_NODE_ID must be');
    refused({ PARLEY_NODE_ID: 'x'.repeat(65) }, 'PARLEY_NODE_ID must be');
    const env = { ...cluster, PARLEY_REDIS_URL: 'redis://:pw@10.0.0.5:6379/0', PARLEY_NODE_ID: 'node-1' };
    expect(configFromEnv(env, '/srv')).toMatchObject({
      options: { redisUrl: 'redis://:pw@10.0.0.5:6379/0', nodeId: 'node-1' },
    });
    expect(configFromEnv({ ...env, PARLEY_REDIS_URL: '/run/redis/redis.sock' }, '/srv')).toMatchObject({
      options: { redisUrl: '/run/redis/redis.sock' },
    });
  });
});
