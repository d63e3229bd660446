// Entry point of `npm start`: reads PORT, HOST and PARLEY_DB, starts the service, prints the URL.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iceServersSchema, type IceServer } from '../shared/protocol.js';
import { createService } from './app.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const dbFile = resolve(process.env.PARLEY_DB ?? resolve(root, 'data/parley.db'));

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be an integer 0-65535, got ${process.env.PORT}`);
  process.exit(2);
}

let iceServers: IceServer[] = [];
if (process.env.PARLEY_ICE_SERVERS) {
  try {
    iceServers = iceServersSchema.parse(JSON.parse(process.env.PARLEY_ICE_SERVERS));
  } catch (e) {
    console.error(`PARLEY_ICE_SERVERS must be a JSON array of {urls, username?, credential?}: ${(e as Error).message}`);
    process.exit(2);
  }
}

const service = await createService({ dbFile, staticDir: resolve(root, 'dist'), host, port, iceServers });
console.log(`Parley is running at ${service.url}  (state in ${dbFile})`);

const stop = () => {
  void service.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
