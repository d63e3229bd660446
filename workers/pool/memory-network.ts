// An in-memory network of n parties for tests and runLocal: one ordered link per pair, with
// switchable faults: delay (and jitter, which reorders messages across different peers but never
// within one pair), dropping a pair's connection (frames in flight are lost; it comes back after
// a pause), and removing a party for good.

import type { ErrorInfo } from '../../shared/errors.js';
import type { Link, LinkEvent } from './link.js';

export interface Faults {
  delayMs?: number;
  jitterMs?: number;
}

class MemoryLink implements Link {
  onFrame: ((frame: Uint8Array) => void) | null = null;
  onEvent: ((e: LinkEvent) => void) | null = null;
  up = true;
  other!: MemoryLink;
  private generation = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly net: MemoryNetwork) {}

  send(frame: Uint8Array): void {
    if (!this.up) return;
    const copy = frame.slice();
    const gen = this.generation;
    const { delayMs = 0, jitterMs = 0 } = this.net.faults;
    if (delayMs === 0 && jitterMs === 0) {
      queueMicrotask(() => this.deliver(gen, copy));
      return;
    }
    // One chain per direction keeps the pair's order whatever each frame's delay.
    const wait = delayMs + Math.random() * jitterMs;
    this.chain = this.chain
      .then(() => new Promise<void>((r) => setTimeout(r, wait)))
      .then(() => this.deliver(gen, copy));
  }

  private deliver(gen: number, frame: Uint8Array): void {
    if (this.generation === gen && this.other.up) this.other.onFrame?.(frame);
  }

  close(): void {
    this.setDown();
  }

  setDown(): void {
    if (!this.up) return;
    this.up = false;
    this.generation++;
    this.onEvent?.({ t: 'down' });
  }

  setUp(): void {
    if (this.up) return;
    this.up = true;
    this.generation++;
    this.onEvent?.({ t: 'up' });
  }

  setGone(reason: ErrorInfo): void {
    this.up = false;
    this.generation++;
    this.onEvent?.({ t: 'gone', reason });
  }
}

export class MemoryNetwork {
  private readonly links = new Map<string, MemoryLink>();

  constructor(
    readonly n: number,
    public faults: Faults = {},
  ) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = new MemoryLink(this);
        const b = new MemoryLink(this);
        a.other = b;
        b.other = a;
        this.links.set(`${i}>${j}`, a);
        this.links.set(`${j}>${i}`, b);
      }
    }
  }

  /** Party i's link to party j. */
  link(i: number, j: number): Link {
    const l = this.links.get(`${i}>${j}`);
    if (!l) throw new Error(`no link ${i} → ${j}`);
    return l;
  }

  /** All of party i's links, by peer index. */
  linksOf(i: number): Map<number, Link> {
    const m = new Map<number, Link>();
    for (let j = 0; j < this.n; j++) if (j !== i) m.set(j, this.link(i, j));
    return m;
  }

  /** Drops the connection between i and j (both ends go down), restoring it after `forMs`. */
  drop(i: number, j: number, forMs: number): Promise<void> {
    const a = this.links.get(`${i}>${j}`)!;
    const b = this.links.get(`${j}>${i}`)!;
    a.setDown();
    b.setDown();
    return new Promise((resolve) =>
      setTimeout(() => {
        a.setUp();
        b.setUp();
        resolve();
      }, forMs),
    );
  }

  /** Party i disappears for good: its peers' links go down and never come back. */
  remove(i: number): void {
    for (let j = 0; j < this.n; j++) {
      if (j === i) continue;
      (this.links.get(`${j}>${i}`) as MemoryLink).setDown();
      (this.links.get(`${i}>${j}`) as MemoryLink).setDown();
    }
  }
}
