// The dependency order of docs/architecture.md, checked on the value-import graph: a room imports
// only from the rooms below it, so the contract (shared/) can be read without the service or the
// engine, the engine without the app, and no test, bench or example code ships in the product.

import { describe, expect, it } from 'vitest';
import { valueGraph } from './imports.js';

interface Rule {
  /** What the rule protects, as the test's name. */
  name: string;
  /** Importing files: path prefixes from the repository root. */
  from: string[];
  /** Imported files that break the rule: path prefixes. */
  never: string[];
  /** Imported files inside `never` that the rule still allows. */
  but?: string[];
}

const NOT_PRODUCT = ['bench/', 'test/', 'e2e/', 'examples/', 'scripts/'];
// The OT machinery's room; `workers/preprocessing/` is its name until the rename lands.
const OT = ['workers/ot/', 'workers/preprocessing/'];

const RULES: Rule[] = [
  {
    name: 'shared/ imports nothing from the service, the engine or the app',
    from: ['shared/'],
    never: ['signaling/', 'workers/', 'web/'],
  },
  { name: 'signaling/ never imports the engine or the app', from: ['signaling/'], never: ['workers/', 'web/'] },
  { name: 'workers/ never imports the service or the app', from: ['workers/'], never: ['signaling/', 'web/'] },
  { name: 'web/src never imports the service', from: ['web/'], never: ['signaling/'] },
  {
    name: 'workers/pool (the message layer) imports nothing else of workers/',
    from: ['workers/pool/'],
    never: ['workers/'],
  },
  {
    name: 'the OT machinery imports of workers/ only the message layer',
    from: OT,
    never: ['workers/'],
    but: ['workers/pool/'],
  },
  {
    name: "workers/join (the private join's building blocks) imports nothing else of workers/",
    from: ['workers/join/'],
    never: ['workers/'],
  },
  {
    name: 'workers/securenumpy imports of workers/ only the message layer, the OT machinery and the join',
    from: ['workers/securenumpy/'],
    never: ['workers/'],
    but: ['workers/pool/', ...OT, 'workers/join/'],
  },
  {
    name: 'workers/programs never imports the market or the job entries',
    from: ['workers/programs/'],
    never: ['workers/market/', 'workers/jobs/'],
  },
  { name: 'workers/market never imports the job entries', from: ['workers/market/'], never: ['workers/jobs/'] },
  {
    name: 'workers/sandbox (where programs run) imports nothing else of workers/',
    from: ['workers/sandbox/'],
    never: ['workers/'],
  },
  {
    name: 'product code never imports bench, test, e2e, example or script code',
    from: ['shared/', 'signaling/', 'workers/', 'web/'],
    never: NOT_PRODUCT,
  },
];

const starts = (path: string, prefixes: string[]) => prefixes.some((p) => path.startsWith(p));

/** Every value import that breaks `rule`, as "importer → imported". */
function violations(graph: Map<string, string[]>, rule: Rule): string[] {
  const out: string[] = [];
  for (const [file, targets] of graph) {
    if (!starts(file, rule.from)) continue;
    for (const t of targets) {
      const sameRoom = rule.from.some((p) => file.startsWith(p) && t.startsWith(p));
      if (starts(t, rule.never) && !starts(t, rule.but ?? []) && !sameRoom) out.push(`${file} → ${t}`);
    }
  }
  return out.sort();
}

describe('dependency order', () => {
  const graph = valueGraph();

  it('reports an import that breaks a rule, and none inside the importing room', () => {
    const g = new Map([
      ['workers/pool/pool.ts', ['workers/pool/frames.ts', 'shared/errors.ts', 'workers/securenumpy/index.ts']],
      ['workers/pool/frames.ts', []],
    ]);
    const rule = RULES.find((r) => r.from[0] === 'workers/pool/')!;
    expect(violations(g, rule)).toEqual(['workers/pool/pool.ts → workers/securenumpy/index.ts']);
  });

  it('reads the real graph', () => {
    expect(graph.size).toBeGreaterThan(100);
    const crosses = (a: string, b: string) =>
      [...graph].some(([file, targets]) => file.startsWith(a) && targets.some((t) => t.startsWith(b)));
    expect(crosses('signaling/', 'shared/') && crosses('web/', 'workers/')).toBe(true);
  });

  for (const rule of RULES) {
    it(rule.name, () => {
      expect(violations(graph, rule)).toEqual([]);
    });
  }
});
