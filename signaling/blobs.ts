// A listing's two blobs (the encrypted table and the synthetic test table), kept in a BlobStore
// (store-blobs.ts: a directory, or PostgreSQL). Access is by one-time ticket (a 10-minute EdDSA JWT from
// market:blob-ticket, audience naming listing, kind and op), checked again when used:
// PUT by the seller only (write-once, streamed, never more than the size limit),
// GET 'test' for anyone logged in, GET 'data' for the seller or a buyer whose purchase is
// active or confirmed.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, importJWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { ParleyError } from '../shared/errors.js';
import { CLOCK_SKEW_SECONDS, TICKET_ISSUER } from '../shared/job-ticket.js';
import { BLOB_KINDS, type BlobKind, type BlobTicket, type Listing } from '../shared/market.js';
import type { Auth } from './auth.js';
import type { Market } from './market.js';
import type { ServiceKey } from './service-key.js';
import { type BlobStore, tooLarge } from './store-blobs.js';

export const DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024;
const BLOB_TICKET_TTL_SECONDS = 600;
const BLOB_TICKET_TYPE = 'parley-blob+jwt';
const PATH = /^\/api\/market\/blobs\/([0-9a-f-]{36})\/(data|test)$/;
type Op = 'put' | 'get';

const audience = (listing: string, kind: BlobKind, op: Op) => `parley:blob:${listing}:${kind}:${op}`;

export class Blobs {
  private verifyKey: CryptoKey | Uint8Array | null = null;

  constructor(
    private readonly market: Market,
    private readonly auth: Auth,
    private readonly key: ServiceKey,
    private readonly blobs: BlobStore,
    private readonly maxBytes: number,
    private readonly now: () => number,
  ) {}

  /** Who may do what with a listing's blob; throws the refusal's code. */
  async check(me: string, listingId: string, kind: BlobKind, op: Op): Promise<Listing> {
    const l = await this.market.store.getListing(listingId);
    if (!l) throw new ParleyError('ERR_UNKNOWN_LISTING', `no listing ${listingId}`);
    if (op === 'put') {
      if (l.seller !== me) throw new ParleyError('ERR_ROLE', "only the seller uploads a listing's blobs");
      if (this.market.isExpired(l)) throw new ParleyError('ERR_LISTING_EXPIRED', 'the listing has expired');
      if (l.blobs[kind] !== null)
        throw new ParleyError('ERR_BAD_REQUEST', `the ${kind} blob was already uploaded; blobs are write-once`);
      return l;
    }
    if (kind === 'data' && l.seller !== me) {
      const ok = (await this.market.store.purchasesOf(me)).some(
        (p) => p.listing === l.id && p.buyer === me && (p.state === 'active' || p.state === 'confirmed'),
      );
      if (!ok)
        throw new ParleyError(
          'ERR_NO_PURCHASE',
          'the data blob is for the seller and buyers with an active or confirmed purchase',
        );
    }
    return l;
  }

  async ticket(me: string, p: { listing: string; kind: BlobKind; op: Op }): Promise<BlobTicket> {
    await this.check(me, p.listing, p.kind, p.op);
    const t = Math.floor(this.now() / 1000);
    const ticket = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: this.key.keyId, typ: BLOB_TICKET_TYPE })
      .setIssuer(TICKET_ISSUER)
      .setSubject(me)
      .setAudience(audience(p.listing, p.kind, p.op))
      .setIssuedAt(t)
      .setExpirationTime(t + BLOB_TICKET_TTL_SECONDS)
      .setJti(crypto.randomUUID())
      .sign(this.key.privateKey);
    return { url: `/api/market/blobs/${p.listing}/${p.kind}`, ticket };
  }

  private async redeem(
    req: IncomingMessage,
    listing: string,
    kind: BlobKind,
    op: Op,
    useTicket: (jti: string, exp: number) => Promise<boolean>,
  ): Promise<string> {
    const m = /^Bearer (\S{1,4096})$/.exec(req.headers.authorization ?? '');
    if (!m)
      throw new ParleyError(
        'ERR_TICKET_INVALID',
        'blob requests need `Authorization: Bearer <ticket from market:blob-ticket>`',
      );
    this.verifyKey ??= await importJWK(this.key.publicJwk, 'EdDSA');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(m[1]!, this.verifyKey, {
        issuer: TICKET_ISSUER,
        audience: audience(listing, kind, op),
        algorithms: ['EdDSA'],
        typ: BLOB_TICKET_TYPE,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'exp', 'jti'],
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new ParleyError('ERR_TICKET_EXPIRED', 'the blob ticket has expired');
      throw new ParleyError('ERR_TICKET_INVALID', 'the blob ticket is not valid for this blob and operation');
    }
    if (!(await useTicket(payload.jti!, payload.exp! * 1000)))
      throw new ParleyError('ERR_TICKET_REPLAY', 'this blob ticket was already used');
    await this.auth.active(payload.sub!);
    return payload.sub!;
  }

  /** Serves PUT and GET on /api/market/blobs/:listing/:kind. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const match = PATH.exec(pathname);
    if (!match) throw new ParleyError('ERR_BAD_REQUEST', 'blob paths are /api/market/blobs/<listing>/<data|test>');
    const listing = match[1]!;
    const kind = match[2] as BlobKind;
    const op: Op | null = req.method === 'PUT' ? 'put' : req.method === 'GET' ? 'get' : null;
    if (!op || !BLOB_KINDS.includes(kind)) throw new ParleyError('ERR_BAD_REQUEST', 'blobs take PUT or GET');
    const me = await this.redeem(req, listing, kind, op, (jti, exp) => this.market.store.useTicket(jti, exp));
    const l = await this.check(me, listing, kind, op);
    if (op === 'get') {
      if (l.blobs[kind] === null)
        throw new ParleyError('ERR_UNKNOWN_LISTING', `no ${kind} blob uploaded for this listing yet`);
      const blob = await this.blobs.open(listing, kind);
      if (!blob) throw new ParleyError('ERR_UNKNOWN_LISTING', `the ${kind} blob is still being stored`);
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': blob.size,
        'cache-control': 'no-store',
      });
      await new Promise<void>((resolve, reject) =>
        blob.stream.on('error', reject).pipe(res).on('finish', resolve).on('error', reject),
      );
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > this.maxBytes) throw tooLarge(this.maxBytes);
    const staged = await this.blobs.receive(listing, kind, req, this.maxBytes);
    // The claim is atomic in the store: of two uploads, the second finds the size recorded.
    if (!(await this.market.claimBlob(listing, kind, staged.size, staged.place))) {
      await staged.discard();
      throw new ParleyError('ERR_BAD_REQUEST', `the ${kind} blob was already uploaded; blobs are write-once`);
    }
    res.writeHead(201, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ size: staged.size }));
  }
}
