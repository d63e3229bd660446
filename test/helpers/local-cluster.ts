// The multi-process cluster for tests: runs scripts/cluster-local.sh (throwaway PostgreSQL and
// Redis, two `signaling/main.ts` processes, Caddy with deploy/Caddyfile in front), so the tests
// exercise the deployment recipe itself. Reads the script's state file for the pids and ports,
// kills a node's process group on request, and asks Redis which node holds a name's connections.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

const root = resolve(import.meta.dirname, '../..');

export interface LocalCluster {
  /** The proxy's URL: the one address clients use. */
  readonly url: string;
  readonly nodes: { id: string; port: number; pid: number }[];
  readonly databaseUrl: string;
  /** The pids of the PostgreSQL postmaster and of redis-server. */
  readonly pids: { postgres: number; redis: number };
  readonly redis: Redis;
  /** Which node holds `name`'s connection, by the coordinator's per-node counts (null: none). */
  nodeOf(name: string): Promise<string | null>;
  /** Whether Redis still counts node `id` as a live member of the cluster. */
  isRegistered(id: string): Promise<boolean>;
  /** Kills node `id` and everything it started with `signal`; resolves once it is gone. */
  kill(id: string, signal: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the cluster; `env` adds node settings (PARLEY_GRACE_SECONDS, ...). */
export async function startLocalCluster(env: Record<string, string> = {}, nodeCmd?: string): Promise<LocalCluster> {
  const tmp = mkdtempSync(join(tmpdir(), 'parley-lc-'));
  const stateFile = join(tmp, 'cluster.env');
  const child: ChildProcess = spawn('bash', [join(root, 'scripts/cluster-local.sh')], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      PARLEY_CLUSTER_PORT: '0',
      PARLEY_CLUSTER_STATE: stateFile,
      PARLEY_CLUSTER_NODE_CMD: nodeCmd ?? 'node --import tsx signaling/main.ts',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((ok, fail) => {
    const check = setInterval(() => {
      if (out.includes('Parley cluster is running at')) done(null);
      else if (child.exitCode !== null) done(new Error(`cluster-local.sh exited ${child.exitCode}:\n${out}`));
    }, 50);
    const limit = setTimeout(() => done(new Error(`cluster-local.sh did not start within 120 s:\n${out}`)), 120_000);
    function done(e: Error | null) {
      clearInterval(check);
      clearTimeout(limit);
      if (e) {
        child.kill('SIGTERM');
        fail(e);
      } else ok();
    }
  });
  const state = Object.fromEntries(
    readFileSync(stateFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const nodes = [1, 2].map((i) => ({
    id: `node${i}`,
    port: Number(state[`NODE${i}_PORT`]),
    pid: Number(state[`NODE${i}_PID`]),
  }));
  const redis = new Redis(state.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return {
    url: state.URL!,
    nodes,
    databaseUrl: state.DATABASE_URL!,
    pids: { postgres: Number(state.PG_PID), redis: Number(state.REDIS_PID) },
    redis,
    async nodeOf(name) {
      for (const n of nodes) if (Number((await redis.hget(`parley:node:${n.id}`, name)) ?? 0) > 0) return n.id;
      return null;
    },
    async isRegistered(id) {
      return (await redis.sismember('parley:nodes', id)) === 1;
    },
    async kill(id, signal) {
      const n = nodes.find((x) => x.id === id)!;
      process.kill(-n.pid, signal);
      for (let i = 0; i < 600; i++) {
        try {
          process.kill(n.pid, 0);
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${id} did not exit after ${signal}`);
    },
    async stop() {
      redis.disconnect();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
