// Service configuration from the environment: defaults, refusals, and production's TLS rule.

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
    const r = configFromEnv({ NODE_ENV: 'production' }, '/srv');
    expect('errors' in r && r.errors[0]).toMatch(/PARLEY_TLS_CERT.*PARLEY_TRUST_PROXY/);
    expect(configFromEnv({ NODE_ENV: 'production', PARLEY_TRUST_PROXY: '1' }, '/srv')).toHaveProperty('options');
  });
});
