// Two (or more) service nodes in one test process, sharing one SQLite file (and so one service
// key) and one throwaway Redis under a key prefix of their own: the Redis coordinator and the
// socket.io Redis adapter, as in a cluster. Tracks the clients a test opens.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type Service, type ServiceOptions } from '../../signaling/app.js';
import { createLogger } from '../../signaling/log.js';
import type { ClientSocket } from './client.js';
import type { RedisServer } from './redis.js';

let prefixes = 0;

export class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
  readonly dbFile = join(this.dir, 'parley.db');
  readonly prefix = `c${process.pid}-${prefixes++}:`;
  readonly nodes: Service[] = [];
  private readonly sockets: ClientSocket[] = [];

  constructor(private readonly redis: RedisServer) {}

  /** Starts node `i` (its id is n<i>), replacing a stopped one. */
  async start(i: number, opts: Partial<ServiceOptions> = {}): Promise<Service> {
    const svc = await createService({
      dbFile: this.dbFile,
      staticDir: null,
      sweepMs: 50,
      redisUrl: this.redis.url,
      redisPrefix: this.prefix,
      nodeId: `n${i}`,
      logger: createLogger('silent'),
      ...opts,
    });
    this.nodes[i] = svc;
    return svc;
  }

  url(i: number): string {
    return this.nodes[i]!.url;
  }

  track(s: ClientSocket): ClientSocket {
    this.sockets.push(s);
    return s;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets.splice(0)) s.close();
    for (const n of this.nodes) await n?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
