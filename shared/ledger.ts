// The marketplace ledger's format and its verification, shared by the service (which appends),
// the app (which checks the chain it downloads) and `npm run ledger:verify`. WebCrypto only, so
// it runs unchanged in Node 20 and browsers: canonical JSON, SHA-256 hash chain, ECDSA P-256
// actor signatures over signed requests, Ed25519 service countersignatures.

import type { PublicJwk } from './identity.js';
import { SIGN_ALGORITHM, SIGN_PARAMS } from './identity.js';
import { fromBase64Url, randomBytes, toBase64Url } from './random.js';

/** What participants sign; `type` names the socket event (`market:<type>`). */
const REQUEST_TYPES = ['publish', 'buy', 'decrypt-request', 'decryption', 'confirm', 'cancel', 'dispute'] as const;
export type MarketRequestType = (typeof REQUEST_TYPES)[number];

/** The ledger entry type each signed request becomes. */
export const ENTRY_TYPE_OF: Record<MarketRequestType, string> = {
  publish: 'listing',
  buy: 'purchase',
  'decrypt-request': 'decrypt-request',
  decryption: 'decryption',
  confirm: 'confirm',
  cancel: 'cancel',
  dispute: 'dispute',
};
/** Entries the service (expiry, payout, refund) or the operator (grant, resolve) makes, unsigned by any participant. */
const SERVICE_ENTRY_TYPES = ['grant', 'resolve', 'expire', 'payout', 'refund'] as const;

export interface MarketRequest {
  type: MarketRequestType;
  /** The signer's name; when present the service and verifiers require it to be the entry's actor. */
  actor?: string;
  listing?: string;
  purchase?: string;
  body: unknown;
  /** 16+ random bytes, base64url; unique per actor. */
  nonce: string;
  /** Epoch ms at signing; the service accepts it within 5 minutes of its clock. */
  at: number;
}

export interface LedgerEntry {
  seq: number;
  prev: string;
  at: number;
  type: string;
  actor: string;
  listing: string | null;
  purchase: string | null;
  /** Canonical JSON: the signed MarketRequest, or the body of a service/operator entry. */
  request: string;
  actorKey: PublicJwk | null;
  actorSig: string | null;
  serviceSig: string;
}

/**
 * An entry as someone who is not a party to it sees it (signaling/ledger-store.ts decides):
 * its place in the chain and the hash of the whole entry, nothing of its content. The next
 * entry's `prev` (which that entry's service signature covers) pins the hash, so an edited or
 * removed entry still breaks the chain for every reader.
 */
export interface RedactedEntry {
  seq: number;
  prev: string;
  /** entryHash of the full entry. */
  hash: string;
  redacted: true;
}

/** What `market:ledger` returns: full entries to their parties, redacted ones to everyone else. */
export type LedgerView = LedgerEntry | RedactedEntry;

export const isRedacted = (e: LedgerView): e is RedactedEntry => (e as RedactedEntry).redacted === true;

/** A balance change carried by money entries (grant, payout, refund): deltas, not totals. */
export interface Move {
  name: string;
  balance: number;
  escrow: number;
}

export const GENESIS_PREV = '0'.repeat(64);
export const REQUEST_MAX_AGE_MS = 5 * 60_000;

/** JSON with object keys sorted (UTF-16 order), no whitespace; undefined members are left out. */
export function canonicalJson(x: unknown): string {
  if (x === null) return 'null';
  switch (typeof x) {
    case 'string':
    case 'boolean':
      return JSON.stringify(x);
    case 'number':
      if (!Number.isFinite(x)) throw new TypeError('canonicalJson: numbers must be finite');
      return JSON.stringify(x);
    case 'object': {
      if (Array.isArray(x)) return `[${x.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const o = x as Record<string, unknown>;
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof x}`);
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');

/** Hex SHA-256 of a string's UTF-8 bytes. */
async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', utf8(text) as BufferSource));
}

/** Hex SHA-256 of the entry's canonical bytes (serviceSig included): the next entry's `prev`. */
export function entryHash(entry: LedgerEntry): Promise<string> {
  return sha256Hex(canonicalJson(entry));
}

/** The entry as a non-party sees it. */
export async function redact(entry: LedgerEntry): Promise<RedactedEntry> {
  return { seq: entry.seq, prev: entry.prev, hash: await entryHash(entry), redacted: true };
}

/** The bytes the service signs: the entry without `serviceSig`. */
export function serviceSignedBytes(entry: Omit<LedgerEntry, 'serviceSig'> & { serviceSig?: string }): Uint8Array {
  const { serviceSig: _omit, ...rest } = entry;
  return utf8(canonicalJson(rest));
}

export function newNonce(): string {
  return toBase64Url(randomBytes(16));
}

/** Signs a market request as a tab does: canonical JSON, ECDSA P-256 / SHA-256, raw r‖s in base64url. */
export async function signRequest(
  privateKey: CryptoKey,
  request: MarketRequest,
): Promise<{ request: string; signature: string }> {
  const text = canonicalJson(request);
  const sig = await crypto.subtle.sign(SIGN_PARAMS, privateKey, utf8(text) as BufferSource);
  return { request: text, signature: toBase64Url(new Uint8Array(sig)) };
}

/** Checks an actor signature over request text; false for malformed keys or signatures. */
export async function verifyRequestSignature(key: PublicJwk, request: string, signature: string): Promise<boolean> {
  try {
    const k = await crypto.subtle.importKey(
      'jwk',
      { kty: key.kty, crv: key.crv, x: key.x, y: key.y, ext: true },
      SIGN_ALGORITHM,
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      SIGN_PARAMS,
      k,
      fromBase64Url(signature) as BufferSource,
      utf8(request) as BufferSource,
    );
  } catch {
    return false;
  }
}

/** Imports the service's Ed25519 public JWK (as published at /.well-known/parley-service-key). */
export function importServiceKey(jwk: { kty?: string; crv?: string; x?: string }): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'jwk',
    { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ext: true } as JsonWebKey,
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
}

export type LedgerVerdict =
  | { ok: true; head: string }
  | { ok: false; seq: number; code: 'ERR_LEDGER_TAMPERED'; message: string };

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) && canonicalJson(v) === text
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Why an entry's request, keys and ids do not fit together, or null when they do. */
async function checkRequest(e: LedgerEntry, nonces: Set<string>): Promise<string | null> {
  const req = parseObject(e.request);
  if (!req) return 'request is not canonical JSON of an object';
  if (e.actorKey === null) {
    if (!(SERVICE_ENTRY_TYPES as readonly string[]).includes(e.type))
      return `a ${e.type} entry needs an actor signature`;
    if (e.actor !== 'service' && e.actor !== 'operator')
      return 'unsigned entries are made by the service or the operator';
    return e.actorSig === null ? null : 'an unsigned entry carries a signature';
  }
  if (!e.actorSig) return 'missing actor signature';
  const type = req.type as MarketRequestType;
  if (!(REQUEST_TYPES as readonly string[]).includes(type) || ENTRY_TYPE_OF[type] !== e.type)
    return `request type ${String(req.type)} does not make a ${e.type} entry`;
  if (req.actor !== undefined && req.actor !== e.actor) return 'request names another actor';
  if (req.listing !== undefined && req.listing !== e.listing) return 'request names another listing';
  if (req.purchase !== undefined && req.purchase !== e.purchase) return 'request names another purchase';
  if (type === 'buy' && req.listing === undefined) return 'a purchase request must name its listing';
  if (type !== 'publish' && type !== 'buy' && req.purchase === undefined)
    return `a ${type} request must name its purchase`;
  if (typeof req.nonce !== 'string' || req.nonce.length < 22) return 'missing or short nonce';
  const key = `${e.actor}\n${req.nonce}`;
  if (nonces.has(key)) return 'nonce used twice by the same actor';
  nonces.add(key);
  if (!(await verifyRequestSignature(e.actorKey, e.request, e.actorSig))) return 'actor signature does not verify';
  return null;
}

/**
 * Verifies a whole chain from seq 1: contiguous seq, prev links, each request against its entry,
 * per-actor nonce uniqueness, actor and service signatures. A redacted entry is checked for its
 * place in the chain only (seq, prev) and links the next one by its hash; the service signature
 * of the next full entry covers that link. The first failure names its seq.
 */
export async function verifyLedger(
  entries: readonly LedgerView[],
  servicePublicJwk: { kty?: string; crv?: string; x?: string },
): Promise<LedgerVerdict> {
  let key: CryptoKey;
  try {
    key = await importServiceKey(servicePublicJwk);
  } catch {
    return { ok: false, seq: 0, code: 'ERR_LEDGER_TAMPERED', message: 'the service key is not an Ed25519 public JWK' };
  }
  const nonces = new Set<string>();
  let prev = GENESIS_PREV;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const fail = (message: string): LedgerVerdict => ({
      ok: false,
      seq: typeof e.seq === 'number' ? e.seq : i + 1,
      code: 'ERR_LEDGER_TAMPERED',
      message: `entry ${i + 1}: ${message}`,
    });
    try {
      if (e.seq !== i + 1) return fail(`expected seq ${i + 1}, found ${e.seq}`);
      if (e.prev !== prev) return fail('prev does not match the hash of the previous entry');
      if (isRedacted(e)) {
        if (!/^[0-9a-f]{64}$/.test(e.hash)) return fail('a redacted entry without its hash');
        prev = e.hash;
        continue;
      }
      const sig = fromBase64Url(e.serviceSig);
      if (
        !(await crypto.subtle.verify(
          { name: 'Ed25519' },
          key,
          sig as BufferSource,
          serviceSignedBytes(e) as BufferSource,
        ))
      ) {
        return fail('service signature does not verify');
      }
      const why = await checkRequest(e, nonces);
      if (why) return fail(why);
      prev = await entryHash(e);
    } catch (err) {
      return fail(`malformed entry (${(err as Error).message})`);
    }
  }
  return { ok: true, head: prev };
}
