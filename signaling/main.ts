// Entry point of `npm start`: reads the environment (see signaling/config.ts and the README),
// starts the service, prints the URL, and shuts down cleanly on SIGINT/SIGTERM.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorInfo } from '../shared/errors.js';
import { createService } from './app.js';
import { configFromEnv } from './config.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const config = configFromEnv(process.env, root);
if ('errors' in config) {
  for (const e of config.errors) console.error(`Parley cannot start: ${e}`);
  process.exit(2);
}

const service = await createService(config.options).catch((e: unknown) => {
  // A backend that does not answer (Redis in a cluster) is a coded refusal, not a crash.
  const info = toErrorInfo(e);
  if (info.code === 'ERR_INTERNAL') throw e;
  console.error(`Parley cannot start: ${info.code}: ${info.message}`);
  process.exit(2);
});
const state = config.options.databaseUrl ? 'PostgreSQL' : config.options.dbFile;
console.log(`Parley is running at ${service.url}  (node ${service.node}, state in ${state})`);

const stop = () => {
  void service.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
