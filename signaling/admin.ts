// Operator CLI (`npm run admin -- <command>`), working on the service's store: the SQLite file
// (PARLEY_DB) or PostgreSQL (PARLEY_DATABASE_URL); a running service picks up revocations within
// a second.
//   invite [--uses N] [--days D] [--roles r1,r2]
//                                  create an invitation code (printed once; only its hash is kept),
//                                  admitting only the given roles (default: any)
//   revoke <name>                  revoke a participant: no more logins, open jobs fail
//   list                           participants and their state
//   grant <name> <credits>         give marketplace credits (a signed 'grant' ledger entry)
//   resolve <purchase> seller|buyer settle a disputed purchase
//   ledger                         print the marketplace ledger, one JSON entry per line
//   keygen FILE                    write a new service key (for PARLEY_SERVICE_KEY_FILE; never overwrites)

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorInfo } from '../shared/errors.js';
import { ROLES, type Role } from '../shared/protocol.js';
import { randomBytes, toBase64Url } from '../shared/random.js';
import { hashInvite } from './auth.js';
import { grantCredits, LedgerStore } from './ledger-store.js';
import { resolveDispute } from './market-settle.js';
import { checkServiceKey, loadServiceKey, writeNewServiceKey } from './service-key.js';
import { openStore } from './store/open.js';
import type { Store } from './store.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const dbFile = resolve(process.env.PARLEY_DB || resolve(root, 'data/parley.db'));

function flag(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`${name} takes a positive integer`);
    process.exit(2);
  }
  return v;
}

/** `--roles seller,buyer`: the roles an invitation admits (null: any). */
function rolesFlag(args: string[]): Role[] | null {
  const i = args.indexOf('--roles');
  if (i < 0) return null;
  const roles = (args[i + 1] ?? '').split(',').filter((r) => r !== '');
  if (roles.length === 0 || !roles.every((r): r is Role => (ROLES as readonly string[]).includes(r))) {
    console.error(`--roles takes a comma-separated list of ${ROLES.join(', ')}`);
    process.exit(2);
  }
  return [...new Set(roles)];
}

/** The service's key, checked against the one the store records (the operator signs as the service). */
async function serviceKey(store: Store) {
  const key = await loadServiceKey(dirname(dbFile), process.env.PARLEY_SERVICE_KEY_FILE || undefined);
  await checkServiceKey(store, key);
  return key;
}

const [command, ...args] = process.argv.slice(2);
if (command === 'keygen') {
  if (!args[0]) {
    console.error('usage: npm run admin -- keygen FILE');
    process.exit(2);
  }
  try {
    const keyId = await writeNewServiceKey(resolve(args[0]));
    console.log(
      `Wrote a new service key (id ${keyId}) to ${args[0]}; give every node PARLEY_SERVICE_KEY_FILE=${args[0]}.`,
    );
    process.exit(0);
  } catch (e) {
    console.error(
      `ERR_CONFIG: cannot write ${args[0]}: ${(e as Error).message} (an existing key is never overwritten)`,
    );
    process.exit(1);
  }
}
const store = await openStore({ dbFile, databaseUrl: process.env.PARLEY_DATABASE_URL || undefined, poolSize: 2 });
try {
  if (command === 'invite') {
    const uses = flag(args, '--uses', 1);
    const days = flag(args, '--days', 7);
    const roles = rolesFlag(args);
    const code = toBase64Url(randomBytes(18));
    await store.addInvite(hashInvite(code), uses, Date.now() + days * 86_400_000, Date.now(), roles);
    console.log(code);
    console.error(
      `Invitation for ${uses} registration(s), valid ${days} day(s), roles: ${roles ? roles.join(',') : 'any'}. Only its hash is stored.`,
    );
  } else if (command === 'revoke' && args[0]) {
    if (!(await store.getParticipant(args[0]))) {
      console.error(`No participant "${args[0]}"`);
      process.exitCode = 1;
    } else if (await store.revoke(args[0], Date.now())) console.log(`Revoked ${args[0]}.`);
    else console.log(`${args[0]} was already revoked.`);
  } else if (command === 'list') {
    for (const p of await store.listParticipants()) {
      console.log(
        `${p.name}\t${p.roles.join(',')}\t${p.revokedAt ? `revoked ${new Date(p.revokedAt).toISOString()}` : 'active'}`,
      );
    }
  } else if (command === 'grant' && args[0] && args[1]) {
    const ledger = new LedgerStore(store, await serviceKey(store), Date.now);
    const entry = await grantCredits(ledger, args[0], Number(args[1]));
    console.log(
      `Granted ${args[1]} credits to ${args[0]} (ledger entry ${entry.seq}); balance ${(await store.getBalance(args[0])).balance}.`,
    );
  } else if (command === 'resolve' && args[0] && (args[1] === 'seller' || args[1] === 'buyer')) {
    const ledger = new LedgerStore(store, await serviceKey(store), Date.now);
    const p = await resolveDispute(ledger, args[0], args[1]);
    console.log(`Purchase ${p.id} is ${p.state}.`);
  } else if (command === 'ledger') {
    for (let from = 1; ; ) {
      const page = await store.ledgerEntries(from, 1000);
      for (const e of page) console.log(JSON.stringify(e));
      if (page.length < 1000) break;
      from = page[page.length - 1]!.seq + 1;
    }
  } else {
    console.error(
      'usage: npm run admin -- invite [--uses N] [--days D] [--roles r1,r2] | revoke <name> | list | grant <name> <credits> | resolve <purchase> seller|buyer | ledger | keygen FILE',
    );
    process.exitCode = 2;
  }
} catch (e) {
  const info = toErrorInfo(e);
  console.error(`${info.code}: ${info.message}`);
  process.exitCode = 1;
} finally {
  await store.close();
}
