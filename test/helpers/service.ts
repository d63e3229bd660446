// Starts the real service in-process on a random port with a temporary SQLite file, and
// tracks the clients a test opens so they are closed afterwards.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type Service, type ServiceOptions } from '../../signaling/app.js';
import { type ClientSocket, connectAs, makeIdentity, type TestIdentity } from './client.js';

export class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'parley-svc-'));
  readonly dbFile = join(this.dir, 'parley.db');
  svc!: Service;
  clock = Date.now();
  private readonly sockets: ClientSocket[] = [];

  async start(opts: Partial<ServiceOptions> = {}): Promise<Service> {
    this.svc = await createService({
      dbFile: this.dbFile,
      staticDir: null,
      now: () => this.clock,
      sweepMs: 50,
      ...opts,
    });
    return this.svc;
  }

  get url(): string {
    return this.svc.url;
  }

  track(s: ClientSocket): ClientSocket {
    this.sockets.push(s);
    return s;
  }

  async online(name: string, roles?: string[]): Promise<{ id: TestIdentity; s: ClientSocket }> {
    const id = await makeIdentity(name, roles);
    return { id, s: this.track(await connectAs(this.url, id)) };
  }

  async stop(): Promise<void> {
    for (const s of this.sockets.splice(0)) s.close();
    await this.svc.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
