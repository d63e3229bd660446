// TURN credentials on the real service: /api/config (anyone) carries no credential; a logged-in
// session gets a TURN REST credential (coturn's use-auth-secret) that verifies with the shared
// secret, names the participant and expires after the configured TTL.

import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../helpers/client.js';
import { Harness } from '../helpers/service.js';

const SECRET = 'turn-shared-secret-for-tests';
const STATIC_PASSWORD = 'operator-static-turn-password';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.start({
    iceServers: [
      { urls: 'stun:stun.example.org' },
      { urls: 'turn:static.example.org', username: 'operator', credential: STATIC_PASSWORD },
    ],
    turn: { urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'], secret: SECRET, ttlSeconds: 600 },
  });
});
afterEach(() => h.stop());

describe('TURN credentials', () => {
  it('hands no credential to an unauthenticated /api/config', async () => {
    const res = await fetch(`${h.url}/api/config`);
    const text = await res.text();
    expect(JSON.parse(text).iceServers).toEqual([{ urls: 'stun:stun.example.org' }]);
    expect(text).not.toContain(STATIC_PASSWORD);
    expect(text).not.toMatch(/credential|username|turn:/);
  });

  it('mints a short-lived credential for a logged-in session that verifies with the shared secret', async () => {
    const { s } = await h.online('alice');
    const got = await call(s, 'ice:servers', {});
    const minted = got.iceServers.find((e: { urls: unknown }) => Array.isArray(e.urls));
    expect(minted.urls).toEqual(['turn:turn.example.org:3478', 'turns:turn.example.org:5349']);
    const [expiry, name] = minted.username.split(':');
    expect(name).toBe('alice');
    expect(Number(expiry)).toBe(Math.floor(h.clock / 1000) + 600);
    expect(got.expiresAt).toBe(Number(expiry) * 1000);
    expect(minted.credential).toBe(createHmac('sha1', SECRET).update(minted.username).digest('base64'));
    // Another secret (a forged credential) does not verify.
    expect(minted.credential).not.toBe(createHmac('sha1', 'other').update(minted.username).digest('base64'));
    // Logged-in sessions also get the operator's static entries.
    expect(got.iceServers).toContainEqual({
      urls: 'turn:static.example.org',
      username: 'operator',
      credential: STATIC_PASSWORD,
    });

    // Each request mints afresh, from the time it is made; a session past its ticket gets none.
    h.clock += 100_000;
    expect((await call(s, 'ice:servers', {})).expiresAt).toBe(got.expiresAt + 100_000);
    h.clock += 3_600_000;
    await expect(call(s, 'ice:servers', {})).rejects.toMatchObject({ code: 'ERR_TICKET_EXPIRED' });
  });
});
