// The marketplace's contract between service and app: listings, purchases, the signed request
// envelope and each request type's body, and the payloads of the market:* socket events.
// Validated by signaling/market.ts; typed calls in web/src/market.

import { z } from 'zod';
import { nameSchema } from './identity.js';
import type { LedgerView } from './ledger.js';

export const COMPUTATIONS = [
  'count',
  'sum',
  'mean',
  'weighted-sum',
  'linear-score',
  'threshold-count',
  'min',
  'max',
  'histogram',
] as const;
export type Computation = (typeof COMPUTATIONS)[number];

const b64 = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(max);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const finite = z.number().refine(Number.isFinite, 'must be finite');
/** Credits: whole numbers, bounded well inside exact double arithmetic. */
const credits = z.number().int().min(0).max(1e12);

const columnSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/),
    type: z.enum(['int', 'decimal']),
    decimals: z.number().int().min(0).max(6),
    min: finite,
    max: finite,
  })
  .refine((c) => c.min <= c.max, 'min must not exceed max');
export type Column = z.infer<typeof columnSchema>;

/** A Paillier public key as published: n and h (h = −x^(2n) mod n²) in base64url, key id. */
const paillierPublicSchema = z.strictObject({
  n: b64(700),
  h: b64(1400),
  bits: z.number().int().min(1024).max(4096),
  keyId: b64(64),
});

/**
 * The listing's key also carries its modulus proof (workers/market/paillier/modulus-proof.ts: 8
 * roots of |n| bytes each, at most 4096 bytes for a 4096-bit key); buyers check it (ERR_BAD_KEY).
 */
const listingKeySchema = paillierPublicSchema.extend({ proof: b64(5462) });

const policySchema = z.strictObject({
  computations: z
    .array(z.enum(COMPUTATIONS))
    .min(1)
    .max(COMPUTATIONS.length)
    .refine((a) => new Set(a).size === a.length, 'computations must not repeat'),
  /** Result values decrypted per purchase. */
  budget: z.number().int().min(1).max(100_000),
  /** Masked values converted to shares per purchase. */
  conversionBudget: z.number().int().min(0).max(10_000_000),
});

const MIN_WINDOW_SECONDS = 60;
const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

/** What a seller signs to publish (the service adds id, seller, createdAt, state and blobs). */
export const publishBody = z.strictObject({
  title: z.string().min(1).max(120),
  description: z.string().max(2000),
  schema: z.array(columnSchema).min(1).max(64),
  rows: z.number().int().min(1).max(1_000_000),
  price: credits,
  guarantee: credits,
  expiresAt: z.number().int().min(0),
  purchaseWindowSeconds: z.number().int().min(MIN_WINDOW_SECONDS).max(MAX_WINDOW_SECONDS),
  policy: policySchema,
  publicKey: listingKeySchema,
  test: z.strictObject({
    publicKey: paillierPublicSchema,
    /** The TEST key's private half, published on purpose: test rows are synthetic. */
    privateKey: b64(4096),
    rows: z.number().int().min(1).max(10_000),
  }),
});
export type PublishBody = z.infer<typeof publishBody>;

export interface Listing extends PublishBody {
  id: string;
  seller: string;
  /** Stored byte sizes of the uploaded blobs, null until uploaded. */
  blobs: { data: number | null; test: number | null };
  createdAt: number;
  state: 'active' | 'expired';
}

const PURCHASE_STATES = [
  'active',
  'confirmed',
  'cancelled',
  'disputed',
  'expired',
  'resolved-seller',
  'resolved-buyer',
] as const;
type PurchaseState = (typeof PURCHASE_STATES)[number];

export interface Purchase {
  id: string;
  listing: string;
  buyer: string;
  seller: string;
  price: number;
  guarantee: number;
  state: PurchaseState;
  /** Result values decrypted so far (against policy.budget). */
  budgetUsed: number;
  /** Masked values converted so far (against policy.conversionBudget). */
  conversionsUsed: number;
  /** The seq the next decrypt-request must carry (from 1). */
  nextSeq: number;
  /** Decryption entries the seller recorded. */
  decryptions: number;
  createdAt: number;
  expiresAt: number;
}

export const buyBody = z.strictObject({});
/** A converted program's shape (shared/market-bounds.ts checks it against the listing). */
const convertedShape = z.strictObject({
  kind: z.enum(['threshold-count', 'min', 'max', 'histogram']),
  rows: z.number().int().min(1).max(1_000_000),
  thresholds: z.number().int().min(0).max(10_000_000),
  ellBits: z.number().int().min(1).max(4096),
});
export const decryptRequestBody = z.strictObject({
  seq: z.number().int().min(1),
  kind: z.enum(['result', 'conversion']),
  computation: z.enum(COMPUTATIONS),
  /**
   * H(domain ‖ salt ‖ canonical(spec)) with a fresh 256-bit salt the buyer keeps
   * (workers/market/computations.ts): binds the request to its parameters without revealing them.
   */
  paramsCommitment: hex64,
  count: z.number().int().min(1).max(10_000_000),
  ciphertextsHash: hex64,
  /** The program a conversion runs; the seller runs exactly this one. */
  shape: convertedShape.optional(),
});
export type DecryptRequestBody = z.infer<typeof decryptRequestBody>;
export const decryptionBody = z.strictObject({ seq: z.number().int().min(1) });
export const reasonBody = z.strictObject({ reason: z.string().max(500).optional() });

/** The envelope of the market:* events a participant signs (request = canonical JSON of a MarketRequest). */
export const signedRequest = z.strictObject({ request: z.string().max(16384), signature: b64(128) });
/** Publishing carries the whole listing (schema, keys, the test key's private half): a larger envelope. */
const MAX_PUBLISH_REQUEST = 22 * 1024;
export const signedPublish = z.strictObject({ request: z.string().max(MAX_PUBLISH_REQUEST), signature: b64(128) });
export type SignedRequest = z.infer<typeof signedRequest>;

/** The parsed request before its body is checked against its type. */
export const marketRequestSchema = z.strictObject({
  type: z.enum(['publish', 'buy', 'decrypt-request', 'decryption', 'confirm', 'cancel', 'dispute']),
  actor: nameSchema.optional(),
  listing: z.string().uuid().optional(),
  purchase: z.string().uuid().optional(),
  body: z.unknown(),
  nonce: b64(128).min(22),
  at: z.number().int(),
});

export const ledgerQuery = z.strictObject({
  from: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export const BLOB_KINDS = ['data', 'test'] as const;
export type BlobKind = (typeof BLOB_KINDS)[number];
export const blobTicketEvent = z.strictObject({
  listing: z.string().uuid(),
  kind: z.enum(BLOB_KINDS),
  op: z.enum(['put', 'get']),
});

export interface Balance {
  balance: number;
  escrow: number;
}

export interface LedgerPage {
  /** Full entries where the reader is a party (seller, buyer, credited name), redacted ones otherwise. */
  entries: LedgerView[];
  total: number;
}

export interface BlobTicket {
  /** Path of the blob endpoint (relative to the service), used with `Authorization: Bearer <ticket>`. */
  url: string;
  ticket: string;
}
