// Counters and gauges for /metrics in Prometheus text format (no labels beyond one level).

export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly help = new Map<string, string>();

  counter(name: string, help: string): void {
    this.help.set(name, help);
    if (!this.counters.has(name)) this.counters.set(name, new Map());
  }

  inc(name: string, label = '', by = 1): void {
    const m = this.counters.get(name);
    if (!m) throw new Error(`unknown metric ${name}`);
    m.set(label, (m.get(label) ?? 0) + by);
  }

  /** Renders counters plus the given gauges: name → value, or label string → value. */
  render(gauges: Record<string, { help: string; values: number | Record<string, number> }>): string {
    const out: string[] = [];
    for (const [name, m] of this.counters) {
      out.push(`# HELP ${name} ${this.help.get(name)}`, `# TYPE ${name} counter`);
      if (m.size === 0) out.push(`${name} 0`);
      for (const [label, v] of m) out.push(`${name}${label ? `{${label}}` : ''} ${v}`);
    }
    for (const [name, g] of Object.entries(gauges)) {
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
      if (typeof g.values === 'number') out.push(`${name} ${g.values}`);
      else for (const [label, v] of Object.entries(g.values)) out.push(`${name}{${label}} ${v}`);
    }
    return `${out.join('\n')}\n`;
  }
}
