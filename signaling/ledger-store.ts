// Appends to the marketplace ledger. Every change is a plan (entries, nonces, balance moves, and
// the state writes they explain) committed in ONE SQLite transaction; appends are serialized by a
// promise chain, and the chain head is re-checked at commit so that a concurrent writer (the
// operator CLI in another process) makes the plan rebuild instead of forking the chain.

import { ParleyError } from '../shared/errors.js';
import {
  canonicalJson,
  entryHash,
  GENESIS_PREV,
  type LedgerEntry,
  type LedgerView,
  type Move,
  redact,
  serviceSignedBytes,
} from '../shared/ledger.js';
import { toBase64Url } from '../shared/random.js';
import type { ServiceKey } from './service-key.js';
import type { Store } from './store.js';

/** An entry before the service numbers, links and countersigns it. */
export type Draft = Pick<LedgerEntry, 'type' | 'actor' | 'listing' | 'purchase' | 'request' | 'actorKey' | 'actorSig'>;

export interface Plan<T> {
  entries: Draft[];
  /** Request nonces to record (a second use aborts the whole plan with ERR_REPLAY). */
  nonces?: { actor: string; nonce: string; at: number }[];
  moves?: Move[];
  /** Synchronous state writes, inside the same transaction; gets the entries as appended. */
  apply: (entries: LedgerEntry[]) => T;
}

const MAX_ATTEMPTS = 5;

/** A service or operator entry: the request is the canonical JSON of its body, unsigned. */
export function serviceDraft(
  type: string,
  actor: 'service' | 'operator',
  ids: { listing?: string | null; purchase?: string | null },
  body: unknown,
): Draft {
  return {
    type,
    actor,
    listing: ids.listing ?? null,
    purchase: ids.purchase ?? null,
    request: canonicalJson(body),
    actorKey: null,
    actorSig: null,
  };
}

export class LedgerStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly store: Store,
    private readonly key: ServiceKey,
    private readonly now: () => number,
  ) {}

  /**
   * Builds the plan (its checks throw coded refusals before anything is written), signs its
   * entries and commits them with the plan's writes. Refused plans leave no trace.
   */
  commit<T>(build: () => Plan<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ParleyError('ERR_CLOSED', 'the service is shutting down'));
    const run = this.queue.then(() => this.attempt(build));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async attempt<T>(build: () => Plan<T>): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = this.store.ledgerHead();
      const plan = build();
      const at = this.now();
      const entries: LedgerEntry[] = [];
      const hashes: string[] = [];
      let seq = head?.seq ?? 0;
      let prev = head?.hash ?? GENESIS_PREV;
      for (const d of plan.entries) {
        const unsigned = { seq: ++seq, prev, at, ...d };
        const sig = await crypto.subtle.sign(
          { name: 'Ed25519' },
          this.key.privateKey,
          serviceSignedBytes(unsigned) as BufferSource,
        );
        const entry: LedgerEntry = { ...unsigned, serviceSig: toBase64Url(new Uint8Array(sig)) };
        prev = await entryHash(entry);
        entries.push(entry);
        hashes.push(prev);
      }
      const done = this.store.transaction((): { value: T } | null => {
        const now = this.store.ledgerHead();
        if ((now?.seq ?? 0) !== (head?.seq ?? 0) || now?.hash !== head?.hash) return null;
        for (const n of plan.nonces ?? []) {
          if (!this.store.useNonce(n.actor, n.nonce, n.at))
            throw new ParleyError('ERR_REPLAY', 'this signed request was already presented');
        }
        entries.forEach((e, i) => this.store.appendLedger(e, hashes[i]!));
        for (const m of plan.moves ?? []) this.store.moveBalance(m.name, m.balance, m.escrow);
        return { value: plan.apply(entries) };
      });
      if (done) return done.value;
    }
    throw new ParleyError('ERR_INTERNAL', 'the ledger kept changing under this append');
  }

  /** Refuses new appends and waits for those under way (before the store closes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  /**
   * A page of the ledger as `viewer` may read it: full entries where it is a party (see
   * `partyTo`), redacted ones (seq, prev, hash) elsewhere. Without a viewer (the operator's
   * tools, which read the file itself), every entry in full.
   */
  async page(from: number, limit: number, viewer?: string): Promise<{ entries: LedgerView[]; total: number }> {
    const entries = this.store.ledgerEntries(from, limit);
    const total = this.store.ledgerCount();
    if (viewer === undefined) return { entries, total };
    const parties = new Map<string, readonly string[]>();
    const partiesOf = (purchase: string) => {
      let names = parties.get(purchase);
      if (!names) {
        const p = this.store.getPurchase(purchase);
        names = p ? [p.buyer, p.seller] : [];
        parties.set(purchase, names);
      }
      return names;
    };
    const view = await Promise.all(entries.map((e) => (partyTo(e, viewer, partiesOf) ? e : redact(e))));
    return { entries: view, total };
  }
}

/**
 * Who reads an entry in full: the buyer and the seller of its purchase (a purchase's every entry:
 * requests, decryptions, settlement, money); everyone for a listing's own entries (publish,
 * expiry: listings are public); the participants a grant credits; the actor otherwise.
 */
function partyTo(e: LedgerEntry, viewer: string, partiesOf: (purchase: string) => readonly string[]): boolean {
  if (e.purchase) return partiesOf(e.purchase).includes(viewer);
  if (e.listing) return true;
  if (e.type === 'grant') {
    const body = JSON.parse(e.request) as { moves?: Move[] };
    return (body.moves ?? []).some((m) => m.name === viewer);
  }
  return e.actor === viewer;
}

/** The operator's grant of credits: a 'grant' entry and the balance, together (used by the CLI and tests). */
export async function grantCredits(ledger: LedgerStore, name: string, amount: number): Promise<LedgerEntry> {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > 1e12)
    throw new ParleyError('ERR_BAD_REQUEST', 'grant a whole number of credits, 1 to 10^12');
  if (!ledger.store.getParticipant(name)) throw new ParleyError('ERR_UNKNOWN_PARTICIPANT', `no participant "${name}"`);
  return ledger.commit(() => ({
    entries: [serviceDraft('grant', 'operator', {}, { moves: [{ name, balance: amount, escrow: 0 }] })],
    moves: [{ name, balance: amount, escrow: 0 }],
    apply: (entries) => entries[0]!,
  }));
}
