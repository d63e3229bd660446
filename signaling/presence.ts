// Who is connected to this node, and the grace period: a member whose last connection closes
// has `graceMs` to come back before `onGone` fails its live jobs.

export class Presence {
  private readonly sockets = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly graceMs: number,
    private readonly onGone: (name: string) => void,
  ) {}

  /** Returns true when `name` just came online. */
  connected(name: string): boolean {
    const n = this.sockets.get(name) ?? 0;
    this.sockets.set(name, n + 1);
    const t = this.timers.get(name);
    if (t) {
      clearTimeout(t);
      this.timers.delete(name);
    }
    return n === 0;
  }

  /** Returns true when `name` just went offline (and starts its grace period). */
  disconnected(name: string): boolean {
    const n = (this.sockets.get(name) ?? 1) - 1;
    if (n > 0) {
      this.sockets.set(name, n);
      return false;
    }
    this.sockets.delete(name);
    this.startGrace(name);
    return true;
  }

  /** Starts a grace period for someone not connected (used after a restart for live jobs). */
  startGrace(name: string): void {
    if (this.isOnline(name) || this.timers.has(name)) return;
    const t = setTimeout(() => {
      this.timers.delete(name);
      if (!this.isOnline(name)) this.onGone(name);
    }, this.graceMs);
    t.unref?.();
    this.timers.set(name, t);
  }

  isOnline(name: string): boolean {
    return (this.sockets.get(name) ?? 0) > 0;
  }

  get connections(): number {
    let n = 0;
    for (const v of this.sockets.values()) n += v;
    return n;
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
