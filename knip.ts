// knip: files, exports and dependencies that nothing uses (`npm run lint`). Entry points beyond
// the ones its plugins find (vite/index.html, vitest, playwright, package.json scripts and exports).

import type { KnipConfig } from 'knip';

// The whole <script> bodies of a Svelte component, so knip sees which members of a namespace
// import (`api.settle(…)`) a component uses; its built-in Svelte reader keeps only the imports.
const scriptBodies = (text: string): string =>
  [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join(';\n');

const config: KnipConfig = {
  entry: [
    'signaling/main.ts',
    // The message layer's documented public surface (README, "The message layer").
    'workers/pool/index.ts',
    'workers/**/*.worker.ts',
    'bench/*.ts',
    'examples/*.ts',
    'e2e/*.ts',
    'test/**/*.ts',
    'scripts/*.mjs',
  ],
  project: [
    'shared/**/*.ts',
    'signaling/**/*.ts',
    'workers/**/*.ts',
    'web/src/**/*.{ts,svelte}',
    'test/**/*.ts',
    'e2e/**/*.ts',
    'bench/**/*.ts',
    'examples/**/*.ts',
    'scripts/**/*.mjs',
  ],
  // Browser stand-ins for Node built-ins that simple-peer needs: Vite bundles the npm packages
  // `events` and `process` (web/src/polyfills.ts), which knip reads as the built-ins.
  ignoreDependencies: ['events', 'process'],
  // The NumPy reference mirrors NumPy's aliases (ravel = flatten, row_stack = vstack) on purpose.
  ignoreIssues: { 'test/workers/securenumpy/conformance/reference.ts': ['duplicates'] },
  compilers: { svelte: scriptBodies },
};

export default config;
