// `npm run bench:cluster`: the cluster under load (JSON). scripts/cluster-local.sh starts
// PostgreSQL, Redis and two node processes; two forked generators (bench/cluster-clients.ts)
// connect 10,000 socket.io clients straight to the nodes (the pairs of a job always span both
// nodes; a proxy in the path would need 20,000+ descriptors in one process), arriving at 200/s,
// form 5,000 jobs and relay 100,000 signals while clients are still arriving. The baseline in
// the same invocation is one node of a fresh cluster with 5,000 clients from one generator.
// Reports errors by code, p50/p99 per step, each node's peak RSS, Redis's peak memory, the
// PostgreSQL commits, and the CPU seconds of each part and of the whole machine during the run
// (what limits it on a small machine). CLIENTS, RAMP_PER_SEC and SIGNAL_GAP_MS scale it down;
// NODE_CMD starts the nodes another way (e.g. `node --cpu-prof --import tsx signaling/main.ts`).

import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { startLocalCluster } from '../test/helpers/local-cluster.js';
import type { GeneratorReport, GeneratorTask } from './cluster-clients.js';

const CLIENTS = Number(process.env.CLIENTS ?? 10_000);
const RAMP_PER_SEC = Number(process.env.RAMP_PER_SEC ?? 200);
const SIGNALS_PER_JOB = 20;
const SIGNAL_GAP_MS = Number(process.env.SIGNAL_GAP_MS ?? 10);
const NODE_ENV = {
  LOG_LEVEL: 'warn',
  PARLEY_RATE_HTTP: '1000000',
  PARLEY_RATE_CONNECT: '1000000',
};

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => +(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN).toFixed(1);
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: q(1) };
}

const kb = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
const mb = (k: number) => +(k / 1024).toFixed(1);

/** The fields of /proc/<pid>/stat after the command name (0: state, 1: ppid, 11: utime, 12: stime). */
function stat(pid: number | string): string[] {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return s.slice(s.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds used by `pid` so far (utime + stime, at the usual 100 ticks per second). */
function cpuOf(pid: number | string): number {
  try {
    const f = stat(pid);
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0; // gone
  }
}

/** CPU seconds of `pid` and its live children (PostgreSQL's backends). */
function cpuWithChildren(pid: number): number {
  let total = cpuOf(pid);
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (Number(stat(e)[1]) === pid) total += cpuOf(e);
    } catch {}
  }
  return total;
}

/** Busy and total CPU seconds of the whole machine so far (every process, ours or not). */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / 100;
  return { busy: total - (f[3]! + f[4]!) / 100, total };
}

async function commits(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()');
  await c.end();
  return Number(r.rows[0].xact_commit);
}

/** One run on a fresh cluster: `clients` clients over `nodes` nodes from `generators` processes. */
async function run(clients: number, nodes: 1 | 2, generators: number) {
  const cluster = await startLocalCluster(NODE_ENV, process.env.NODE_CMD);
  try {
    const urls = cluster.nodes.slice(0, nodes).map((n) => `http://127.0.0.1:${n.port}`);
    const pairs = clients / 2;
    const commitsBefore = await commits(cluster.databaseUrl);
    const used = cluster.nodes.slice(0, nodes);
    const cpuAt = () => ({
      nodes: used.map((n) => cpuOf(n.pid)),
      postgres: cpuWithChildren(cluster.pids.postgres),
      redis: cpuOf(cluster.pids.redis),
      machine: machineCpu(),
    });
    const cpu0 = cpuAt();
    const started = performance.now();
    const procs = Array.from({ length: generators }, () =>
      fork(resolve(import.meta.dirname, 'cluster-clients.ts'), { execArgv: ['--import', 'tsx'] }),
    );
    const reports = await Promise.all(
      procs.map((p, g) => {
        const first = Math.floor((g * pairs) / generators);
        const task: GeneratorTask = {
          urls,
          firstPair: first,
          pairs: Math.floor(((g + 1) * pairs) / generators) - first,
          arrivalsPerSec: RAMP_PER_SEC / generators,
          signalsPerJob: SIGNALS_PER_JOB,
          signalGapMs: SIGNAL_GAP_MS,
        };
        p.send(task);
        return new Promise<GeneratorReport>((ok, fail) => {
          p.once('message', (m: { report: GeneratorReport }) => ok(m.report));
          p.once('exit', (code) => fail(new Error(`generator ${g} exited with ${code}`)));
        });
      }),
    );
    const seconds = +((performance.now() - started) / 1000).toFixed(1);
    const cpu1 = cpuAt();
    const r1 = (x: number) => +x.toFixed(1);
    const machineBusy = cpu1.machine.busy - cpu0.machine.busy;
    const cpuSeconds = {
      nodes: Object.fromEntries(used.map((n, i) => [n.id, r1(cpu1.nodes[i]! - cpu0.nodes[i]!)])),
      generators: reports.map((r) => r.cpuSeconds),
      postgres: r1(cpu1.postgres - cpu0.postgres),
      redis: r1(cpu1.redis - cpu0.redis),
      machineBusy: r1(machineBusy),
      machineAvailable: r1(cpu1.machine.total - cpu0.machine.total),
    };
    // Everyone is still connected here: measure before the generators close their sockets.
    const perNode = Object.fromEntries(
      cluster.nodes
        .slice(0, nodes)
        .map((n) => [n.id, { peakRssMB: mb(kb(n.pid, 'VmHWM')), rssMB: mb(kb(n.pid, 'VmRSS')) }]),
    );
    const info = await cluster.redis.info();
    const redisField = (f: string) =>
      /^(\w+):(.*)$/m.exec(info.split('\n').find((l) => l.startsWith(`${f}:`)) ?? '')?.[2]?.trim();
    const xacts = (await commits(cluster.databaseUrl)) - commitsBefore;
    await Promise.all(
      procs.map((p) => {
        const gone = new Promise((r) => p.once('exit', r));
        p.send('close');
        return gone;
      }),
    );
    const errors: Record<string, number> = {};
    for (const r of reports) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
    const merged = (k: keyof GeneratorReport['latencyMs']) => stats(reports.flatMap((r) => r.latencyMs[k]));
    return {
      clients,
      nodes,
      generators,
      jobs: pairs,
      arrivalsPerSecond: RAMP_PER_SEC,
      connectedAtEnd: reports.reduce((n, r) => n + r.connectedAtEnd, 0),
      signals: reports.reduce((n, r) => n + r.latencyMs.signal.length, 0),
      seconds,
      errors,
      latencyMs: {
        register: merged('register'),
        login: merged('login'),
        connect: merged('connect'),
        propose: merged('propose'),
        accept: merged('accept'),
        signalDelivery: merged('signal'),
      },
      perNode,
      cpuSeconds,
      redis: {
        usedMemoryPeak: redisField('used_memory_peak_human'),
        totalCommands: Number(redisField('total_commands_processed')),
      },
      postgresCommits: xacts,
    };
  } finally {
    await cluster.stop();
  }
}

const baseline = await run(CLIENTS / 2, 1, 1);
const cluster = await run(CLIENTS, 2, 2);
console.log(
  JSON.stringify(
    {
      machine: { cores: cpus().length, note: 'nodes, generators, PostgreSQL and Redis share these cores' },
      signalGapMs: SIGNAL_GAP_MS,
      baseline,
      cluster,
      targets: { errors: 0, signalP99Ms: 250, peakRssPerNodeMB: 600 },
    },
    null,
    2,
  ),
);
process.exit(0);
