// deploy/turnserver.conf against the credentials the service hands out (signaling/turn.ts): a
// real coturn on 127.0.0.1, started as the compose file and scripts/cluster-local.sh start it,
// gives an allocation for a fresh credential and refuses an expired one or one made with
// another secret. It then refuses to relay to the loopback peer (as coturn does by default, and
// as the configuration's denied-peer-ip ranges say): that 403 is how the client reports that the
// allocation itself worked.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionIceServers } from '../../signaling/turn.js';

/** From the Debian package coturn (.ci/run installs it). */
const SERVER = '/usr/bin/turnserver';
const CLIENT = '/usr/bin/turnutils_uclient';
const CONF = resolve(import.meta.dirname, '../../deploy/turnserver.conf');
const SECRET = 'a-test-secret-of-thirty-two-chars';
const ALLOCATED = 'channel bind: error 403 (Forbidden IP)';
const REFUSED = 'Cannot complete Allocation';

let dir: string;
let port: number;
let server: ChildProcess;

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

/** turnutils_uclient's output for one allocation with these credentials (client-to-client mode). */
function allocate(username: string, credential: string): Promise<string> {
  const args = ['-u', username, '-w', credential, '-p', String(port), '-n', '1', '-m', '1', '-y', '127.0.0.1'];
  return new Promise((ok) => {
    execFile(CLIENT, args, { timeout: 30_000 }, (_e, out, err) => ok(`${out}${err}`));
  });
}

const credential = (secret: string, nowMs: number) => {
  const turn = { urls: [`turn:127.0.0.1:${port}`], secret, ttlSeconds: 600 };
  const entry = sessionIceServers([], turn, 'alice', nowMs).iceServers[0]!;
  return [entry.username!, entry.credential!] as const;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-turn-'));
  port = await freePort();
  server = spawn(
    SERVER,
    [
      '-c',
      CONF,
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--static-auth-secret=${SECRET}`,
      `--userdb=${join(dir, 'turndb')}`,
      `--pidfile=${join(dir, 'turnserver.pid')}`,
      '--no-tls',
      '--no-dtls',
    ],
    { stdio: 'ignore' },
  );
  // Ready once a fresh credential gets an allocation.
  const [user, pass] = credential(SECRET, Date.now());
  for (let i = 0; i < 100 && !(await allocate(user, pass)).includes(ALLOCATED); i++)
    await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('deploy/turnserver.conf with the TURN REST credentials of signaling/turn.ts', () => {
  it('allocates for a fresh credential and refuses to relay to loopback', async () => {
    const out = await allocate(...credential(SECRET, Date.now()));
    expect(out).toContain(ALLOCATED);
    expect(out).not.toContain(REFUSED);
  });

  it('refuses an expired credential', async () => {
    const out = await allocate(...credential(SECRET, Date.now() - 3600_000));
    expect(out).toContain(REFUSED);
  });

  it('refuses a credential made with another secret', async () => {
    const out = await allocate(...credential('another-secret-of-thirty-two-chars', Date.now()));
    expect(out).toContain(REFUSED);
  });
});
