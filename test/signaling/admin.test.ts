// The operator CLI against a real SQLite file: invitations admit exactly as many registrations
// as they allow and only for the roles they name, and revocation is picked up by a running service.

import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadServiceKey } from '../../signaling/service-key.js';
import { makeIdentity, post } from '../helpers/client.js';
import { Harness } from '../helpers/service.js';

const admin = (dbFile: string, ...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'signaling/admin.ts', ...args], {
    env: { ...process.env, PARLEY_DB: dbFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

let h: Harness;
afterEach(() => h.stop());

describe('npm run admin', () => {
  it('creates invitation codes that admit registrations, and revokes participants', async () => {
    h = new Harness();
    await h.start({ admission: 'invite' });
    const code = admin(h.dbFile, 'invite', '--uses', '1');
    expect(code).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const a = await makeIdentity('alice');
    expect((await post(h.url, '/api/register', { name: 'alice', publicKey: a.publicKey, invite: code })).status).toBe(
      201,
    );
    expect(admin(h.dbFile, 'list')).toMatch(/^alice\tdata-owner,compute,result-receiver\tactive$/);
    expect(admin(h.dbFile, 'revoke', 'alice')).toBe('Revoked alice.');
    expect((await post(h.url, '/api/challenge', { name: 'alice' })).body.error.code).toBe('ERR_REVOKED');
    expect(admin(h.dbFile, 'list')).toMatch(/alice\t.*\trevoked /);
  }, 30_000);

  it('binds roles to an invitation with --roles', async () => {
    h = new Harness();
    await h.start({ admission: 'invite' });
    const code = admin(h.dbFile, 'invite', '--roles', 'buyer');
    const m = await makeIdentity('mallory');
    const seller = await post(h.url, '/api/register', {
      name: 'mallory',
      publicKey: m.publicKey,
      roles: ['seller'],
      invite: code,
    });
    expect(seller.body.error.code).toBe('ERR_ROLE');
    expect((await post(h.url, '/api/register', { name: 'mallory', publicKey: m.publicKey, invite: code })).status).toBe(
      201,
    );
    expect(admin(h.dbFile, 'list')).toMatch(/^mallory\tbuyer\tactive$/);
    expect(() => admin(h.dbFile, 'invite', '--roles', 'admin')).toThrow();
  }, 30_000);

  it('keygen writes a new owner-only service key and never overwrites one', async () => {
    h = new Harness();
    await h.start();
    const file = join(h.dir, 'cluster-key.json');
    expect(admin(h.dbFile, 'keygen', file)).toMatch(/^Wrote a new service key \(id [\w-]{43}\)/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = await loadServiceKey(h.dir, file);
    const before = readFileSync(file, 'utf8');
    expect(() => admin(h.dbFile, 'keygen', file)).toThrow(/never overwritten/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await loadServiceKey(h.dir, file)).keyId).toBe(key.keyId);
  }, 30_000);
});
