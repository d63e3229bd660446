// A throwaway redis-server for a test file: bound to 127.0.0.1 on a free port, no persistence
// (--save '' --appendonly no), in a temporary directory, killed by its pid at the end. A missing
// binary fails with the apt package to install (.ci/run installs it).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = '/usr/bin/redis-server';

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  /** Kills the server (SIGKILL) and removes its directory. */
  stop(): Promise<void>;
  /** Kills it and starts an empty one on the same port (Redis lost everything). */
  restart(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the port answers PING with PONG. */
async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = new Socket();
    const done = (ok: boolean) => {
      c.destroy();
      resolve(ok);
    };
    c.once('error', () => done(false));
    c.connect(port, '127.0.0.1', () => c.write('PING\r\n'));
    c.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

type Running = { child: ChildProcess; exited: () => boolean };

/** Starts redis-server on `port`; null if it exited or did not answer. */
async function spawnOn(port: number, dir: string): Promise<Running | null> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(BINARY, [...args, '--dir', dir, '--logfile', ''], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 200 && !exited; i++) {
    if (await answers(port)) return { child, exited: () => exited };
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!exited) process.kill(child.pid!, 'SIGKILL');
  return null;
}

async function kill(r: Running): Promise<void> {
  if (r.exited()) return;
  const gone = new Promise((resolve) => r.child.once('exit', resolve));
  process.kill(r.child.pid!, 'SIGKILL');
  await gone;
}

export async function startRedis(): Promise<RedisServer> {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: apt-get install redis-server`);
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    let running = await spawnOn(port, dir);
    if (!running) continue;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      get pid() {
        return running!.child.pid!;
      },
      async stop() {
        await kill(running!);
        rmSync(dir, { recursive: true, force: true });
      },
      async restart() {
        await kill(running!);
        running = await spawnOn(port, dir);
        if (!running) throw new Error(`redis-server did not start again on port ${port}`);
      },
    };
  }
  throw new Error('redis-server did not start');
}
