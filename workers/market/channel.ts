// The buyer–seller protocol over a market job's Pool: the buyer fetches ciphertexts, sends
// countersigned decryption requests with their blinded or masked ciphertexts, and runs the
// engine on converted shares; the seller checks each request (service signature, purchase,
// buyer, hash, once only) before its key touches anything, and answers.

import { type ErrorInfo, fromErrorInfo, ParleyError, toErrorInfo } from '../../shared/errors.js';
import type { LedgerEntry } from '../../shared/ledger.js';
import type { Pool } from '../pool/pool.js';
import { bytesHash } from './computations.js';
import { type ConvertedShape, runConverted } from './converted.js';
import { checkServiceEntry } from './entry-check.js';
import {
  ciphertextsFromBytes,
  conversionLayout,
  decryptRaw,
  type PrivateKey,
  sharesFromMaskedPacked,
} from './paillier/index.js';

type Snp = Parameters<typeof runConverted>[0];

/** What travels; every message carries an op and nothing else is accepted. */
type BuyerMessage =
  | { op: 'fetch'; columns: number[] }
  | { op: 'decrypt'; entry: LedgerEntry; ciphertexts: Uint8Array }
  | { op: 'convert'; entry: LedgerEntry; ciphertexts: Uint8Array; shape: ConvertedShape; ellBits: number }
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

interface RequestBody {
  seq: number;
  kind: 'result' | 'conversion';
  count: number;
  ciphertextsHash: string;
}

const bId = (n: number) => `mkt/b/${n}`;
const sId = (n: number) => `mkt/s/${n}`;

/** Checks a request entry against this purchase, this buyer and the bytes it came with. */
async function checkRequest(
  ctx: SellerContext,
  entry: LedgerEntry,
  bytes: Uint8Array,
  kind: RequestBody['kind'],
  count: number,
): Promise<number> {
  await checkServiceEntry(entry, ctx.serviceKey, ctx.purchase, ctx.buyer);
  const body = (JSON.parse(entry.request) as { body: RequestBody }).body;
  if (body.kind !== kind || body.count !== count)
    throw new ParleyError(
      'ERR_ALTERED',
      `the request declares ${body.count} ${body.kind} values; ${count} ${kind} values came`,
    );
  if ((await bytesHash(bytes)) !== body.ciphertextsHash)
    throw new ParleyError('ERR_ALTERED', 'the ciphertexts do not match the hash on the ledger');
  return body.seq;
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
        const seq = await checkRequest(ctx, msg.entry, msg.ciphertexts, 'result', cs.length);
        await ctx.recordDecryption(seq);
        reply = { op: 'plain', values: cs.map((c) => decryptRaw(ctx.sk, c).toString(16)) };
        ctx.onServed?.('decrypt', cs.length);
      } else if (msg?.op === 'convert') {
        const cs = ciphertextsFromBytes(pk, msg.ciphertexts);
        const seq = await checkRequest(ctx, msg.entry, msg.ciphertexts, 'conversion', msg.shape.rows);
        if (Math.ceil(msg.shape.rows / conversionLayout(pk, msg.ellBits).slots) !== cs.length) {
          throw new ParleyError('ERR_ALTERED', `${msg.shape.rows} values do not come in ${cs.length} packs`);
        }
        await ctx.recordDecryption(seq);
        const shares = sharesFromMaskedPacked(ctx.sk, cs, msg.shape.rows, msg.ellBits);
        await pool.send(peer, { op: 'converted' } satisfies SellerMessage, sId(n));
        // From here both run the engine: a failure ends the job (the pool tells the buyer).
        await runConverted(ctx.engine(), msg.shape, shares, null).catch((e: unknown) => {
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

  /** Decrypted raw values (mod n) of blinded ciphertexts; the buyer unblinds them. */
  async decrypt(entry: LedgerEntry, ciphertexts: Uint8Array): Promise<bigint[]> {
    const r = await this.ask({ op: 'decrypt', entry, ciphertexts });
    if (r.op !== 'plain') throw new ParleyError('ERR_PROTOCOL', 'expected decrypted values');
    return r.values.map((v) => BigInt(`0x${v}`));
  }

  /** Packed masked ciphertexts become shares; then both run the program and the buyer gets its output. */
  async convert(
    entry: LedgerEntry,
    packs: { bytes: Uint8Array; ellBits: number },
    shape: ConvertedShape,
    shares: BigUint64Array,
    thresholds: bigint[],
    snp: Snp,
  ): Promise<bigint[]> {
    const r = await this.ask({ op: 'convert', entry, ciphertexts: packs.bytes, shape, ellBits: packs.ellBits });
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
