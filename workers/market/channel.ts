// The buyer–seller protocol over a market job's Pool: the buyer fetches ciphertexts, sends
// countersigned decryption requests with their blinded or masked ciphertexts, and runs the
// engine on converted shares; the seller checks each request (service signature, purchase,
// buyer, the size and program the listing allows, hash, once only) before its key touches
// anything, and answers: B bits of each blinded result (shared/market-bounds.ts), or the program
// the countersigned request names, never one the buyer's unsigned message names.

import { type ErrorInfo, fromErrorInfo, ParleyError, toErrorInfo } from '../../shared/errors.js';
import { canonicalJson, type LedgerEntry } from '../../shared/ledger.js';
import { type DecryptRequestBody, decryptRequestBody } from '../../shared/market.js';
import { type ConvertedShape, checkRequestShape, resultBits } from '../../shared/market-bounds.js';
import type { Pool } from '../pool/pool.js';
import { bytesHash } from './computations.js';
import { runConverted } from './converted.js';
import { checkServiceEntry } from './entry-check.js';
import {
  ciphertextsFromBytes,
  conversionLayout,
  decryptRaw,
  type PrivateKey,
  sharesFromMaskedPacked,
} from './paillier/index.js';
import type { Column } from './table.js';

type Snp = Parameters<typeof runConverted>[0];

/** What travels; every message carries an op and nothing else is accepted. */
type BuyerMessage =
  | { op: 'fetch'; columns: number[] }
  | { op: 'decrypt'; entry: LedgerEntry; ciphertexts: Uint8Array }
  | { op: 'convert'; entry: LedgerEntry; ciphertexts: Uint8Array; shape: ConvertedShape }
  | { op: 'bye' };
type SellerMessage =
  | { op: 'table'; keyId: string; rows: number; columns: Uint8Array[] }
  | { op: 'plain'; values: string[] }
  | { op: 'converted' }
  | { op: 'error'; error: ErrorInfo };

export interface SellerContext {
  purchase: string;
  buyer: string;
  sk: PrivateKey;
  /** The listing's public facts every request is checked against (schema, rows, offered computations). */
  listing: { schema: readonly Column[]; rows: number; computations: readonly string[] };
  /** The listing's ciphertexts, column by column, and its row count. */
  table(): Promise<{ rows: number; columns: Uint8Array[] }>;
  /** The service's Ed25519 public key: every request entry must carry its countersignature. */
  serviceKey: CryptoKey;
  /** Records the decryption on the ledger first; the service refuses a second one (ERR_REPLAY). */
  recordDecryption(seq: number): Promise<void>;
  /** The engine for converted shares (one session per job, created on first use). */
  engine(): Snp;
  onServed?(op: string, count: number): void;
}

const bId = (n: number) => `mkt/b/${n}`;
const sId = (n: number) => `mkt/s/${n}`;

/**
 * Checks a request entry against this purchase, this buyer, the listing (offered computation,
 * size, program: ERR_POLICY) and the bytes it came with; returns its countersigned body.
 */
async function checkRequest(
  ctx: SellerContext,
  entry: LedgerEntry,
  bytes: Uint8Array,
  kind: DecryptRequestBody['kind'],
): Promise<DecryptRequestBody> {
  await checkServiceEntry(entry, ctx.serviceKey, ctx.purchase, ctx.buyer);
  const parsed = decryptRequestBody.safeParse((JSON.parse(entry.request) as { body?: unknown }).body);
  if (!parsed.success) throw new ParleyError('ERR_ALTERED', 'the request entry has no valid decrypt-request body');
  const body = parsed.data;
  checkRequestShape(body, ctx.listing);
  if (body.kind !== kind) throw new ParleyError('ERR_ALTERED', `the request is for ${body.kind}, not ${kind}`);
  if ((await bytesHash(bytes)) !== body.ciphertextsHash)
    throw new ParleyError('ERR_ALTERED', 'the ciphertexts do not match the hash on the ledger');
  return body;
}

/** Serves one buyer until it says goodbye; refusals go back to the buyer and serving goes on. */
export async function serveBuyer(pool: Pool, peer: number, ctx: SellerContext): Promise<{ requests: number }> {
  const pk = ctx.sk.publicKey;
  for (let n = 0; ; n++) {
    const msg = (await pool.recv(peer, bId(n))) as BuyerMessage;
    if (msg?.op === 'bye') return { requests: n };
    let reply: SellerMessage;
    try {
      if (msg?.op === 'fetch') {
        const t = await ctx.table();
        const wanted = Array.isArray(msg.columns) ? msg.columns : [];
        if (wanted.some((c) => !Number.isInteger(c) || c < 0 || c >= t.columns.length))
          throw new ParleyError('ERR_BAD_REQUEST', 'no such column');
        reply = { op: 'table', keyId: pk.keyId, rows: t.rows, columns: wanted.map((c) => t.columns[c]!) };
      } else if (msg?.op === 'decrypt') {
        const cs = ciphertextsFromBytes(pk, msg.ciphertexts);
        const body = await checkRequest(ctx, msg.entry, msg.ciphertexts, 'result');
        if (body.count !== cs.length)
          throw new ParleyError('ERR_ALTERED', `the request declares ${body.count} values; ${cs.length} came`);
        // Only the low B bits of each blinded value leave: one value's worth per budget unit.
        const mask = (1n << BigInt(resultBits(ctx.listing.schema, ctx.listing.rows, body.computation))) - 1n;
        await ctx.recordDecryption(body.seq);
        reply = { op: 'plain', values: cs.map((c) => (decryptRaw(ctx.sk, c) & mask).toString(16)) };
        ctx.onServed?.('decrypt', cs.length);
      } else if (msg?.op === 'convert') {
        const cs = ciphertextsFromBytes(pk, msg.ciphertexts);
        const body = await checkRequest(ctx, msg.entry, msg.ciphertexts, 'conversion');
        // The program is the countersigned one; an unsigned message naming another is refused.
        const shape = body.shape!;
        if (canonicalJson(msg.shape ?? null) !== canonicalJson(shape))
          throw new ParleyError('ERR_ALTERED', 'the program differs from the one the request names');
        if (Math.ceil(shape.rows / conversionLayout(pk, shape.ellBits).slots) !== cs.length) {
          throw new ParleyError('ERR_ALTERED', `${shape.rows} values do not come in ${cs.length} packs`);
        }
        await ctx.recordDecryption(body.seq);
        const shares = sharesFromMaskedPacked(ctx.sk, cs, shape.rows, shape.ellBits);
        await pool.send(peer, { op: 'converted' } satisfies SellerMessage, sId(n));
        // From here both run the engine: a failure ends the job (the pool tells the buyer).
        await runConverted(ctx.engine(), shape, shares, null).catch((e: unknown) => {
          throw Object.assign(e as object, { fatal: true });
        });
        ctx.onServed?.('convert', cs.length);
        continue;
      } else throw new ParleyError('ERR_PROTOCOL', 'unknown market message');
    } catch (e) {
      if ((e as { fatal?: boolean }).fatal) throw e;
      reply = { op: 'error', error: toErrorInfo(e) };
    }
    await pool.send(peer, reply, sId(n));
  }
}

/** The buyer's end: one call per request, in order. */
export class SellerLink {
  /** `n`: the number of the first request (when requests were already exchanged on this pool). */
  constructor(
    private readonly pool: Pool,
    private readonly peer: number,
    private n = 0,
  ) {}

  private async ask(msg: BuyerMessage): Promise<SellerMessage> {
    const n = this.n++;
    await this.pool.send(this.peer, msg, bId(n));
    const reply = (await this.pool.recv(this.peer, sId(n))) as SellerMessage;
    if (reply?.op === 'error') throw fromErrorInfo(reply.error);
    return reply;
  }

  /** The ciphertexts of the listed columns (by index), in that order. */
  async fetch(columns: number[]): Promise<{ keyId: string; rows: number; columns: Uint8Array[] }> {
    const r = await this.ask({ op: 'fetch', columns });
    if (r.op !== 'table') throw new ParleyError('ERR_PROTOCOL', 'expected the table');
    return r;
  }

  /** The low B bits of each blinded ciphertext's plaintext; the buyer unblinds them. */
  async decrypt(entry: LedgerEntry, ciphertexts: Uint8Array): Promise<bigint[]> {
    const r = await this.ask({ op: 'decrypt', entry, ciphertexts });
    if (r.op !== 'plain') throw new ParleyError('ERR_PROTOCOL', 'expected decrypted values');
    return r.values.map((v) => BigInt(`0x${v}`));
  }

  /** Packed masked ciphertexts become shares; then both run the program and the buyer gets its output. */
  async convert(
    entry: LedgerEntry,
    packs: Uint8Array,
    shape: ConvertedShape,
    shares: BigUint64Array,
    thresholds: bigint[],
    snp: Snp,
  ): Promise<bigint[]> {
    const r = await this.ask({ op: 'convert', entry, ciphertexts: packs, shape });
    if (r.op !== 'converted') throw new ParleyError('ERR_PROTOCOL', 'expected the conversion');
    const out = await runConverted(snp, shape, shares, thresholds);
    if (!out) throw new ParleyError('ERR_PROTOCOL', 'the buyer receives the result');
    return out;
  }

  async bye(): Promise<void> {
    await this.pool.send(this.peer, { op: 'bye' } satisfies BuyerMessage, bId(this.n++));
    await this.pool.flush();
  }
}
