// A throwaway PostgreSQL server for tests: initdb into a temporary folder, the server listening
// only on a unix socket in that folder (no port to race for), fsync off, killed by its pid when
// the test ends. PostgreSQL refuses to run as root: as root, initdb and the server run as the
// `postgres` system user (setpriv execs in place, so the pid is the server's). The binaries come
// from PATH or Debian's /usr/lib/postgresql/<version>/bin (apt package `postgresql`).

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const USER = 'parley';

function binary(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', name))) return join(root, v, 'bin', name);
  throw new Error(`no PostgreSQL "${name}" found: install the Debian package postgresql (apt-get install postgresql)`);
}

/** As root: run as the postgres system user; otherwise as ourselves. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--pdeathsig=SIGKILL', cmd, ...args]];
}

export interface TestPostgres {
  /** The socket folder: `postgresql:///<db>?host=<dir>&user=parley`. */
  readonly socketDir: string;
  /** A fresh, empty database's URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = asServerUser(binary('initdb'), [
    '-D',
    data,
    '-U',
    USER,
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const [cmd, args] = asServerUser(binary('postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-c',
    'listen_addresses=',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ]);
  const server: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (c: Buffer) => {
    log = (log + c.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const connect = () => new pg.Client({ host: dir, user: USER, database: 'postgres' });
  let admin = connect();
  for (let i = 0; ; i++) {
    try {
      await admin.connect();
      break;
    } catch (e) {
      if (server.exitCode !== null || i > 400) {
        server.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${(e as Error).message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
      admin = connect(); // a client that failed to connect cannot be reused
    }
  }
  let n = 0;
  return {
    socketDir: dir,
    async createDatabase() {
      const name = `t_${process.pid}_${++n}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return `postgresql:///${name}?host=${encodeURIComponent(dir)}&user=${USER}`;
    },
    async stop() {
      await admin.end().catch(() => undefined);
      if (server.exitCode === null) {
        server.kill('SIGINT'); // fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
