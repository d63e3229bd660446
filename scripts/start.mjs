// `npm start`: builds the app when dist/ is missing or older than its sources, then runs the
// service (which serves dist/) in this process's place.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = join(root, 'dist/index.html');
const sources = Math.max(...['web', 'workers', 'shared'].map((d) => newest(join(root, d))));
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('Building the app (vite build)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'signaling/main.ts')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 0);
