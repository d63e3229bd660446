// Builds the Svelte app in web/ into dist/, which the service serves; in development the
// Vite server proxies the service's HTTP and socket.io endpoints.

import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const service = `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  root: 'web',
  plugins: [svelte()],
  // simple-peer expects Node's `global`; `process` is set in web/src/polyfills.ts.
  define: { global: 'globalThis' },
  worker: { format: 'es' },
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    host: '127.0.0.1',
    fs: { allow: [root] },
    proxy: {
      '/api': service,
      '/.well-known': service,
      '/socket.io': { target: service, ws: true },
    },
  },
});
