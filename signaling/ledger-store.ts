// Appends to the marketplace ledger. Every change is a plan (entries, nonces, balance moves, and
// the state writes they explain) built from the store's reads, numbered, linked and countersigned
// here, and committed in ONE store transaction (`commitLedger`: SQLite re-checks the head and
// rebuilds if another process appended; PostgreSQL builds under a lock all nodes take). Appends
// of this process are also serialized by a promise chain, so they never contend with each other.

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
import type { LedgerReader, LedgerWrite } from './store-market.js';

/** An entry before the service numbers, links and countersigns it. */
export type Draft = Pick<LedgerEntry, 'type' | 'actor' | 'listing' | 'purchase' | 'request' | 'actorKey' | 'actorSig'>;

export interface Plan<T> {
  entries: Draft[];
  /** Request nonces to record (a second use aborts the whole plan with ERR_REPLAY). */
  nonces?: { actor: string; nonce: string; at: number }[];
  moves?: Move[];
  /** State writes, inside the same transaction. */
  writes?: LedgerWrite[];
  /** What the commit returns, given the entries as appended. */
  result: (entries: LedgerEntry[]) => T;
}

/** Builds a plan from reads made through `tx` (its checks throw coded refusals). */
export type Build<T> = (tx: LedgerReader) => Plan<T> | Promise<Plan<T>>;

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
  commit<T>(build: Build<T>): Promise<T> {
    if (this.closed) return Promise.reject(new ParleyError('ERR_CLOSED', 'the service is shutting down'));
    const run = this.queue.then(() => this.store.commitLedger((tx, head) => this.prepare(build, tx, head)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async prepare<T>(build: Build<T>, tx: LedgerReader, head: { seq: number; hash: string } | null) {
    const plan = await build(tx);
    const at = this.now();
    const signed: { entry: LedgerEntry; hash: string }[] = [];
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
      signed.push({ entry, hash: prev });
    }
    const append = { entries: signed, nonces: plan.nonces ?? [], moves: plan.moves ?? [], writes: plan.writes ?? [] };
    return { append, value: plan.result(signed.map((s) => s.entry)) };
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
    const entries = await this.store.ledgerEntries(from, limit);
    const total = await this.store.ledgerCount();
    if (viewer === undefined) return { entries, total };
    const parties = new Map<string, readonly string[]>();
    for (const e of entries) {
      if (!e.purchase || parties.has(e.purchase)) continue;
      const p = await this.store.getPurchase(e.purchase);
      parties.set(e.purchase, p ? [p.buyer, p.seller] : []);
    }
    const partiesOf = (purchase: string) => parties.get(purchase) ?? [];
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
  if (!(await ledger.store.getParticipant(name)))
    throw new ParleyError('ERR_UNKNOWN_PARTICIPANT', `no participant "${name}"`);
  return ledger.commit(() => ({
    entries: [serviceDraft('grant', 'operator', {}, { moves: [{ name, balance: amount, escrow: 0 }] })],
    moves: [{ name, balance: amount, escrow: 0 }],
    result: (entries) => entries[0]!,
  }));
}
