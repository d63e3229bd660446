// No value import cycles in product code: modules form a stated dependency order
// (docs/architecture.md), so each can be read, tested and loaded on its own.

import { describe, expect, it } from 'vitest';
import { cycles, valueGraph, valueImports } from './imports.js';

describe('import graph', () => {
  it('reads value imports and skips type-only ones', () => {
    const src = [
      "import type { A } from './a.js';",
      "import { type B, type C } from './b.js';",
      "import { type D, e } from './d.js';",
      "export { f } from './f.js';",
      "export type { G } from './g.js';",
      "import './side.js';",
      "const h = await import('./h.js');",
      "// import { x } from './commented.js';",
      "import * as Comlink from 'comlink';",
    ].join('\n');
    expect(valueImports(src).sort()).toEqual(['./d.js', './f.js', './h.js', './side.js']);
  });

  it('finds a cycle when there is one', async () => {
    const { cycles: find } = await import('./imports.js');
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(find(g)).toEqual([['a', 'b', 'c']]);
  });

  it('product code has no value import cycle', () => {
    const found = cycles(valueGraph());
    expect(found.map((c) => c.join(' ↔ '))).toEqual([]);
  });

  it('outside the engine there is no cycle even through type imports', () => {
    // The engine's seam is typed both ways on purpose: SecureArray calls the late-bound
    // ArrayOps, whose signature names SecureArray; types vanish at build time. Elsewhere
    // (the service contract and the market, the sockets and the notifier) even types flow one way.
    const found = cycles(valueGraph(true)).filter((c) => !c.every((f) => f.startsWith('workers/securenumpy/')));
    expect(found.map((c) => c.join(' ↔ '))).toEqual([]);
  });
});
