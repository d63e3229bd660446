// `npm run ledger:verify`: checks the whole marketplace ledger in the service's store (the SQLite
// file PARLEY_DB, or PostgreSQL at PARLEY_DATABASE_URL) with shared/ledger.ts's verifyLedger and
// the service's public key (PARLEY_SERVICE_KEY_FILE, or the one kept beside PARLEY_DB).
// Prints { ok, entries, head } or the failing seq; exits 1 when the ledger does not verify.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LedgerEntry, verifyLedger } from '../shared/ledger.js';
import { openStore } from './store/open.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const dbFile = resolve(process.env.PARLEY_DB || resolve(root, 'data/parley.db'));
const keyFile = process.env.PARLEY_SERVICE_KEY_FILE || join(dirname(dbFile), 'service-key.json');

const databaseUrl = process.env.PARLEY_DATABASE_URL || undefined;
if ((!databaseUrl && !existsSync(dbFile)) || !existsSync(keyFile)) {
  console.error(`No service database and key at ${dbFile} (set PARLEY_DB)`);
  process.exit(2);
}
const { kty, crv, x } = JSON.parse(readFileSync(keyFile, 'utf8')) as { kty: string; crv: string; x: string };
const store = await openStore({ dbFile, databaseUrl, poolSize: 1 });
const entries: LedgerEntry[] = [];
try {
  for (let from = 1; ; ) {
    const page = await store.ledgerEntries(from, 1000);
    entries.push(...page);
    if (page.length < 1000) break;
    from = page[page.length - 1]!.seq + 1;
  }
} finally {
  await store.close();
}
const verdict = await verifyLedger(entries, { kty, crv, x });
if (verdict.ok) console.log(JSON.stringify({ ok: true, entries: entries.length, head: verdict.head }));
else {
  console.log(
    JSON.stringify({
      ok: false,
      entries: entries.length,
      seq: verdict.seq,
      code: verdict.code,
      message: verdict.message,
    }),
  );
  process.exitCode = 1;
}
