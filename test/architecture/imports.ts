// Reads the value-import graph of Parley's product code (shared/, signaling/, workers/, web/src/)
// without a compiler: `import type`/`export type` and type-only specifiers carry no value and are
// left out. Used by the architecture tests (cycles, layering).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');
export const PRODUCT_DIRS = ['shared', 'signaling', 'workers', 'web/src'];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every product source file, absolute. */
export function productFiles(): string[] {
  return PRODUCT_DIRS.flatMap((d) => walk(join(ROOT, d), []));
}

const STATEMENT = /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?([\s\S]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE_IMPORT = /(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative specifiers a file imports for their values (or for anything, with `types`). */
export function valueImports(source: string, types = false): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  for (const m of code.matchAll(STATEMENT)) {
    const [, , typeOnly, clause, spec] = m;
    if (typeOnly && !types) continue;
    const braces = /^\{([\s\S]*)\}$/.exec(clause!.trim());
    if (braces) {
      const names = braces[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (!types && names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    specs.push(spec!);
  }
  for (const m of code.matchAll(BARE_IMPORT)) specs.push(m[1]!);
  for (const m of code.matchAll(DYNAMIC)) specs.push(m[1]!);
  return specs.filter((s) => s.startsWith('.'));
}

function resolveSpec(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** file → the product files it imports values from (or anything, with `types`), relative to the root. */
export function valueGraph(types = false): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of productFiles()) {
    let source = readFileSync(file, 'utf8');
    if (file.endsWith('.svelte'))
      source = [...source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
    const targets = valueImports(source, types)
      .map((s) => resolveSpec(file, s))
      .filter((t): t is string => t !== null && !t.includes('node_modules'));
    graph.set(relative(ROOT, file), [...new Set(targets.map((t) => relative(ROOT, t)))]);
  }
  return graph;
}

/** Strongly connected sets of more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}
